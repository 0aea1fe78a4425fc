package com.enterprisehub.geo.platform;

import static com.enterprisehub.geo.platform.CachingTenantCatalogTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.platform.internal.TenantChangeListener;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.Providers;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalogProvider;
import com.enterprisehub.geo.test.PostgresFixture;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The listener's connection comes from a pool and goes back to it: with HikariCP, and with a pool that resets
 * nothing (as Tomcat JDBC, c3p0 and DBCP do by default). What goes back must be as it was lent, and a connection
 * the listener may still be reading must never go back at all.
 */
class CatalogCachePoolTest {
    private static final String POOL_NAME = "control-plane-pool";
    private final List<AutoCloseable> opened = new ArrayList<>();
    private String control;

    @BeforeEach
    void controlPlane() {
        control = PostgresFixture.newDatabase("pooled");
    }

    @AfterEach
    void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    private <T extends AutoCloseable> T opened(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    private HikariDataSource hikari(String url, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setPassword("postgres");
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        config.addDataSourceProperty("ApplicationName", POOL_NAME);
        config.setConnectionTimeout(5_000);
        return opened(new HikariDataSource(config));
    }

    private String listenerPid() throws SQLException {
        try (Connection admin = PostgresFixture.admin(control); Statement s = admin.createStatement();
             ResultSet rs = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE application_name = '"
                     + TenantChangeListener.APPLICATION_NAME + "' AND datname = '" + control + "'")) {
            assertThat(rs.next()).as("the listener's session").isTrue();
            return rs.getString(1);
        }
    }

