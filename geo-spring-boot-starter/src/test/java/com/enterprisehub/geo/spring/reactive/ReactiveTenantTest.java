package com.enterprisehub.geo.spring.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.NoTenantBoundException;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.spring.ReactiveTenantAuthorizer;
import com.enterprisehub.geo.spring.ReactiveTenantContext;
import com.enterprisehub.geo.spring.TestEndpoints;
import com.enterprisehub.geo.spring.autoconfigure.GeoAutoConfiguration;
import com.enterprisehub.geo.spring.autoconfigure.GeoReactiveWebAutoConfiguration;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.config.EnableWebFlux;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A WebFlux application on the starter: the request's tenant travels in the Reactor context and is bound only around
 * the blocking JDBC calls, on the thread that runs them; BASIC and ENHANCED tenants, interleaved, each see their own
 * rows of a real tenant data source on embedded PostgreSQL; refusals are problem details; no tenant, no data.
 */
class ReactiveTenantTest {
    @Configuration(proxyBeanMethods = false)
    @EnableWebFlux
    static class Application {
        @Bean
        RouterFunction<ServerResponse> listings(TenantDataSource dataSource) {
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            return RouterFunctions.route()
                    .GET("/listings", request -> ReactiveTenantContext.blocking(() -> String.join(",",
                            jdbc.queryForList("SELECT title FROM listings ORDER BY id", String.class)))
                            .flatMap(body -> ServerResponse.ok().bodyValue(body)))
                    .POST("/listings/{title}", request -> ReactiveTenantContext.blocking(() -> jdbc.update(
                            "INSERT INTO listings (title) VALUES (?)", request.pathVariable("title")))
                            .flatMap(rows -> ServerResponse.ok().bodyValue(String.valueOf(rows))))
                    .GET("/actuator/listings", request -> ReactiveTenantContext.blocking(() -> "never")
                            .flatMap(body -> ServerResponse.ok().bodyValue(body))
                            .onErrorResume(NoTenantBoundException.class,
                                    e -> ServerResponse.status(500).bodyValue("no tenant")))
                    // which tenant the chain carries, and on which thread the handler runs
                    .GET("/api/**", request -> ReactiveTenantContext.current().map(t -> t.id().value())
                            .defaultIfEmpty("no tenant").map(t -> t + "@" + Thread.currentThread().getName())
                            .flatMap(body -> ServerResponse.ok().bodyValue(body)))
                    .build();
        }

        /** Denies tenant dale to everyone. */
        @Bean
        ReactiveTenantAuthorizer authorizer() {
            return (exchange, tenant) -> Mono.just(!tenant.id().value().equals("dale"));
        }
    }

