package com.enterprisehub.geo.isolation;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A reading of a {@link TenantDataSource}'s counters ({@link TenantDataSource#statistics()}): per endpoint, the
 * refusals by cause, and the security events by kind. Per endpoint and per cause only: per-tenant counts would grow
 * with the customer list, so none are kept. Immutable.
 *
 * @param endpoints per endpoint and dedicated server, in registration order
 * @param refusals connections refused since the data source was built, by cause (every cause present)
 * @param securityEvents {@link SecurityEvent}s published since, by kind ({@code residency-violation}, ...)
 * @param openTenantPools pools of MAXIMUM and REGULATORY tenants open now
 */
public record IsolationStatistics(List<EndpointStatistics> endpoints, Map<RefusalCause, Long> refusals,
        Map<String, Long> securityEvents, int openTenantPools) {
    public IsolationStatistics {
        endpoints = List.copyOf(endpoints);
        EnumMap<RefusalCause, Long> all = new EnumMap<>(RefusalCause.class);
        for (RefusalCause cause : RefusalCause.values()) {
            all.put(cause, refusals.getOrDefault(cause, 0L));
        }
        refusals = Collections.unmodifiableMap(all);
        securityEvents = Collections.unmodifiableMap(new TreeMap<>(securityEvents));
    }

    /** The endpoint's statistics, if it is one of this data source's. */
    public java.util.Optional<EndpointStatistics> endpoint(String name) {
        return endpoints.stream().filter(e -> e.endpoint().equals(name)).findFirst();
    }
}