    @Test
    void onHikariTheListenersConnectionGoesBackUnlistenedWithItsApplicationName() throws Exception {
        HikariDataSource pool = hikari(PostgresFixture.jdbcUrl(control), 2);
        CachingTenantCatalog cached = CachingTenantCatalog.builder(
                JdbcTenantCatalog.open(pool, PlatformEvents.create(), Clock.systemUTC())).build();
        await("the listener listens", () -> cached.stats().listening());
        String pid = listenerPid();
        cached.close();
        assertThat(cached.listenerRunning()).isFalse();
        try (Connection a = pool.getConnection(); Connection b = pool.getConnection()) {
            boolean seen = false;
            for (Connection c : List.of(a, b)) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid(),"
                        + " (SELECT count(*) FROM pg_listening_channels()), current_setting('application_name')")) {
                    assertThat(rs.next()).isTrue();
                    seen |= rs.getString(1).equals(pid);
                    assertThat(rs.getInt(2)).as("no channel listened on").isZero();
                    assertThat(rs.getString(3)).isEqualTo(POOL_NAME);
                }
            }
            assertThat(seen).as("the listener's connection, alive, went back to the pool").isTrue();
        }
    }

    @Test
    void theJdbcProvidersCatalogIsClosedAsATenantCatalogAndGivesItsConnectionBack() throws Exception {
        HikariDataSource pool = hikari(PostgresFixture.jdbcUrl(control), 2);
        TenantCatalogProvider jdbc = Providers.fromClassPath().select(TenantCatalogProvider.class, "jdbc");
        CachingTenantCatalog seen;
        try (TenantCatalog tenants = jdbc.open(ProviderContext.builder().object(DataSource.class, pool).build())) {
            seen = (CachingTenantCatalog) tenants;
            await("the listener listens", () -> seen.stats().listening());
            assertThat(pool.getHikariPoolMXBean().getActiveConnections()).as("the listener's").isEqualTo(1);
        }
        assertThat(seen.listenerRunning()).isFalse();
        assertThat(pool.getHikariPoolMXBean().getActiveConnections()).as("given back").isZero();
    }

    @Test
    void aListenerClosedWhileItReadsAStalledConnectionNeverHandsItBackToThePool() throws Exception {
        StallingProxy proxy = opened(new StallingProxy(PostgresFixture.server().getPort()));
        HikariDataSource pool = hikari("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + control, 2);
        CachingTenantCatalog cached = CachingTenantCatalog.builder(
                JdbcTenantCatalog.open(pool, PlatformEvents.create(), Clock.systemUTC())).build();
        await("the listener listens", () -> cached.stats().listening());
        String pid = listenerPid();
        proxy.stall(true);
        Thread.sleep(600); // past a heartbeat wait (250 ms): the listener waits for its heartbeat's answer
        cached.close();
        assertThat(cached.listenerRunning()).as("the listener thread has ended when close returns").isFalse();
        proxy.stall(false);
        try (Connection a = pool.getConnection(); Connection b = pool.getConnection()) {
            for (Connection c : List.of(a, b)) {
                c.setNetworkTimeout(Runnable::run, 3_000);
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).as("a connection the listener was reading").isNotEqualTo(pid);
                }
            }
        }
    }

    @Test
    void onAPoolThatResetsNothingAConnectionTheListenerMayBeReadingIsNeverLentAgain() throws Exception {
        StallingProxy proxy = opened(new StallingProxy(PostgresFixture.server().getPort()));
        PlainPool pool = opened(new PlainPool("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + control));
        CachingTenantCatalog cached = CachingTenantCatalog.builder(
                JdbcTenantCatalog.open(pool, PlatformEvents.create(), Clock.systemUTC())).build();
        await("the listener listens", () -> cached.stats().listening());
        String pid = listenerPid();
        proxy.stall(true);
        Thread.sleep(600); // past a heartbeat wait (250 ms): the listener waits for its heartbeat's answer
        cached.close();
        assertThat(cached.listenerRunning()).as("the listener thread has ended when close returns").isFalse();
        proxy.stall(false);
        for (Connection c : pool.idle) {
            if (!c.isClosed()) {
                c.setNetworkTimeout(Runnable::run, 3_000);
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).as("a connection the listener was reading").isNotEqualTo(pid);
                }
                c.rollback();
            }
        }
    }

    @Test
    void onAPoolThatResetsNothingTheListenerRestoresAutocommitAndTheNetworkTimeout() throws Exception {
        PlainPool pool = opened(new PlainPool(PostgresFixture.jdbcUrl(control)));
        CachingTenantCatalog cached = CachingTenantCatalog.builder(
                JdbcTenantCatalog.open(pool, PlatformEvents.create(), Clock.systemUTC())).build();
        await("the listener listens", () -> cached.stats().listening());
        cached.close();
        assertThat(pool.idle).isNotEmpty();
        for (Connection c : pool.idle) {
            assertThat(c.getNetworkTimeout()).as("network timeout").isZero();
            assertThat(c.getAutoCommit()).as("autocommit as the pool lent it").isFalse();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT"
                    + " (SELECT count(*) FROM pg_listening_channels()), current_setting('application_name')")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isZero();
                assertThat(rs.getString(2)).isEqualTo(POOL_NAME);
            }
            c.rollback();
        }
    }

    /**
     * A pool that lends physical connections (autocommit off, as a pool configured with
     * {@code defaultAutoCommit=false} lends them) and takes them back exactly as they are, resetting nothing.
     */
    static final class PlainPool implements DataSource, AutoCloseable {
        final LinkedBlockingDeque<Connection> idle = new LinkedBlockingDeque<>();
        private final List<Connection> all = new ArrayList<>();
        private final String url;

        PlainPool(String url) {
            this.url = url;
        }

        @Override
        public synchronized Connection getConnection() throws SQLException {
            Connection physical = idle.pollFirst();
            if (physical == null) {
                physical = DriverManager.getConnection(url + "?ApplicationName=" + POOL_NAME, "postgres", "postgres");
                physical.setAutoCommit(false);
                all.add(physical);
            }
            Connection lent = physical;
            boolean[] closed = {false};
            return (Connection) Proxy.newProxyInstance(PlainPool.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "close":
                                if (!closed[0]) {
                                    closed[0] = true;
                                    idle.addLast(lent);
                                }
                                return null;
                            case "isClosed":
                                return closed[0] || lent.isClosed();
                            default:
                                try {
                                    return method.invoke(lent, args);
                                } catch (InvocationTargetException e) {
                                    throw e.getCause();
                                }
                        }
                    });
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }

        @Override
        public synchronized void close() throws SQLException {
            for (Connection c : all) {
                c.close();
            }
        }
    }
}
