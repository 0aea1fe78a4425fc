package com.enterprisehub.geo.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.tenant.TenantResolver;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The reactive filter excludes a path only when its raw form (as WebFlux routes it) and its normalised form both match:
 * dot segments open no way round in either direction.
 */
class ReactiveTenantFilterPathTest {
    private final ReactiveTenantFilter filter = ReactiveTenantFilter.builder(
            TenantResolver.builder(InMemoryTenantCatalog.create()).header("X-Tenant-Id").build())
            .excludePaths(List.of("/actuator/**", "/error")).build();

    @Test
    void dotSegmentsIntoOrOutOfAnExcludedPathNeedATenant() {
        for (String uri : List.of("/api/x/../../actuator/health", "/api/x/%2e%2e/%2E%2E/actuator/health",
                "/actuator/../api/listings", "/actuator/%2e%2e/api/listings", "/error/../listings",
                "/actuator/..;/listings")) {
            AtomicBoolean passed = new AtomicBoolean();
            MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get(uri).build());
            filter.filter(exchange, e -> Mono.fromRunnable(() -> passed.set(true))).block(Duration.ofSeconds(10));
            assertThat(exchange.getResponse().getStatusCode()).as(uri).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(passed).as(uri).isFalse();
        }
    }

    @Test
    void excludedPathsStillPass() {
        for (String uri : List.of("/actuator/health", "/actuator/health;jsessionid=abc", "/actuator/./health",
                "/error")) {
            AtomicBoolean passed = new AtomicBoolean();
            MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get(uri).build());
            filter.filter(exchange, e -> Mono.fromRunnable(() -> passed.set(true))).block(Duration.ofSeconds(10));
            assertThat(passed).as(uri).isTrue();
        }
    }
}
