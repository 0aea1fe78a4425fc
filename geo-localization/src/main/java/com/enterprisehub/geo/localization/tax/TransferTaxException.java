package com.enterprisehub.geo.localization.tax;

import com.enterprisehub.geo.localization.LocalizationException;

/**
 * A transfer tax that cannot be computed: no calculator for the jurisdiction, or a date outside every
 * regime the calculator knows (never a guess).
 */
public class TransferTaxException extends LocalizationException {
    private static final long serialVersionUID = 1L;

    public TransferTaxException(String message) {
        super(message);
    }
}
