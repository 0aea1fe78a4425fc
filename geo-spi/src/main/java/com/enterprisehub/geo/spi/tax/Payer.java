package com.enterprisehub.geo.spi.tax;

/** Who customarily pays a tax (the contract may say otherwise). */
public enum Payer {
    BUYER,
    SELLER,
    /** Split between buyer and seller, or negotiated, by local custom. */
    NEGOTIABLE
}
