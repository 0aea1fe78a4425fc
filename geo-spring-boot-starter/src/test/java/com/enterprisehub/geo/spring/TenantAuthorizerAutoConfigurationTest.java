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
import java.security.Principal;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** A {@link TenantAuthorizer} bean decides whether the principal may act for the tenant the client named. */
@ExtendWith(OutputCaptureExtension.class)
class TenantAuthorizerAutoConfigurationTest {
    private static final Tenant A = Tenant.builder("aaa").market("ca").organization("Org").state(TenantState.ACTIVE).build();
    private static final Tenant B = Tenant.builder("bbb").market("ca").organization("Org").state(TenantState.ACTIVE).build();
    /** Which tenant each user belongs to. */
    private static final Map<String, String> MEMBERSHIP = Map.of("alice", "aaa", "bob", "bbb");

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GeoAutoConfiguration.class, GeoWebAutoConfiguration.class))
            .withBean("dataSource", DataSource.class, AutoConfigurationBackOffTest.HostDataSource::new)
            .withBean(TenantCatalog.class, () -> {
                InMemoryTenantCatalog catalog = InMemoryTenantCatalog.create();
                catalog.create(A);
                catalog.create(B);
                return catalog;
            });

    @Test
    void aPrincipalOfADeniedTenantBGets403AndNoData() {
        web.withBean(TenantAuthorizer.class, () -> (request, tenant) -> request.getUserPrincipal() != null
                && tenant.id().value().equals(MEMBERSHIP.get(request.getUserPrincipal().getName())))
                .run(context -> {
                    AtomicReference<String> served = new AtomicReference<>();
                    MockHttpServletResponse denied = send(context, "alice", "bbb", served);
                    assertThat(denied.getStatus()).isEqualTo(403);
                    assertThat(denied.getContentType()).startsWith("application/problem+json");
                    assertThat(denied.getContentAsString()).contains("\"title\":\"Tenant not permitted\"");
                    assertThat(served.get()).as("the controller never ran").isNull();

                    MockHttpServletResponse allowed = send(context, "alice", "aaa", served);
                    assertThat(allowed.getStatus()).isEqualTo(200);
                    assertThat(served.get()).isEqualTo("aaa");
                    assertThat(send(context, null, "aaa", new AtomicReference<>()).getStatus()).isEqualTo(403);
                });
    }

    @Test
    void clientChosenSourcesWithoutAnAuthorizerAreWarnedAbout(CapturedOutput output) {
        web.run(context -> assertThat(context).hasNotFailed());
        assertThat(output).contains("TenantAuthorizer");
    }

    private static MockHttpServletResponse send(ApplicationContext context, String user, String tenant,
            AtomicReference<String> served) throws Exception {
        Filter filter = context.getBean("geoTenantFilter", FilterRegistrationBean.class).getFilter();
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/listings");
        request.addHeader("X-Tenant-Id", tenant);
        if (user != null) {
            request.setUserPrincipal((Principal) () -> user);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain(new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse res) {
                served.set(TenantContext.require().id().value());
            }
        }));
        return response;
    }
}
