package com.enterprisehub.geo.isolation;

import static com.enterprisehub.geo.isolation.TenantWork.as;
import static com.enterprisehub.geo.isolation.TenantWork.first;
import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.spi.cloud.DatabaseCredentials;
import com.enterprisehub.geo.test.PostgresFixture;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Endpoints whose passwords are read for each new physical connection ({@link DatabaseCredentials}): the shared
 * pool's application role, the administrator connections (control plane, self-check, provisioning) and a dedicated
 * server's administrator follow a rotation; the password is asked for per connection, not per borrow; a source that
 * has no password opens nothing. Real PostgreSQL, whose non-superuser logins prove their password (SCRAM).
 */
class CredentialsRotationTest {
    private static final int POOL = 3;

    @Test
    void rotatedPasswordsReachNewConnectionsOfThePoolTheAdministratorAndADedicatedServer() throws Exception {
        String db = PostgresFixture.newDatabase("credrot");
        String dedicatedDb = PostgresFixture.newDatabase("credrot_ded");
        String suffix = Long.toHexString(System.nanoTime());
        String appRole = "geo_credrot_app_" + suffix;
        String adminRole = "geo_credrot_adm_" + suffix;
        try (Connection c = PostgresFixture.admin(db)) {
            exec(c, "CREATE ROLE " + appRole + " LOGIN PASSWORD 'app-First-1'");
            exec(c, "CREATE ROLE " + adminRole + " LOGIN SUPERUSER PASSWORD 'adm-First-1'");
            exec(c, "CREATE TABLE listings (id bigserial PRIMARY KEY, tenant_id text NOT NULL, title text NOT NULL)");
        }
        AtomicReference<String> appPassword = new AtomicReference<>("app-First-1");
        AtomicReference<String> adminPassword = new AtomicReference<>("adm-First-1");
        AtomicInteger appReads = new AtomicInteger();
        DatabaseCredentials app = DatabaseCredentials.of(appRole, () -> {
            appReads.incrementAndGet();
            return appPassword.get();
        });
        DatabaseCredentials admin = DatabaseCredentials.of(adminRole, adminPassword::get);
        DatabaseEndpoint endpoint = new DatabaseEndpoint("eu-rotating", DeploymentRegion.EUROPE,
                PostgresFixture.jdbcUrl(db), admin, app);
        assertThat(endpoint.toString()).as("no password in the endpoint's description").contains(appRole)
                .doesNotContain("app-First-1").doesNotContain("adm-First-1");

        TenantCatalog tenants = InMemoryTenantCatalog.create();
        Tenant acme = TenantWork.active(tenants, "acme", "gb", IsolationLevel.BASIC);
        Tenant crown = TenantWork.active(tenants, "crown", "gb", IsolationLevel.REGULATORY);
        List<SecurityEvent> reported = Collections.synchronizedList(new ArrayList<>());
        PlatformEvents events = PlatformEvents.create();
        events.subscribe(e -> {
            if (e instanceof SecurityEvent se) {
                reported.add(se);
            }
        });
        try (TenantDataSource dataSource = IsolationFixture.builder(tenants, endpoint)
                .dedicatedServer(new DedicatedServer("crown-uk", crown.id(), DeploymentRegion.EUROPE,
                        PostgresFixture.jdbcUrl(dedicatedDb), admin))
                .protectTable("listings").maximumPoolSize(POOL).maxConnectionsPerTenant(POOL).reservedConnections(0)
                .events(events).build()) {
            dataSource.provision(acme.id());
            int borrows = 30;
            for (int i = 0; i < borrows; i++) {
                insert(dataSource, acme, "before " + i);
            }
            assertThat(appReads.get()).as("application passwords read: one per new physical connection (the pool's"
                    + " 3 and the self-check's), none per borrow").isBetween(1, 4);

            // The pool at its maximum size, every connection logged in: it cannot open another one (HikariCP adds
            // connections only below its maximum, here to keep 2 idle), so no login of the pool's background filler
            // falls between the database's and the source's change below, which the old password would fail.
            // The backends of these connections are the ones opened before the rotation.
            Set<Integer> before = holdAllAtOnce(dataSource, acme);
            assertThat(before).as("the pool's connections, all borrowed at once").hasSize(POOL);

            // Rotation: the database first, then the source (as Secrets Manager's single-user rotation does).
            try (Connection c = PostgresFixture.admin(db)) {
                exec(c, "ALTER ROLE " + appRole + " PASSWORD 'app-Second-2'");
                exec(c, "ALTER ROLE " + adminRole + " PASSWORD 'adm-Second-2'");
            }
            appPassword.set("app-Second-2");
            adminPassword.set("adm-Second-2");
            int readsBefore = appReads.get();

            // The pool's open connections carry on, untouched.
            insert(dataSource, acme, "after");
            assertThat(backends(db, appRole)).as("the connections opened before the rotation are still open")
                    .containsAll(before);
            // New connections: the self-check's own application login and administrator logins on the endpoint and
            // the dedicated server (each would fail with SQLSTATE 28P01 on the old password).
            assertThat(dataSource.selfCheck()).as("self-check after the rotation: it ran, and found nothing")
                    .containsOnlyKeys("eu-rotating", "crown-uk").allSatisfy((name, findings) -> assertThat(findings)
                            .isEmpty());
            assertThat(appReads.get()).as("the self-check's application login read the password again")
                    .isGreaterThan(readsBefore);
            try (Connection c = dataSource.controlPlaneConnection("eu-rotating")) {
                assertThat(first(c, "SELECT session_user")).isEqualTo(adminRole);
            }
            try (Connection c = dataSource.controlPlaneConnection("crown-uk")) {
                assertThat(first(c, "SELECT session_user")).isEqualTo(adminRole);
            }
            Tenant bayview = TenantWork.active(tenants, "bayview", "gb", IsolationLevel.BASIC);
            dataSource.provision(bayview.id()); // administrator connections
            insert(dataSource, bayview, "provisioned after the rotation");
            assertThat(reported).extracting(SecurityEvent::kind).as("no login was refused")
                    .doesNotContain("login-refused");
            assertThatThrownBy(() -> DriverManager.getConnection(PostgresFixture.jdbcUrl(db), appRole, "app-First-1"))
                    .as("the old application password").isInstanceOf(SQLException.class);
        }
    }

