package com.enterprisehub.geo.core.market;

import com.enterprisehub.geo.core.GeoValidationException;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;

/**
 * The size of a market: the value of its real-estate transactions in a year.
 *
 * @param annualTransactionVolume the yearly transaction value, zero or more
 * @param currency the currency the value is given in (the seed gives Canada in CAD, the UK in GBP)
 */
public record MarketSize(BigDecimal annualTransactionVolume, Currency currency) {
    public MarketSize {
        Objects.requireNonNull(currency, "currency");
        if (annualTransactionVolume == null || annualTransactionVolume.signum() < 0) {
            throw new GeoValidationException("A market's annual transaction volume must be zero or more; got "
                    + annualTransactionVolume + ".");
        }
    }
}
