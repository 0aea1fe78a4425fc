package com.enterprisehub.geo.analytics;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Map;

/**
 * Event counts over a period.
 *
 * @param leadsCreated leads created
 * @param leadsResponded leads that got a first response
 * @param leadsConverted leads converted
 * @param dealsClosed deals closed
 * @param dealValue the value of the closed deals per currency (each market records in its own; values
 *     in different currencies are never added together)
 * @param requests requests served
 */
public record Volumes(long leadsCreated, long leadsResponded, long leadsConverted, long dealsClosed,
        Map<Currency, BigDecimal> dealValue, long requests) {
    public Volumes {
        dealValue = Map.copyOf(dealValue);
    }
}