    @Test
    void aSourceWithoutAPasswordOpensNoConnectionAndNamesTheUserNotThePassword() throws Exception {
        String db = PostgresFixture.newDatabase("credfail");
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        DatabaseCredentials admin = DatabaseCredentials.of("postgres", () -> {
            RuntimeException e = failure.get();
            if (e != null) {
                throw e;
            }
            return "postgres";
        });
        TenantCatalog tenants = InMemoryTenantCatalog.create();
        try (TenantDataSource dataSource = IsolationFixture.builder(tenants, new DatabaseEndpoint("eu-failing",
                DeploymentRegion.EUROPE, PostgresFixture.jdbcUrl(db), admin,
                new Credentials(PostgresFixture.APP_ROLE, "app"))).maximumPoolSize(1).build()) {
            // A source's message may hold what it parsed (secret text): the SQLException, which HikariCP and the
            // SDK's messages pass on, names the exception's class; the exception itself is the cause.
            failure.set(new GeoException("secret db/admin.password does not exist: {\"password\":\"s3cr3t"));
            assertThatThrownBy(() -> dataSource.controlPlaneConnection("eu-failing")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("postgres").hasMessageContaining("eu-failing")
                    .hasMessageContaining(GeoException.class.getName()).hasMessageNotContaining("s3cr3t")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"))
                    .cause().isSameAs(failure.get());
            assertThatThrownBy(() -> dataSource.provision(TenantWork.active(tenants, "late", "gb",
                    IsolationLevel.BASIC).id())).as("provisioning needs the administrator")
                    .hasMessageContaining(GeoException.class.getName()).hasMessageNotContaining("s3cr3t");
            failure.set(null);
            try (Connection c = dataSource.controlPlaneConnection("eu-failing")) {
                assertThat(c.isValid(1)).as("the source has a password again").isTrue();
            }
        }
        assertThatThrownBy(() -> DatabaseCredentials.of("geo_app", () -> null).password())
                .isInstanceOf(GeoException.class).hasMessageContaining("geo_app").hasMessageContaining("no password");
        assertThatThrownBy(() -> DatabaseCredentials.of(" ", () -> "x")).isInstanceOf(GeoValidationException.class);
        assertThat(DatabaseCredentials.of("geo_app", () -> "s3cret").toString()).contains("geo_app")
                .doesNotContain("s3cret");
    }

    /** Borrows {@link #POOL} connections of {@code tenant} at once; their backends' process ids. */
    private static Set<Integer> holdAllAtOnce(TenantDataSource dataSource, Tenant tenant) throws SQLException {
        return as(tenant, () -> {
            List<Connection> held = new ArrayList<>();
            try {
                Set<Integer> pids = new HashSet<>();
                for (int i = 0; i < POOL; i++) {
                    Connection c = dataSource.getConnection();
                    held.add(c);
                    pids.add(Integer.parseInt(first(c, "SELECT pg_backend_pid()")));
                }
                return pids;
            } finally {
                for (Connection c : held) {
                    c.close();
                }
            }
        });
    }

    /** The process ids of {@code role}'s sessions on the fixture's server. */
    private static Set<Integer> backends(String db, String role) throws SQLException {
        Set<Integer> pids = new HashSet<>();
        try (Connection c = PostgresFixture.admin(db); PreparedStatement ps = c.prepareStatement(
                "SELECT pid FROM pg_stat_activity WHERE usename = ?")) {
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pids.add(rs.getInt(1));
                }
            }
        }
        return pids;
    }

    private static void insert(TenantDataSource dataSource, Tenant tenant, String title) throws SQLException {
        as(tenant, () -> {
            try (Connection c = dataSource.getConnection()) {
                exec(c, "INSERT INTO listings (title) VALUES ('" + title + "')");
                assertThat(first(c, "SELECT session_user")).isNotEqualTo("postgres");
            }
            return null;
        });
    }
}
