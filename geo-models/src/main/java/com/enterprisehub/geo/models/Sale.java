package com.enterprisehub.geo.models;

import com.enterprisehub.geo.core.GeoValidationException;
import java.util.Objects;
import javax.money.MonetaryAmount;

/**
 * A property and the price it sold for: a training or evaluation example for valuation.
 *
 * @param property the property
 * @param price the price, positive, in the market's currency
 */
public record Sale(Property property, MonetaryAmount price) {
    public Sale {
        Objects.requireNonNull(property, "property");
        Objects.requireNonNull(price, "price");
        if (!price.isPositive()) {
            throw new GeoValidationException("A sale price must be positive; got " + price + ".");
        }
    }
}
