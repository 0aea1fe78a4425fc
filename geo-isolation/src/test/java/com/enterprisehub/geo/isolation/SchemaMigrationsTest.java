package com.enterprisehub.geo.isolation;

import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.isolation.migration.Migration;
import com.enterprisehub.geo.isolation.migration.MigrationResult;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import com.enterprisehub.geo.test.PostgresFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Versioned per-schema migrations: many schemas in one call, failures reported and finished on a re-run. */
class SchemaMigrationsTest {
    private static final Migration V1 = new Migration(1, "listings",
            "CREATE TABLE listings (id bigserial PRIMARY KEY, title text NOT NULL)");
    private static final Migration V2 = new Migration(2, "listing prices",
            "ALTER TABLE listings ADD COLUMN price numeric(14, 2)");
    private static final SchemaMigrations SET = SchemaMigrations.of(List.of(V2, V1));

    @Test
    void migratesTwoHundredSchemasReportsTheOneThatFailsAndFinishesItOnARerun() throws Exception {
        String db = PostgresFixture.newDatabase("migrate");
        try (Connection c = PostgresFixture.admin(db)) {
            exec(c, "CREATE SCHEMA tenant_017");
            exec(c, "CREATE TABLE tenant_017.listings (something_else int)"); // makes V1 fail there
        }
        Map<String, SchemaMigrations.ConnectionSource> targets = new LinkedHashMap<>();
        for (int i = 0; i < 200; i++) {
            targets.put(String.format("tenant_%03d", i), () -> PostgresFixture.admin(db));
        }

        List<MigrationResult> first = SET.migrateAll(targets, 4);

        assertThat(first).hasSize(200);
        assertThat(first).filteredOn(r -> !r.succeeded()).singleElement().satisfies(r -> {
            assertThat(r.target()).isEqualTo("tenant_017");
            assertThat(r.failure()).get().asString().contains("migration 1 (listings) failed");
        });
        assertThat(first).filteredOn(MigrationResult::succeeded).hasSize(199)
                .allSatisfy(r -> assertThat(r.applied()).containsExactly(1, 2));

        try (Connection c = PostgresFixture.admin(db)) {
            exec(c, "DROP TABLE tenant_017.listings");
        }
        List<MigrationResult> second = SET.migrateAll(targets, 4);
        assertThat(second).allSatisfy(r -> assertThat(r.succeeded()).isTrue());
        assertThat(second).filteredOn(r -> r.target().equals("tenant_017")).singleElement()
                .satisfies(r -> assertThat(r.applied()).containsExactly(1, 2));
        assertThat(second).filteredOn(r -> !r.target().equals("tenant_017"))
                .allSatisfy(r -> assertThat(r.applied()).isEmpty());
        try (Connection c = PostgresFixture.admin(db)) {
            for (int i = 0; i < 200; i += 37) {
                assertThat(count(c, String.format("SELECT count(*) FROM tenant_%03d.geo_schema_history", i)))
                        .isEqualTo(2);
                assertThat(count(c, String.format("SELECT count(*) FROM information_schema.columns WHERE"
                        + " table_schema = 'tenant_%03d' AND table_name = 'listings' AND column_name = 'price'", i)))
                        .isEqualTo(1);
            }
        }
    }

    @Test
    void aMigrationChangedAfterItRanIsRefused() throws Exception {
        String db = PostgresFixture.newDatabase("migrate_sum");
        try (Connection c = PostgresFixture.admin(db)) {
            assertThat(SET.migrate(c, "acme").applied()).containsExactly(1, 2);
            SchemaMigrations edited = SchemaMigrations.of(List.of(new Migration(1, "listings",
                    "CREATE TABLE listings (id bigserial PRIMARY KEY, title text)"), V2));
            MigrationResult result = edited.migrate(c, "acme");
            assertThat(result.succeeded()).isFalse();
            assertThat(result.failure()).get().asString().contains("changed after it was applied");
        }
    }

    @Test
    void twoInstancesMigratingOneSchemaAtOnceApplyEachVersionOnce() throws Exception {
        String db = PostgresFixture.newDatabase("migrate_race");
        CompletableFuture<MigrationResult> a = CompletableFuture.supplyAsync(() -> run(db));
        CompletableFuture<MigrationResult> b = CompletableFuture.supplyAsync(() -> run(db));
        MigrationResult ra = a.get();
        MigrationResult rb = b.get();
        assertThat(ra.succeeded()).isTrue();
        assertThat(rb.succeeded()).isTrue();
        assertThat(ra.applied().size() + rb.applied().size()).isEqualTo(2);
        try (Connection c = PostgresFixture.admin(db)) {
            assertThat(count(c, "SELECT count(*) FROM race.geo_schema_history")).isEqualTo(2);
        }
    }

    @Test
    void refusesDuplicateVersionsAndUnsafeSchemaNames() throws Exception {
        assertThatThrownBy(() -> SchemaMigrations.of(List.of(V1, new Migration(1, "again", "SELECT 1"))))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("version 1");
        assertThatThrownBy(() -> new Migration(0, "zero", "SELECT 1")).isInstanceOf(GeoValidationException.class);
        String db = PostgresFixture.newDatabase("migrate_names");
        try (Connection c = PostgresFixture.admin(db)) {
            assertThatThrownBy(() -> SET.migrate(c, "acme\"; DROP SCHEMA public; --"))
                    .isInstanceOf(GeoValidationException.class);
        }
    }

    private static MigrationResult run(String db) {
        try (Connection c = PostgresFixture.admin(db)) {
            return SET.migrate(c, "race");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
