/**
 * The transfer-tax calculator SPI: a {@link com.enterprisehub.geo.spi.tax.TransferTaxCalculator} covers
 * jurisdictions and itemizes the taxes of a {@link com.enterprisehub.geo.spi.tax.TransferTaxRequest}. geo-localization
 * provides the SDK's calculators and routes requests to them ({@code TransferTaxes}).
 */
package com.enterprisehub.geo.spi.tax;
