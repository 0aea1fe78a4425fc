package com.enterprisehub.geo.spi.aws;

import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.isolation.Credentials;
import com.enterprisehub.geo.isolation.DatabaseEndpoint;
import com.enterprisehub.geo.isolation.SecurityEvent;
import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.spi.cloud.DatabaseCredentials;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import com.enterprisehub.geo.test.PostgresFixture;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The SDK's own pools (geo-isolation's {@link TenantDataSource}) with credentials from this provider: the application
 * role's password kept in Secrets Manager and rotated as Secrets Manager's single-user rotation does it while tenants
 * work, and RDS IAM tokens signed per new connection. Real PostgreSQL (embedded; non-superuser logins prove their
 * password with SCRAM), the loopback Secrets Manager.
 */
class TenantPoolPasswordRotationTest {
    private static final byte[] BINDING_KEY = "aws-rotation-test-binding-key-32b!".getBytes(StandardCharsets.UTF_8);
    private static final int POOL = 6;

    @Test
    void aPasswordRotatedBySecretsManagerUnderLoadReachesTheNewConnectionsOfATenantDataSource() throws Exception {
        String db = PostgresFixture.newDatabase("tdsrotation");
        String role = "geo_tdsrot_" + Long.toHexString(System.nanoTime());
        try (Connection admin = PostgresFixture.admin(db)) {
            exec(admin, "CREATE ROLE " + role + " LOGIN PASSWORD 'first-App-Passw0rd'");
            exec(admin, "CREATE TABLE listings (id bigserial PRIMARY KEY, tenant_id text NOT NULL, title text NOT NULL)");
        }
        String namespace = Loopback.namespace();
        LoopbackAws aws = Loopback.aws();
        List<SecurityEvent> reported = Collections.synchronizedList(new ArrayList<>());
        PlatformEvents events = PlatformEvents.create();
        events.subscribe(e -> {
            if (e instanceof SecurityEvent se) {
                reported.add(se);
            }
        });
        try (AwsCloud cloud = Loopback.cloud(Set.of(DeploymentRegion.EUROPE), namespace)) {
            SecretStore secrets = cloud.requireRegion(DeploymentRegion.EUROPE).secrets();
            secrets.put("db/app.password", "first-App-Passw0rd");
            DatabaseCredentials app = DatabasePasswords.fromSecret(role, secrets, "db/app.password");
            assertThat(app.toString()).contains(role).contains("db/app.password").doesNotContain("first-App-Passw0rd");
            TenantCatalog tenants = InMemoryTenantCatalog.create();
            Tenant crown = tenants.create(Tenant.builder("crown").market("gb").organization("Crown Estates")
                    .isolationLevel(IsolationLevel.BASIC).state(TenantState.ACTIVE).build());
            try (TenantDataSource dataSource = TenantDataSource.builder().tenants(tenants)
                    .markets(MarketCatalog.defaults()).bindingKey(BINDING_KEY)
                    .endpoint(new DatabaseEndpoint("eu", DeploymentRegion.EUROPE, PostgresFixture.jdbcUrl(db),
                            new Credentials("postgres", "postgres"), app))
                    .protectTable("listings").maximumPoolSize(POOL).maxConnectionsPerTenant(POOL)
                    .reservedConnections(0).connectionTimeout(Duration.ofSeconds(30)).events(events).build()) {
                dataSource.provision(crown.id());

                // Load: POOL threads borrowing and writing for the tenant; only the first `active` of them work.
                AtomicInteger active = new AtomicInteger(1);
                AtomicBoolean stop = new AtomicBoolean();
                AtomicInteger done = new AtomicInteger();
                List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
                ExecutorService load = Executors.newFixedThreadPool(POOL);
                List<Future<?>> workers = new ArrayList<>();
                for (int i = 0; i < POOL; i++) {
                    int worker = i;
                    workers.add(load.submit(() -> {
                        while (!stop.get()) {
                            if (worker >= active.get()) {
                                sleep(5);
                                continue;
                            }
                            try (TenantContext.Scope scope = TenantContext.open(crown);
                                    Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                                s.execute("INSERT INTO listings (title) VALUES ('w" + worker + "')");
                                try (ResultSet rs = s.executeQuery("SELECT pg_sleep(0.02), count(*) FROM listings")) {
                                    rs.next();
                                }
                                done.incrementAndGet();
                            } catch (SQLException | RuntimeException e) {
                                failures.add(e);
                            }
                        }
                    }));
                }
                Set<Integer> before;
                OffsetDateTime altered;
                int readsBefore;
                int doneBefore;
                try {
                    waitFor("queries before the rotation", () -> done.get() >= 30);
                    before = backends(db, role);
                    assertThat(before).as("the pool's connections before the rotation").isNotEmpty()
                            .hasSizeLessThan(POOL);
                    readsBefore = aws.calls("secretsmanager:GetSecretValue");
                    doneBefore = done.get();

                    // Secrets Manager's single-user rotation: the database gets the new password first...
                    try (Connection admin = PostgresFixture.admin(db); Statement s = admin.createStatement()) {
                        exec(admin, "ALTER ROLE " + role + " PASSWORD 'second-App-Passw0rd'");
                        try (ResultSet rs = s.executeQuery("SELECT clock_timestamp()")) {
                            rs.next();
                            altered = rs.getObject(1, OffsetDateTime.class);
                        }
                    }
                    // ...while the load grows: the pool must open connections, and the one it opens now is refused
                    // (the secret still holds the old password), reported, and retried by the pool; borrowers wait.
                    active.set(POOL);
                    waitFor("a login refused while the secret still held the old password", () -> reported.stream()
                            .anyMatch(e -> e.kind().equals("login-refused")));
                    // ...then AWSCURRENT moves to a new version with the new password.
                    aws.rotateSecret("eu-west-2", namespace + "/db/app.password", "second-App-Passw0rd");
                    // Only a backend started after the ALTER ROLE proves a login with the new password: the pool
                    // may still have been opening one with the old password when `before` was taken.
                    OffsetDateTime alteredAt = altered;
                    waitFor("connections opened with the new password", () -> !backendsStartedAfter(db, role,
                            alteredAt).isEmpty());
                    waitFor("queries after the rotation", () -> done.get() >= doneBefore + 100);
                } finally {
                    stop.set(true); // also when an assertion above failed: no worker outlives the test
                    load.shutdown();
                }
                for (Future<?> w : workers) {
                    w.get(30, TimeUnit.SECONDS);
                }
                assertThat(failures).as("work that failed during the rotation").isEmpty();
                Set<Integer> after = backends(db, role);
                assertThat(after).as("the connections opened before the rotation carry on: the pool was not dropped")
                        .containsAll(before);
                Set<Integer> opened = backendsStartedAfter(db, role, altered);
                assertThat(opened).as("connections started after the ALTER ROLE (the old password is refused, so"
                        + " they logged in with the new one)").isNotEmpty().doesNotContainAnyElementsOf(before);
                int reads = aws.calls("secretsmanager:GetSecretValue") - readsBefore;
                assertThat(reads).as("secret reads: one per login attempt, none per borrow (%d borrows)",
                        done.get() - doneBefore).isPositive().isLessThan((done.get() - doneBefore) / 4);
                try (TenantContext.Scope scope = TenantContext.open(crown); Connection c = dataSource.getConnection();
                        Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT session_user")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo(role);
                }
                assertThat(dataSource.selfCheck().get("eu")).as("a new login of the application role").isEmpty();
                assertThatThrownBy(() -> DriverManager.getConnection(PostgresFixture.jdbcUrl(db), role,
                        "first-App-Passw0rd").close()).as("the old password").isInstanceOf(SQLException.class);
            }
        }
    }

