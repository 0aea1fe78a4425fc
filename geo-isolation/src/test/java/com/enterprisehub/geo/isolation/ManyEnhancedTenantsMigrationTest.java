package com.enterprisehub.geo.isolation;

import static com.enterprisehub.geo.isolation.TenantWork.as;
import static com.enterprisehub.geo.isolation.TenantWork.first;
import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.isolation.migration.Migration;
import com.enterprisehub.geo.isolation.migration.MigrationResult;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 3: migrating 200 ENHANCED tenants is one call with bounded parallelism that reports per-tenant
 * success or failure, keeps going, and can be re-run to finish what failed; each tenant then works with its
 * new tables through the data source.
 */
class ManyEnhancedTenantsMigrationTest {
    private static final int TENANTS = 200;
    private static final int PARALLELISM = 4;
    private static final Migration V1 = new Migration(1, "listings",
            "CREATE TABLE listings (id bigserial PRIMARY KEY, title text NOT NULL, price numeric)");
    /**
     * Fails for the schemas listed in public.migration_blockers; records, for every schema it runs in, how
     * many migrations of this data source were running at that moment (sessions inside this statement), and
     * sleeps a little so that overlapping runs are seen.
     */
    private static final Migration V2 = new Migration(2, "floor area",
            "INSERT INTO public.migration_log (schema_name, running) SELECT current_schema(), count(*)"
                    + " FROM pg_stat_activity WHERE query LIKE '%migration-2-marker%' AND state = 'active';"
                    + " SELECT pg_sleep(0.02) /* migration-2-marker */;"
                    + " DO $$ BEGIN IF EXISTS (SELECT 1 FROM public.migration_blockers b"
                    + " WHERE b.schema_name = current_schema()) THEN"
                    + " RAISE EXCEPTION 'blocked for %', current_schema(); END IF; END $$;"
                    + " ALTER TABLE listings ADD COLUMN sqft integer");

    @Test
    void twoHundredTenantsInOneCallWithBoundedParallelismFailuresReportedAndFinishedOnARerun() throws Exception {
        String db = PostgresFixture.newDatabase("enhanced_many");
        try (Connection c = PostgresFixture.admin(db)) {
            exec(c, "CREATE TABLE migration_blockers (schema_name text PRIMARY KEY)");
            exec(c, "CREATE TABLE migration_log (schema_name text NOT NULL, running bigint NOT NULL)");
            exec(c, "GRANT SELECT ON migration_blockers TO PUBLIC; GRANT INSERT ON migration_log TO PUBLIC");
        }
        DatabaseEndpoint endpoint = IsolationFixture.endpoint("us-shared", DeploymentRegion.US_WEST, db);
        TenantCatalog tenants = InMemoryTenantCatalog.create();
        List<Tenant> all = new ArrayList<>();
        for (int i = 0; i < TENANTS; i++) {
            all.add(TenantWork.active(tenants, String.format("agency-%03d", i), "us-ca", IsolationLevel.ENHANCED));
        }
        try (TenantDataSource v1 = IsolationFixture.builder(tenants, endpoint)
                .migrations(SchemaMigrations.of(List.of(V1))).build()) {
            ExecutorService pool = Executors.newFixedThreadPool(PARALLELISM);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (Tenant t : all) {
                    done.add(pool.submit(() -> v1.provision(t.id())));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
        }
        Set<String> blocked = Set.of("agency-007", "agency-100", "agency-199");

        try (TenantDataSource v2 = IsolationFixture.builder(tenants, endpoint)
                .migrations(SchemaMigrations.of(List.of(V1, V2))).build()) {
            try (Connection c = PostgresFixture.admin(db)) {
                for (String id : blocked) {
                    exec(c, "INSERT INTO migration_blockers VALUES ('"
                            + v2.placement(com.enterprisehub.geo.core.tenant.TenantId.of(id)).orElseThrow().location()
                            + "')");
                }
            }

            List<MigrationResult> first = v2.migrateTenants(PARALLELISM);

            assertThat(first).hasSize(TENANTS);
            assertThat(first).extracting(MigrationResult::target)
                    .containsExactlyInAnyOrderElementsOf(all.stream().map(t -> t.id().value()).toList());
            assertThat(first).filteredOn(r -> !r.succeeded()).extracting(MigrationResult::target)
                    .containsExactlyInAnyOrderElementsOf(blocked);
            assertThat(first).filteredOn(r -> !r.succeeded())
                    .allSatisfy(r -> assertThat(r.failure()).get().asString().contains("blocked for"));
            assertThat(first).filteredOn(MigrationResult::succeeded).hasSize(TENANTS - blocked.size())
                    .allSatisfy(r -> assertThat(r.applied()).containsExactly(2));
            long maxRunning;
            long ran;
            try (Connection c = PostgresFixture.admin(db)) {
                maxRunning = Long.parseLong(first(c, "SELECT max(running) FROM migration_log"));
                ran = Long.parseLong(first(c, "SELECT count(DISTINCT schema_name) FROM migration_log"));
            }
            // Every tenant that succeeded logged its run (a failed migration rolls its log row back with it),
            // never more than PARALLELISM at once, and more than one at a time.
            assertThat(ran).isEqualTo(TENANTS - blocked.size());
            assertThat(maxRunning).isBetween(2L, (long) PARALLELISM);

            // A migrated tenant works with its new column; a blocked one still has its old table.
            assertThat(columns(v2, all.get(1))).isEqualTo("4");
            assertThat(columns(v2, all.get(7))).isEqualTo("3");

            try (Connection c = PostgresFixture.admin(db)) {
                exec(c, "DELETE FROM migration_blockers");
            }
            List<MigrationResult> again = v2.migrateTenants(PARALLELISM);
            assertThat(again).hasSize(TENANTS).allMatch(MigrationResult::succeeded);
            assertThat(again.stream().filter(r -> !r.applied().isEmpty()).map(MigrationResult::target)
                    .collect(Collectors.toSet())).isEqualTo(blocked);
            assertThat(columns(v2, all.get(7))).isEqualTo("4");
            System.out.printf("migrateTenants: %d ENHANCED tenants, parallelism %d (at most %d seen running),"
                    + " %d failed then finished on a re-run%n", TENANTS, PARALLELISM, maxRunning, blocked.size());
        }
    }

    private static String columns(TenantDataSource ds, Tenant tenant) throws SQLException {
        return as(tenant, () -> {
            try (Connection c = ds.getConnection()) {
                exec(c, "INSERT INTO listings (title, price) VALUES ('x', 1)");
                return first(c, "SELECT count(*) FROM information_schema.columns WHERE table_schema ="
                        + " current_schema() AND table_name = 'listings'");
            }
        });
    }
}
