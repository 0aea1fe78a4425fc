package com.enterprisehub.geo.spring;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.isolation.SelfCheckException;
import com.enterprisehub.geo.isolation.TenantDataSource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The tenant data source's health, in place of Boot's {@code db} indicator (which borrows a connection with no
 * tenant bound and is refused): the SDK's self-check on every endpoint, which opens an application-role connection
 * (no tenant bound: it sees catalogs, never tenant rows) and an administrator connection per endpoint. A run is
 * reused until it is older than {@code maxAge} ({@link TenantDataSource#selfCheck(Duration)}), so a probe calling
 * often, or anyone calling a public health endpoint, does not open connections on every call. UP when every
 * endpoint answers and nothing could bypass isolation; DOWN with each finding otherwise, or with the error when an
 * endpoint cannot be reached. Details: the shared endpoints and their regions, and the open MAXIMUM/REGULATORY
 * tenant pools. Thread-safe.
 */
public final class GeoHealthIndicator implements HealthIndicator {
    private final TenantDataSource dataSource;
    private final Duration maxAge;

    /**
     * An indicator for {@code dataSource}.
     *
     * @param maxAge how long a self-check run is reused ({@code geo.health.self-check-max-age}); zero: every call
     */
    public GeoHealthIndicator(TenantDataSource dataSource, Duration maxAge) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative()) {
            throw new GeoValidationException("geo.health.self-check-max-age must not be negative; it is " + maxAge
                    + ".");
        }
    }

    /** How long a self-check run is reused. */
    public Duration maxAge() {
        return maxAge;
    }

    @Override
    public Health health() {
        Map<String, List<SelfCheckException.Finding>> findings;
        try {
            findings = dataSource.selfCheck(maxAge);
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
