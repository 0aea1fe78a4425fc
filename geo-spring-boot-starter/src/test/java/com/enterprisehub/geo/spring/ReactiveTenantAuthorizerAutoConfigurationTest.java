package com.enterprisehub.geo.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.spring.autoconfigure.GeoAutoConfiguration;
import com.enterprisehub.geo.spring.autoconfigure.GeoReactiveWebAutoConfiguration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import reactor.core.publisher.Mono;

/**
 * In a WebFlux application: without a {@link ReactiveTenantAuthorizer} the start warns, as the servlet set-up does; a
 * servlet {@link TenantAuthorizer} bean, which the reactive filter cannot call, fails the start instead of being
 * silently ignored. The 403 itself: {@code ReactiveTenantTest}.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReactiveTenantAuthorizerAutoConfigurationTest {
    private static final String WARNING = "nothing checks that the principal belongs to it";

    private final ReactiveWebApplicationContextRunner reactive = new ReactiveWebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GeoAutoConfiguration.class, GeoReactiveWebAutoConfiguration.class))
            .withBean("dataSource", DataSource.class, AutoConfigurationBackOffTest.HostDataSource::new)
            .withBean(TenantCatalog.class, InMemoryTenantCatalog::create);

    @Test
    void clientChosenSourcesWithoutAnAuthorizerAreWarnedAbout(CapturedOutput output) {
        reactive.run(context -> assertThat(context).hasNotFailed().hasBean("geoReactiveTenantFilter"));
        assertThat(output).contains(WARNING, "ReactiveTenantAuthorizer");
    }

    @Test
    void aReactiveAuthorizerSilencesTheWarning(CapturedOutput output) {
        reactive.withBean(ReactiveTenantAuthorizer.class, () -> (exchange, tenant) -> Mono.just(true))
                .run(context -> assertThat(context).hasNotFailed().hasBean("geoReactiveTenantFilter"));
        assertThat(output).doesNotContain(WARNING);
    }

    @Test
    void aServletAuthorizerInAReactiveApplicationFailsTheStart() {
        reactive.withBean(TenantAuthorizer.class, () -> (request, tenant) -> true).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("TenantAuthorizer")
                    .hasMessageContaining("ReactiveTenantAuthorizer");
        });
    }
}
