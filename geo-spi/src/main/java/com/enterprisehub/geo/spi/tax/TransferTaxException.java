package com.enterprisehub.geo.spi.tax;

import com.enterprisehub.geo.core.GeoException;

/**
 * A transfer tax that cannot be computed: no calculator for the jurisdiction, or a date outside every
 * regime the calculator knows (never a guess).
 */
public class TransferTaxException extends GeoException {
    private static final long serialVersionUID = 1L;

    public TransferTaxException(String message) {
        super(message);
    }
}
