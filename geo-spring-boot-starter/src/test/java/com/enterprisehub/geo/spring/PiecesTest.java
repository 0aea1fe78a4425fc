package com.enterprisehub.geo.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.NoTenantBoundException;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantResolver;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.cache.Cache;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The filter, the task decorator and the tenant-scoped caches, without a database. */
class PiecesTest {
    private static final Tenant A = Tenant.builder("aaa").market("ca").organization("Org").state(TenantState.ACTIVE).build();
    private static final Tenant B = Tenant.builder("bbb").market("ca").organization("Org").state(TenantState.ACTIVE).build();

    @Test
    void theFilterBindsTheResolvedTenantForTheChainOnly() throws Exception {
        InMemoryTenantCatalog catalog = InMemoryTenantCatalog.create();
        catalog.create(A);
        TenantFilter filter = new TenantFilter(TenantResolver.builder(catalog).header("X-Tenant-Id").build(),
                request -> Map.of(), List.of("/actuator/**"));
        AtomicReference<String> seen = new AtomicReference<>();
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/listings");
        request.addHeader("X-Tenant-Id", "aaa");
        filter.doFilter(request, new MockHttpServletResponse(), new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
            @Override
            protected void service(jakarta.servlet.http.HttpServletRequest req,
                    jakarta.servlet.http.HttpServletResponse res) {
                seen.set(TenantContext.require().id().value());
            }
        }));
        assertThat(seen.get()).isEqualTo("aaa");
        assertThat(TenantContext.isBound()).isFalse();

        MockHttpServletResponse refused = new MockHttpServletResponse();
        MockFilterChain untouched = new MockFilterChain();
        MockHttpServletRequest noTenant = new MockHttpServletRequest("GET", "/listings");
        filter.doFilter(noTenant, refused, untouched);
        assertThat(refused.getStatus()).isEqualTo(400);
        assertThat(refused.getContentType()).startsWith("application/problem+json");
        assertThat(refused.getContentAsString()).startsWith("{\"type\":\"about:blank\",\"title\":\"Tenant not resolved\"");
        assertThat(untouched.getRequest()).isNull();

        MockFilterChain passed = new MockFilterChain();
        filter.doFilter(new MockHttpServletRequest("GET", "/actuator/health"), new MockHttpServletResponse(), passed);
        assertThat(passed.getRequest()).isNotNull();
    }

    @Test
    void theTenantComesFromTheClaimOfTheTokenSpringSecurityAuthenticated() throws Exception {
        InMemoryTenantCatalog catalog = InMemoryTenantCatalog.create();
        catalog.create(A);
        catalog.create(B);
        TenantFilter filter = new TenantFilter(TenantResolver.builder(catalog).claim("tenant_id").build(),
                bearerClaims(), List.of());
        org.springframework.security.oauth2.jwt.Jwt jwt = org.springframework.security.oauth2.jwt.Jwt
                .withTokenValue("t").header("alg", "none").claim("tenant_id", "bbb").build();
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/listings");
        request.setUserPrincipal(new org.springframework.security.oauth2.server.resource.authentication
                .JwtAuthenticationToken(jwt, List.of()));
        AtomicReference<String> seen = new AtomicReference<>();
        filter.doFilter(request, new MockHttpServletResponse(), new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
            @Override
            protected void service(jakarta.servlet.http.HttpServletRequest req,
                    jakarta.servlet.http.HttpServletResponse res) {
                seen.set(TenantContext.require().id().value());
            }
        }));
        assertThat(seen.get()).isEqualTo("bbb");
        MockHttpServletResponse anonymous = new MockHttpServletResponse();
        filter.doFilter(new MockHttpServletRequest("GET", "/listings"), anonymous, new MockFilterChain());
        assertThat(anonymous.getStatus()).isEqualTo(400);
    }

    private static VerifiedClaims bearerClaims() {
        VerifiedClaims[] found = new VerifiedClaims[1];
        new org.springframework.boot.test.context.runner.WebApplicationContextRunner()
                .withConfiguration(org.springframework.boot.autoconfigure.AutoConfigurations.of(
                        com.enterprisehub.geo.spring.autoconfigure.GeoSecurityClaimsAutoConfiguration.class))
                .run(context -> found[0] = context.getBean(VerifiedClaims.class));
        return found[0];
    }

    @Test
    void eachRefusalHasItsStatus() throws Exception {
        InMemoryTenantCatalog catalog = InMemoryTenantCatalog.create();
        catalog.create(Tenant.builder("held").market("ca").organization("Org").state(TenantState.SUSPENDED).build());
        catalog.create(Tenant.builder("new-co").market("ca").organization("Org").build()); // PROVISIONING
        TenantFilter filter = new TenantFilter(TenantResolver.builder(catalog).header("X-Tenant-Id").build(),
                request -> Map.of(), List.of());
        Map<String, Integer> expected = Map.of("held", 403, "new-co", 503, "nobody", 404, "Not An Id!", 404);
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            MockHttpServletRequest request = new MockHttpServletRequest("GET", "/listings");
            request.addHeader("X-Tenant-Id", e.getKey());
            MockHttpServletResponse response = new MockHttpServletResponse();
            MockFilterChain chain = new MockFilterChain();
            filter.doFilter(request, response, chain);
            assertThat(response.getStatus()).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(chain.getRequest()).as(e.getKey()).isNull();
        }
    }

    @Test
    void problemDetailsEscapeWhatTheyQuote() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        com.enterprisehub.geo.spring.internal.Problems.write(response, 404, "Unknown tenant", "a \"quoted\"\nline\\");
        assertThat(response.getContentAsString()).isEqualTo("{\"type\":\"about:blank\",\"title\":\"Unknown tenant\","
                + "\"status\":404,\"detail\":\"a \\\"quoted\\\"\\u000aline\\\\\"}");
    }

    @Test
    void theTaskDecoratorCarriesTheSubmittersTenant() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>("none");
        Runnable decorated = TenantContext.call(A, () -> new TenantTaskDecorator()
                .decorate(() -> seen.set(TenantContext.current().map(t -> t.id().value()).orElse("none"))));
        Thread other = new Thread(decorated);
        other.start();
        other.join();
        assertThat(seen.get()).isEqualTo("aaa");
    }

    @Test
    void scopedCachesKeepTenantsApartAndRefuseUnboundAccess() {
        ConcurrentMapCacheManager plain = new ConcurrentMapCacheManager("listings", "markets");
        TenantScopedCacheManager scoped = new TenantScopedCacheManager(plain, List.of("markets"));
        Cache cache = scoped.getCache("listings");
        TenantContext.run(A, () -> cache.put(1L, "a's"));
        TenantContext.run(B, () -> assertThat(cache.get(1L)).isNull());
        TenantContext.run(B, () -> cache.put(1L, "b's"));
        TenantContext.run(A, () -> assertThat(cache.get(1L, String.class)).isEqualTo("a's"));
        TenantContext.run(B, () -> assertThat(cache.get(1L, String.class)).isEqualTo("b's"));
        assertThat(plain.getCache("listings").get(new TenantKey("aaa", 1L)).get()).isEqualTo("a's");
        assertThatThrownBy(() -> cache.get(1L)).isInstanceOf(NoTenantBoundException.class);
        scoped.getCache("markets").put("ca", "shared"); // a shared cache needs no tenant
        assertThat(plain.getCache("markets").get("ca").get()).isEqualTo("shared");
        assertThat(TenantContext.call(A, () -> new TenantKeyGenerator().generate(this, null, 1L, "x")))
                .isNotEqualTo(TenantContext.call(B, () -> new TenantKeyGenerator().generate(this, null, 1L, "x")));
    }
}
