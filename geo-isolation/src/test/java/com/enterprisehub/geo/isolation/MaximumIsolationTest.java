package com.enterprisehub.geo.isolation;

import static com.enterprisehub.geo.isolation.TenantWork.as;
import static com.enterprisehub.geo.isolation.TenantWork.first;
import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.isolation.internal.BindingTokens;
import com.enterprisehub.geo.isolation.migration.Migration;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MAXIMUM: a database and a login role per tenant, each tenant with a small pool of its own. */
class MaximumIsolationTest {
    static final Migration LISTINGS = new Migration(1, "listings",
            "CREATE TABLE listings (id bigserial PRIMARY KEY, title text NOT NULL, price numeric)");

    private static String db;
    private static TenantCatalog tenants;
    private static TenantDataSource dataSource;
    private static Tenant oak;
    private static Tenant pine;

    @BeforeAll
    static void start() throws Exception {
        db = PostgresFixture.newDatabase("maximum");
        tenants = InMemoryTenantCatalog.create();
        oak = TenantWork.active(tenants, "oak", "us-ca", IsolationLevel.MAXIMUM);
        pine = TenantWork.active(tenants, "pine", "us-ny", IsolationLevel.MAXIMUM);
        dataSource = IsolationFixture.builder(tenants, IsolationFixture.endpoint("us-shared", DeploymentRegion.US_WEST, db))
                .migrations(SchemaMigrations.of(List.of(LISTINGS))).build();
        dataSource.provision(oak.id());
        dataSource.provision(pine.id());
        insert(oak, 3);
        insert(pine, 2);
    }

    @AfterAll
    static void stop() {
        dataSource.close();
    }

    static void insert(Tenant tenant, int rows) throws SQLException {
        as(tenant, () -> {
            try (Connection c = dataSource.getConnection()) {
                for (int i = 0; i < rows; i++) {
                    exec(c, "INSERT INTO listings (title, price) VALUES ('" + tenant.id() + " " + i + "', 100)");
                }
            }
            return null;
        });
    }

    private static String location(Tenant tenant) {
        return dataSource.placement(tenant.id()).orElseThrow().location();
    }

    private static String query(Tenant tenant, String sql) throws SQLException {
        return as(tenant, () -> {
            try (Connection c = dataSource.getConnection()) {
                return first(c, sql);
            }
        });
    }

    @Test
    void eachTenantWorksInItsOwnDatabaseAsItsOwnRole() throws Exception {
        assertThat(location(oak)).matches("geo_t\\d+_[0-9a-f]{16}").doesNotContain("oak");
        assertThat(query(oak, "SELECT current_database() || ' ' || current_user")).isEqualTo(location(oak) + " "
                + location(oak));
        assertThat(query(oak, "SELECT count(*) FROM listings")).isEqualTo("3");
        assertThat(query(pine, "SELECT count(*) FROM listings")).isEqualTo("2");
        assertThat(dataSource.openTenantPools()).isEqualTo(2);
    }

    @Test
    void aTenantsCredentialsReachNoOtherTenantsDatabase() throws Exception {
        BindingTokens tokens = new BindingTokens(IsolationFixture.TEST_KEY);
        String oakRole = location(oak);
        String password = new String(tokens.loginPassword(oakRole));
        try (Connection own = DriverManager.getConnection(PostgresFixture.jdbcUrl(oakRole), oakRole, password)) {
            assertThat(first(own, "SELECT count(*) FROM listings")).isEqualTo("3");
            assertThatThrownBy(() -> exec(own, "SET ROLE " + location(pine))).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> exec(own, "CREATE TABLE planted (x int)")).hasMessageContaining("permission denied");
        }
        assertThatThrownBy(() -> DriverManager.getConnection(PostgresFixture.jdbcUrl(location(pine)), oakRole, password))
                .isInstanceOf(SQLException.class).hasMessageContaining("permission denied for database");
        assertThatThrownBy(() -> DriverManager.getConnection(PostgresFixture.jdbcUrl(oakRole), oakRole, "guess"))
                .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
        assertThat(dataSource.selfCheck().get("us-shared")).isEmpty();
    }

    @Test
    void theSelfCheckNoticesATenantDatabaseOpenToOthers() throws Exception {
        try (Connection admin = PostgresFixture.admin("postgres")) {
            exec(admin, "GRANT CONNECT ON DATABASE " + location(pine) + " TO PUBLIC");
            try {
                assertThat(dataSource.selfCheck().get("us-shared")).extracting(SelfCheckException.Finding::problem)
                        .anySatisfy(p -> assertThat(p).contains(location(oak)).contains(location(pine)));
            } finally {
                exec(admin, "REVOKE CONNECT ON DATABASE " + location(pine) + " FROM PUBLIC");
            }
        }
    }

    @Test
    void theNextBorrowerFindsNoLeftoverTransactionNorSetting() throws Exception {
        as(oak, () -> {
            try (Connection c = dataSource.getConnection()) {
                exec(c, "BEGIN; INSERT INTO listings (title) VALUES ('uncommitted'); SET statement_timeout = 1");
            }
            return null;
        });
        assertThat(query(oak, "SELECT count(*) FROM listings WHERE title = 'uncommitted'")).isEqualTo("0");
        assertThat(query(oak, "SHOW statement_timeout")).isEqualTo("0");
    }

    @Test
    void offboardingExportsEveryRowThenDropsTheDatabaseAndTheRole() throws Exception {
        Tenant elm = TenantWork.active(tenants, "elm", "us-ca", IsolationLevel.MAXIMUM);
        dataSource.provision(elm.id());
        insert(elm, 4);
        String location = location(elm);
        StringWriter out = new StringWriter();
        assertThat(dataSource.export(elm.id(), out)).containsEntry("public.listings", 4L);
        assertThat(out.toString().lines()).hasSize(4);
        tenants.transition(elm.id(), TenantState.OFFBOARDING);
        assertThat(dataSource.erase(elm.id())).containsEntry("public.listings", 4L);
        try (Connection admin = PostgresFixture.admin("postgres")) {
            assertThat(first(admin, "SELECT count(*) FROM pg_database WHERE datname = '" + location + "'")).isEqualTo("0");
            assertThat(first(admin, "SELECT count(*) FROM pg_roles WHERE rolname = '" + location + "'")).isEqualTo("0");
        }
        assertThat(dataSource.placement(elm.id())).isEmpty();
    }

    @Test
    void provisioningTwiceChangesNothing() throws Exception {
        TenantPlacement before = dataSource.placement(oak.id()).orElseThrow();
        assertThat(dataSource.provision(oak.id())).isEqualTo(before);
        assertThat(query(oak, "SELECT count(*) FROM listings")).isEqualTo("3");
    }
}
