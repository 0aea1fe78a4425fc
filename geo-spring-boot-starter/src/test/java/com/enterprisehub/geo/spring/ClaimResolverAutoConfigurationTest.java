package com.enterprisehub.geo.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.spring.autoconfigure.GeoAutoConfiguration;
import com.enterprisehub.geo.spring.autoconfigure.GeoWebAutoConfiguration;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** With {@code geo.resolver.claim} set, the tenant comes from the verified claim and nothing else a client sends. */
class ClaimResolverAutoConfigurationTest {
    private static final Tenant VICTIM = Tenant.builder("victim").market("ca").organization("Org")
            .state(TenantState.ACTIVE).build();
    private static final Tenant MINE = Tenant.builder("mine").market("ca").organization("Org")
            .state(TenantState.ACTIVE).build();

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GeoAutoConfiguration.class, GeoWebAutoConfiguration.class))
            .withBean("dataSource", DataSource.class, AutoConfigurationBackOffTest.HostDataSource::new)
            .withBean(TenantCatalog.class, () -> {
                InMemoryTenantCatalog catalog = InMemoryTenantCatalog.create();
                catalog.create(VICTIM);
                catalog.create(MINE);
                return catalog;
            });

    @Test
    void aHeaderIsNotATenantSourceWhenOnlyAClaimIsConfigured() {
        web.withPropertyValues("geo.resolver.claim=tenant_id")
                .withBean(VerifiedClaims.class, () -> request -> Map.of()) // a token without the claim, or none
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Outcome outcome = send(context, "victim");
                    assertThat(outcome.status()).isEqualTo(400);
                    assertThat(outcome.bound()).isNull();
                });
    }

    @Test
    void theClaimIsRequiredEvenWhenAHeaderIsConfiguredToo() {
        web.withPropertyValues("geo.resolver.claim=tenant_id", "geo.resolver.header=X-Tenant-Id")
                .withBean(VerifiedClaims.class, () -> request -> Map.of())
                .run(context -> {
                    Outcome outcome = send(context, "victim");
                    assertThat(outcome.status()).isEqualTo(400);
                    assertThat(outcome.bound()).isNull();
                });
        web.withPropertyValues("geo.resolver.claim=tenant_id", "geo.resolver.header=X-Tenant-Id")
                .withBean(VerifiedClaims.class, () -> request -> Map.of("tenant_id", "mine"))
                .run(context -> {
                    assertThat(send(context, "mine").bound()).isEqualTo("mine");
                    assertThat(send(context, "victim").status()).isEqualTo(400); // sources disagree
                });
    }

    @Test
    void theClaimAloneBindsItsTenant() {
        web.withPropertyValues("geo.resolver.claim=tenant_id")
                .withBean(VerifiedClaims.class, () -> request -> Map.of("tenant_id", "mine"))
                .run(context -> {
                    Outcome outcome = send(context, "victim"); // the header is ignored, not compared
                    assertThat(outcome.status()).isEqualTo(200);
                    assertThat(outcome.bound()).isEqualTo("mine");
                });
    }

    @Test
    void aClaimWithoutAVerifiedClaimsSourceFailsTheStart() {
        web.withPropertyValues("geo.resolver.claim=tenant_id").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("geo.resolver.claim")
                .hasMessageContaining("VerifiedClaims"));
    }

    @Test
    void withoutAnySourceTheHeaderIsTheDefault() {
        web.run(context -> assertThat(send(context, "victim").bound()).isEqualTo("victim"));
    }

    record Outcome(int status, String bound) {
    }

    static Outcome send(ApplicationContext context, String header) throws Exception {
        Filter filter = context.getBean("geoTenantFilter", FilterRegistrationBean.class).getFilter();
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/listings");
        request.addHeader("X-Tenant-Id", header);
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicReference<String> bound = new AtomicReference<>();
        filter.doFilter(request, response, new MockFilterChain(new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse res) {
                bound.set(TenantContext.require().id().value());
            }
        }));
        return new Outcome(response.getStatus(), bound.get());
    }
}
