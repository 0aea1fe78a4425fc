package com.enterprisehub.geo.spring;

import com.enterprisehub.geo.isolation.SelfCheckException;
import com.enterprisehub.geo.isolation.TenantDataSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The tenant data source's health, in place of Boot's {@code db} indicator (which borrows a connection with no
 * tenant bound and is refused): the SDK's self-check on every endpoint, read as the application role with no
 * tenant bound (it sees catalogs, never tenant rows). UP when every endpoint answers and nothing could bypass
 * isolation; DOWN with each finding otherwise, or with the error when an endpoint cannot be reached. Details:
 * the shared endpoints and their regions, and the open MAXIMUM/REGULATORY tenant pools. Thread-safe.
 */
public final class GeoHealthIndicator implements HealthIndicator {
    private final TenantDataSource dataSource;

    /** An indicator for {@code dataSource}. */
    public GeoHealthIndicator(TenantDataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public Health health() {
        Map<String, List<SelfCheckException.Finding>> findings;
        try {
            findings = dataSource.selfCheck();
        } catch (RuntimeException e) {
            return Health.down(e).withDetail("endpoints", dataSource.sharedEndpoints()).build();
        }
        Map<String, Object> problems = new LinkedHashMap<>();
        findings.forEach((endpoint, list) -> {
            if (!list.isEmpty()) {
                problems.put(endpoint, list.stream().map(SelfCheckException.Finding::problem).toList());
            }
        });
        Health.Builder b = problems.isEmpty() ? Health.up() : Health.down().withDetail("selfCheck", problems);
        return b.withDetail("endpoints", dataSource.sharedEndpoints())
                .withDetail("openTenantPools", dataSource.openTenantPools()).build();
    }
}
