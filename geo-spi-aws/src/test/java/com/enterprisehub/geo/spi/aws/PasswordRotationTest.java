package com.enterprisehub.geo.spi.aws;

import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import com.enterprisehub.geo.test.PostgresFixture;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.Credentials;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A database password rotated by Secrets Manager while a pool is under load: in-flight work carries on, the pool is
 * not dropped, and connections opened afterwards log in with the new password (the old one no longer works).
 * Real PostgreSQL (embedded; it checks passwords with SCRAM) and a real HikariCP pool.
 */
class PasswordRotationTest {

    @Test
    void aRotatedPasswordReachesNewConnectionsWithoutFailingWorkInFlight() throws Exception {
        String db = PostgresFixture.newDatabase("rotation");
        String role = "geo_rot_" + Long.toHexString(System.nanoTime());
        try (Connection admin = PostgresFixture.admin(db)) {
            exec(admin, "CREATE ROLE " + role + " LOGIN PASSWORD 'first-Passw0rd'");
        }
        String namespace = Loopback.namespace();
        try (AwsCloud cloud = Loopback.cloud(Set.of(DeploymentRegion.EUROPE), namespace)) {
            SecretStore secrets = cloud.requireRegion(DeploymentRegion.EUROPE).secrets();
            secrets.put("db/app.password", "first-Passw0rd");
            Supplier<String> passwords = DatabasePasswords.fromSecret(secrets, "db/app.password");

            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(PostgresFixture.jdbcUrl(db));
            config.setCredentialsProvider(() -> Credentials.of(role, passwords.get()));
            config.setMaximumPoolSize(4);
            config.setMinimumIdle(4);
            config.setConnectionTimeout(10_000);
            try (HikariDataSource pool = new HikariDataSource(config)) {
                AtomicBoolean stop = new AtomicBoolean();
                AtomicInteger done = new AtomicInteger();
                List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
                ExecutorService load = Executors.newFixedThreadPool(6);
                List<Future<?>> workers = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    workers.add(load.submit(() -> {
                        while (!stop.get()) {
                            try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                                    ResultSet rs = s.executeQuery("SELECT pg_sleep(0.005), 1")) {
                                rs.next();
                                done.incrementAndGet();
                            } catch (SQLException | RuntimeException e) {
                                failures.add(e);
                            }
                        }
                    }));
                }
                waitFor(done, 100);

                // Secrets Manager's rotation: the database gets the new password, then AWSCURRENT moves to it.
                try (Connection admin = PostgresFixture.admin(db)) {
                    exec(admin, "ALTER ROLE " + role + " PASSWORD 'second-Passw0rd'");
                }
                Loopback.aws().rotateSecret("eu-west-2", namespace + "/db/app.password", "second-Passw0rd");
                int before = done.get();
                pool.getHikariPoolMXBean().softEvictConnections(); // as if every connection reached its max lifetime
                waitFor(done, before + 200);
                stop.set(true);
                for (Future<?> w : workers) {
                    w.get(30, TimeUnit.SECONDS);
                }
                load.shutdown();

                assertThat(failures).as("work that failed during the rotation").isEmpty();
                assertThat(pool.isClosed()).as("the pool was not dropped").isFalse();
                try (Connection admin = PostgresFixture.admin(db); Statement s = admin.createStatement();
                        ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE usename = '" + role
                                + "'")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("connections opened after the rotation").isPositive();
                }
                try (Connection c = pool.getConnection()) {
                    assertThat(c.isValid(1)).isTrue();
                }
                assertThatThrownBy(() -> DriverManager.getConnection(PostgresFixture.jdbcUrl(db), role,
                        "first-Passw0rd").close()).as("the old password").isInstanceOf(SQLException.class);
            }
        }
        try (Connection admin = PostgresFixture.admin(db)) {
            exec(admin, "DROP ROLE " + role);
        }
    }

    @Test
    void aMissingPasswordSecretOpensNoConnection() {
        try (AwsCloud cloud = Loopback.cloud(Set.of(DeploymentRegion.EUROPE), Loopback.namespace())) {
            Supplier<String> passwords = DatabasePasswords.fromSecret(
                    cloud.requireRegion(DeploymentRegion.EUROPE).secrets(), "db/none.password");
            assertThatThrownBy(passwords::get).isInstanceOf(GeoException.class)
                    .hasMessageContaining("db/none.password").hasMessageContaining("does not exist");
        }
    }

    private static void waitFor(AtomicInteger done, int target) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (done.get() < target && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(done.get()).as("queries done").isGreaterThanOrEqualTo(target);
    }
}