    @Test
    void eachTenantSeesItsOwnRowsThroughTheReactorContext() {
        new ReactiveWebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GeoAutoConfiguration.class,
                        GeoReactiveWebAutoConfiguration.class))
                .withUserConfiguration(Application.class)
                .withPropertyValues(TestEndpoints.properties("reactive"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    TenantCatalog tenants = context.getBean(TenantCatalog.class);
                    TenantDataSource dataSource = context.getBean(TenantDataSource.class);
                    for (Tenant t : List.of(
                            Tenant.builder("acme").market("ca").organization("Acme").build(),
                            Tenant.builder("birch").market("ca").organization("Birch")
                                    .isolationLevel(IsolationLevel.ENHANCED).build(),
                            Tenant.builder("cedar").market("ca").organization("Cedar").build(),
                            Tenant.builder("dale").market("ca").organization("Dale").build())) {
                        tenants.create(t);
                        dataSource.provision(t.id());
                        tenants.transition(t.id(), TenantState.ACTIVE);
                    }
                    WebTestClient client = WebTestClient.bindToApplicationContext(context).configureClient()
                            .responseTimeout(Duration.ofSeconds(30)).build();
                    for (int round = 0; round < 2; round++) {
                        for (String tenant : List.of("acme", "birch", "cedar")) {
                            client.post().uri("/listings/" + tenant + "-" + round).header("X-Tenant-Id", tenant)
                                    .exchange().expectStatus().isOk().expectBody(String.class).isEqualTo("1");
                        }
                    }
                    for (String tenant : List.of("acme", "birch", "cedar")) {
                        client.get().uri("/listings").header("X-Tenant-Id", tenant).exchange().expectStatus().isOk()
                                .expectBody(String.class).isEqualTo(tenant + "-0," + tenant + "-1");
                    }
                    client.get().uri("/listings").header("X-Tenant-Id", "nobody").exchange()
                            .expectStatus().isNotFound().expectHeader()
                            .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                            .expectBody(String.class).consumeWith(r -> assertThat(r.getResponseBody())
                                    .contains("\"title\":\"Unknown tenant\"", "\"status\":404"));
                    client.get().uri("/listings").exchange().expectStatus().isBadRequest().expectBody(String.class)
                            .consumeWith(r -> assertThat(r.getResponseBody()).contains(
                                    "\"title\":\"Tenant not resolved\""));
                    tenants.transition(com.enterprisehub.geo.core.tenant.TenantId.of("cedar"),
                            TenantState.SUSPENDED);
                    client.get().uri("/listings").header("X-Tenant-Id", "cedar").exchange()
                            .expectStatus().isForbidden();
                    // the authorizer denies dale: 403, the same problem as the servlet filter's, the handler never runs
                    client.get().uri("/api/whoami").header("X-Tenant-Id", "dale").exchange()
                            .expectStatus().isForbidden().expectHeader()
                            .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                            .expectBody(String.class).consumeWith(r -> assertThat(r.getResponseBody())
                                    .contains("\"title\":\"Tenant not permitted\"", "\"status\":403")
                                    .doesNotContain("dale@"));
                    // dot segments leading from /api into an excluded path: WebFlux routes the raw path (to /api/**),
                    // so the filter must not exclude it
                    client.get().uri("/api/x/../../actuator/health").exchange()
                            .expectStatus().isBadRequest();
                    client.get().uri("/api/x/../../actuator/health").header("X-Tenant-Id", "acme").exchange()
                            .expectStatus().isOk().expectBody(String.class)
                            .consumeWith(r -> assertThat(r.getResponseBody()).startsWith("acme@"));
                    // a permitted tenant reaches the handler, which does not run on the catalog lookup's
                    // boundedElastic thread
                    client.get().uri("/api/whoami").header("X-Tenant-Id", "acme").exchange()
                            .expectStatus().isOk().expectBody(String.class).consumeWith(r -> assertThat(
                                    r.getResponseBody()).startsWith("acme@").doesNotContain("boundedElastic"));
                    // an excluded path has no tenant in its context: its data access fails closed
                    client.get().uri("/actuator/listings").header("X-Tenant-Id", "acme").exchange()
                            .expectStatus().is5xxServerError().expectBody(String.class).isEqualTo("no tenant");
                });
    }

    @Test
    void theTenantIsBoundOnlyForTheBlockingCallAndNeverLeftOnTheWorker() {
        Tenant acme = Tenant.builder("acme").market("ca").organization("Acme").state(TenantState.ACTIVE).build();
        Scheduler worker = Schedulers.newSingle("geo-worker");
        try {
            String seen = ReactiveTenantContext.blocking(() -> TenantContext.require().id().value() + "@"
                    + Thread.currentThread().getName(), worker).contextWrite(ReactiveTenantContext.with(acme))
                    .block(Duration.ofSeconds(10));
            assertThat(seen).startsWith("acme@geo-worker");
            // the same worker thread, next task: nothing bound any more
            assertThat(Mono.fromCallable(TenantContext::isBound).subscribeOn(worker).block(Duration.ofSeconds(10)))
                    .isFalse();
            assertThat(ReactiveTenantContext.current().contextWrite(ReactiveTenantContext.with(acme))
                    .block(Duration.ofSeconds(10))).isEqualTo(acme);
            Mono<String> none = ReactiveTenantContext.blocking(() -> "ran", worker);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> none.block(Duration.ofSeconds(10)))
                    .isInstanceOf(NoTenantBoundException.class);
            assertThat(TenantContext.isBound()).isFalse();
        } finally {
            worker.dispose();
        }
    }
}
