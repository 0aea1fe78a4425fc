package com.enterprisehub.geo.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.tenant.TenantResolver;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** Excluded paths are matched on the normalised path: dot segments and path parameters do not open a way round. */
class TenantFilterPathTest {
    private final TenantFilter filter = TenantFilter.builder(
            TenantResolver.builder(InMemoryTenantCatalog.create()).header("X-Tenant-Id").build())
            .excludePaths(List.of("/actuator/**", "/error")).build();

    @Test
    void dotSegmentsOutOfAnExcludedPathNeedATenant() throws Exception {
        for (String uri : List.of("/actuator/..;/listings", "/actuator/%2e%2e/listings", "/actuator/../listings",
                "/actuator/%2E%2E;x=1/listings", "/error/../listings", "/actuator/%252e%252e/listings")) {
            MockFilterChain chain = new MockFilterChain();
            MockHttpServletResponse response = new MockHttpServletResponse();
            filter.doFilter(new MockHttpServletRequest("GET", uri), response, chain);
            assertThat(response.getStatus()).as(uri).isEqualTo(400);
            assertThat(chain.getRequest()).as(uri).isNull();
        }
    }

    @Test
    void excludedPathsStillPass() throws Exception {
        for (String uri : List.of("/actuator/health", "/actuator/health;jsessionid=abc", "//actuator//health",
                "/actuator/./health", "/error")) {
            MockFilterChain chain = new MockFilterChain();
            filter.doFilter(new MockHttpServletRequest("GET", uri), new MockHttpServletResponse(), chain);
            assertThat(chain.getRequest()).as(uri).isNotNull();
        }
    }
}
