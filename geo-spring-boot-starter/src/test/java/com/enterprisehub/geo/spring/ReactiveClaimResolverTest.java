package com.enterprisehub.geo.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.spring.autoconfigure.GeoAutoConfiguration;
import com.enterprisehub.geo.spring.autoconfigure.GeoReactiveWebAutoConfiguration;
import com.enterprisehub.geo.spring.autoconfigure.GeoSecurityClaimsAutoConfiguration;
import java.time.Instant;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.config.EnableWebFlux;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

/**
 * WebFlux with {@code geo.resolver.claim}: the tenant comes from the verified claim and nothing else a client sends,
 * as in a servlet application ({@code ClaimResolverAutoConfigurationTest}), through {@code WebTestClient}.
 */
class ReactiveClaimResolverTest {
    @Configuration(proxyBeanMethods = false)
    @EnableWebFlux
    static class Application {
        /** Which tenant the chain carries. */
        @Bean
        RouterFunction<ServerResponse> whoami() {
            return RouterFunctions.route().GET("/whoami", request -> ReactiveTenantContext.current()
                    .map(t -> t.id().value()).defaultIfEmpty("none").flatMap(id -> ServerResponse.ok().bodyValue(id)))
                    .build();
        }
    }

    /** Stands for a verified token: the test's requests name their token's tenant in X-Verified-Tenant. */
    static final ReactiveVerifiedClaims FROM_TEST_TOKEN = exchange -> Mono.justOrEmpty(
            exchange.getRequest().getHeaders().getFirst("X-Verified-Tenant")).map(t -> Map.of("tenant_id", t));

    private final ReactiveWebApplicationContextRunner web = new ReactiveWebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GeoAutoConfiguration.class, GeoReactiveWebAutoConfiguration.class,
                    GeoSecurityClaimsAutoConfiguration.class))
            .withUserConfiguration(Application.class)
            .withBean("dataSource", DataSource.class, AutoConfigurationBackOffTest.HostDataSource::new)
            .withBean(TenantCatalog.class, () -> {
                InMemoryTenantCatalog catalog = InMemoryTenantCatalog.create();
                for (String id : new String[] {"victim", "mine"}) {
                    catalog.create(Tenant.builder(id).market("ca").organization("Org").state(TenantState.ACTIVE)
                            .build());
                }
                return catalog;
            });

    @Test
    void theClaimAloneNamesTheTenantAndIsRequired() {
        web.withPropertyValues("geo.resolver.claim=tenant_id").withBean(ReactiveVerifiedClaims.class,
                () -> FROM_TEST_TOKEN).run(context -> {
                    assertThat(context).hasNotFailed();
                    WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
                    // the header is ignored, not compared
                    client.get().uri("/whoami").header("X-Tenant-Id", "victim").header("X-Verified-Tenant", "mine")
                            .exchange().expectStatus().isOk().expectBody(String.class).isEqualTo("mine");
                    // no verified token: 400, however the client names a tenant
                    client.get().uri("/whoami").header("X-Tenant-Id", "victim").exchange()
                            .expectStatus().isBadRequest().expectBody(String.class).consumeWith(r -> assertThat(
                                    r.getResponseBody()).contains("\"title\":\"Tenant not resolved\"", "tenant_id"));
                });
    }

    @Test
    void aHeaderConfiguredBesideTheClaimMustAgreeWithIt() {
        web.withPropertyValues("geo.resolver.claim=tenant_id", "geo.resolver.header=X-Tenant-Id")
                .withBean(ReactiveVerifiedClaims.class, () -> FROM_TEST_TOKEN).run(context -> {
                    WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
                    client.get().uri("/whoami").header("X-Tenant-Id", "mine").header("X-Verified-Tenant", "mine")
                            .exchange().expectStatus().isOk().expectBody(String.class).isEqualTo("mine");
                    client.get().uri("/whoami").header("X-Tenant-Id", "victim").header("X-Verified-Tenant", "mine")
                            .exchange().expectStatus().isBadRequest();
                    client.get().uri("/whoami").header("X-Tenant-Id", "victim").exchange()
                            .expectStatus().isBadRequest();
                });
    }

    @Test
    void aClaimWithoutAVerifiedClaimsSourceFailsTheStart() {
        new ReactiveWebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GeoAutoConfiguration.class,
                        GeoReactiveWebAutoConfiguration.class))
                .withUserConfiguration(Application.class)
                .withBean("dataSource", DataSource.class, AutoConfigurationBackOffTest.HostDataSource::new)
                .withBean(TenantCatalog.class, InMemoryTenantCatalog::create)
                .withPropertyValues("geo.resolver.claim=tenant_id")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("geo.resolver.claim").hasMessageContaining("ReactiveVerifiedClaims"));
    }

    /** Spring Security's reactive resource server puts the authenticated token in the exchange's principal. */
    @Configuration(proxyBeanMethods = false)
    static class AuthenticatedJwt {
        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        WebFilter authenticated() {
            return (exchange, chain) -> {
                String tenant = exchange.getRequest().getHeaders().getFirst("X-Verified-Tenant");
                if (tenant == null) {
                    return chain.filter(exchange);
                }
                Jwt jwt = Jwt.withTokenValue("t").header("alg", "none").claim("tenant_id", tenant)
                        .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(60)).build();
                return chain.filter(exchange.mutate().principal(Mono.just(new JwtAuthenticationToken(jwt, java.util.List.of()))).build());
            };
        }
    }

    @Test
    void theResourceServersTokenIsTheDefaultSource() {
        web.withPropertyValues("geo.resolver.claim=tenant_id").withUserConfiguration(AuthenticatedJwt.class)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasBean("geoReactiveBearerTokenClaims");
                    WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
                    client.get().uri("/whoami").header("X-Verified-Tenant", "mine").exchange()
                            .expectStatus().isOk().expectBody(String.class).isEqualTo("mine");
                    client.get().uri("/whoami").header("X-Tenant-Id", "mine").exchange()
                            .expectStatus().isBadRequest();
                });
    }
}
