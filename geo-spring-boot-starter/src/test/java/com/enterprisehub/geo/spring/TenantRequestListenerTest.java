package com.enterprisehub.geo.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantResolver;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** A failing {@link TenantRequestListener} (telemetry) changes no answer: it is logged and the request goes on. */
@ExtendWith(OutputCaptureExtension.class)
class TenantRequestListenerTest {
    private final List<String> told = new CopyOnWriteArrayList<>();

    private final TenantFilter filter;

    TenantRequestListenerTest() {
        InMemoryTenantCatalog catalog = InMemoryTenantCatalog.create();
        catalog.create(Tenant.builder("aaa").market("ca").organization("Org").state(TenantState.ACTIVE).build());
        TenantRequestListener broken = new TenantRequestListener() {
            @Override
            public void bound(HttpServletRequest request, Tenant tenant) {
                throw new IllegalStateException("exporter down for secret-user@example.com");
            }

            @Override
            public void refused(HttpServletRequest request, int status, String title) {
                throw new IllegalStateException("exporter down for secret-user@example.com");
            }
        };
        TenantRequestListener after = new TenantRequestListener() {
            @Override
            public void bound(HttpServletRequest request, Tenant tenant) {
                told.add("bound " + tenant.id().value());
            }

            @Override
            public void refused(HttpServletRequest request, int status, String title) {
                told.add("refused " + status);
            }
        };
        filter = TenantFilter.builder(TenantResolver.builder(catalog).header("X-Tenant-Id").build())
                .listener(broken).listener(after).build();
    }

    @Test
    void aRefusalStaysARefusal(CapturedOutput output) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request("nobody"), response, chain);
        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(response.getContentAsString()).contains("\"title\":\"Unknown tenant\"");
        assertThat(chain.getRequest()).isNull();
        assertThat(told).containsExactly("refused 404");
        assertThat(output).contains("TenantRequestListener", "IllegalStateException")
                .doesNotContain("secret-user@example.com");
    }

    @Test
    void aBindingStillServesTheRequest(CapturedOutput output) throws Exception {
        AtomicReference<String> served = new AtomicReference<>();
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request("aaa"), response, new MockFilterChain(new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse res) {
                served.set(TenantContext.require().id().value());
            }
        }));
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(served.get()).isEqualTo("aaa");
        assertThat(told).containsExactly("bound aaa");
        assertThat(TenantContext.isBound()).isFalse();
        assertThat(output).doesNotContain("secret-user@example.com");
    }

    private static MockHttpServletRequest request(String tenant) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/listings");
        request.addHeader("X-Tenant-Id", tenant);
        return request;
    }
}