    @Test
    void rdsTokensAreSignedForEachNewConnectionOfTheSdksPoolsAndNeverPerBorrow() throws Exception {
        // PostgreSQL cannot check an RDS token; the fixture's superuser logs in on loopback without a password, so
        // the administrator role here shows when the SDK asks for one: a token signed per administrator connection.
        String db = PostgresFixture.newDatabase("tdsrds");
        AtomicInteger signed = new AtomicInteger();
        AwsCredentialsProvider counting = () -> {
            signed.incrementAndGet();
            AwsCredentials credentials = Loopback.CREDENTIALS.resolveCredentials();
            return credentials;
        };
        try (RdsAuthTokens tokens = RdsAuthTokens.builder().endpoint("localhost", 5432).user("postgres")
                .region(DeploymentRegion.EUROPE, Region.EU_WEST_2).credentials(counting).build()) {
            // The embedded PostgreSQL has no TLS, and an endpoint refuses RdsAuthTokens without sslmode=verify-full
            // (DatabaseSecretFormatsTest): the same tokens through DatabaseCredentials.of, which asks nothing of the
            // URL, so this test counts what it is about, the signatures per connection. (A host doing this sends
            // tokens without verifying the server: not for production.)
            assertThat(tokens.requiresVerifiedTls()).isTrue();
            DatabaseCredentials admin = DatabaseCredentials.of(tokens.user(), tokens::password);
            assertThat(admin.user()).isEqualTo("postgres");
            String first = admin.password();
            assertThat(first).contains("Action=connect").contains("DBUser=postgres");
            TenantCatalog tenants = InMemoryTenantCatalog.create();
            Tenant crown = tenants.create(Tenant.builder("crown").market("gb").organization("Crown Estates")
                    .isolationLevel(IsolationLevel.BASIC).state(TenantState.ACTIVE).build());
            try (TenantDataSource dataSource = TenantDataSource.builder().tenants(tenants)
                    .markets(MarketCatalog.defaults()).bindingKey(BINDING_KEY)
                    .endpoint(new DatabaseEndpoint("eu", DeploymentRegion.EUROPE, PostgresFixture.jdbcUrl(db), admin,
                            new Credentials(PostgresFixture.APP_ROLE, "app"))).build()) {
                int atStart = signed.get();
                assertThat(atStart).as("tokens signed for the start's administrator connections").isGreaterThan(1);
                dataSource.provision(crown.id());
                int afterProvisioning = signed.get();
                assertThat(afterProvisioning).as("provisioning's administrator connections").isGreaterThan(atStart);
                for (int i = 0; i < 20; i++) {
                    try (TenantContext.Scope scope = TenantContext.open(crown); Connection c = dataSource.getConnection();
                            Statement s = c.createStatement()) {
                        s.execute("SELECT 1");
                    }
                }
                assertThat(signed.get()).as("borrows sign nothing").isEqualTo(afterProvisioning);
                try (Connection c = dataSource.controlPlaneConnection("eu")) {
                    assertThat(c.isValid(1)).isTrue();
                }
                assertThat(signed.get()).as("one more administrator connection, one more token")
                        .isEqualTo(afterProvisioning + 1);
            }
        }
    }

    private static Set<Integer> backends(String db, String role) {
        Set<Integer> pids = new HashSet<>();
        try (Connection admin = PostgresFixture.admin(db); Statement s = admin.createStatement();
                ResultSet rs = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE usename = '" + role + "'")) {
            while (rs.next()) {
                pids.add(rs.getInt(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return pids;
    }

    /** The backends of {@code role} whose process started after {@code instant} (server clock). */
    private static Set<Integer> backendsStartedAfter(String db, String role, OffsetDateTime instant) {
        Set<Integer> pids = new HashSet<>();
        try (Connection admin = PostgresFixture.admin(db); PreparedStatement ps = admin.prepareStatement(
                "SELECT pid FROM pg_stat_activity WHERE usename = ? AND backend_start > ?")) {
            ps.setString(1, role);
            ps.setObject(2, instant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pids.add(rs.getInt(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return pids;
    }

    private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
