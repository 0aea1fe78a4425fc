package com.enterprisehub.geo.isolation.internal;

/**
 * Where the internals report what isolation refused or repaired, for the data source to publish as a
 * {@code SecurityEvent} (ids and names, never secrets or SQL text). Implementations are thread-safe. Not part of
 * the API.
 */
@FunctionalInterface
public interface SecurityReporter {
    /** Reports {@code kind} ({@code statement-timeout}, ...) concerning {@code tenant}. */
    void report(String kind, String tenant, String detail);

    /** Reports nothing. */
    SecurityReporter NONE = (kind, tenant, detail) -> { };
}
