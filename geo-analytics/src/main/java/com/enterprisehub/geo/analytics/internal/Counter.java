package com.enterprisehub.geo.analytics.internal;

/** Positions in a tenant's counter array (one array per tenant, market and window). */
public final class Counter {
    public static final int LEADS_CREATED = 0;
    public static final int LEADS_RESPONDED = 1;
    public static final int LEADS_CONVERTED = 2;
    public static final int DEALS_CLOSED = 3;
    /** Sum of closed deal values in minor units of the market's currency. */
    public static final int DEAL_VALUE_MINOR = 4;
    public static final int REQUESTS = 5;
    /** Requests whose latency was at most the recorder's latency target. */
    public static final int REQUESTS_WITHIN_TARGET = 6;
    public static final int LATENCY_MICROS_SUM = 7;
    public static final int RESPONSE_MILLIS_SUM = 8;
    public static final int COUNT = 9;

    private Counter() {
    }
}
