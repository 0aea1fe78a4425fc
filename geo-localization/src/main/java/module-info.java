/**
 * Per-market formatting (money, areas, dates, messages), real-estate terminology, offline currency conversion and
 * the SDK's transfer-tax calculators. Internal packages are not exported.
 */
module com.enterprisehub.geo.localization {
    requires transitive com.enterprisehub.geo.spi;
    requires transitive java.money;
    requires com.ibm.icu;
    // Hosts build amounts with Moneta's Money.of; the API speaks javax.money.
    requires transitive org.javamoney.moneta;
    requires com.fasterxml.jackson.databind;

    exports com.enterprisehub.geo.localization;
    exports com.enterprisehub.geo.localization.tax;

    provides com.enterprisehub.geo.spi.tax.TransferTaxCalculator with
            com.enterprisehub.geo.localization.tax.internal.UkCalculator,
            com.enterprisehub.geo.localization.tax.internal.AustraliaCalculator,
            com.enterprisehub.geo.localization.tax.internal.CanadaCalculator,
            com.enterprisehub.geo.localization.tax.internal.UsCalculator;
}
