package com.enterprisehub.geo.spring.internal;

import com.enterprisehub.geo.spi.cloud.DatabaseCredentials;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A small pool on the control-plane database ({@code geo.control-plane.*}), for the {@code jdbc} tenant catalog.
 * Deliberately not a {@code DataSource} bean: the application's one {@code DataSource} stays the tenant data
 * source. Its role's password is asked for each time the pool opens a connection (HikariCP's credentials provider),
 * so a password rotated in the secret store reaches the next connection. Closed with the context. Not API.
 */
public final class ControlPlanePool implements AutoCloseable {
    private final HikariDataSource pool;
    private final AutoCloseable owned;

    /** Opens the pool (connections are made on first use). */
    public ControlPlanePool(String url, DatabaseCredentials role, int maximumPoolSize) {
        this(url, role, maximumPoolSize, () -> { });
    }

    /**
     * Opens the pool (connections are made on first use); {@code owned} (the secret store {@code role} reads) is closed
     * after it.
     */
    public ControlPlanePool(String url, DatabaseCredentials role, int maximumPoolSize, AutoCloseable owned) {
        Objects.requireNonNull(role, "role");
        this.owned = Objects.requireNonNull(owned, "owned");
        HikariConfig config = new HikariConfig();
        config.setPoolName("geo-control-plane");
        config.setJdbcUrl(url);
        config.setUsername(role.user());
        // Called by HikariCP for each new physical connection (PoolBase.newConnection), never per borrow.
        config.setCredentialsProvider(() -> com.zaxxer.hikari.util.Credentials.of(role.user(), role.password()));
        config.setMaximumPoolSize(maximumPoolSize);
        config.setMinimumIdle(0);
        config.setInitializationFailTimeout(-1);
        this.pool = new HikariDataSource(config);
    }

    /** The pool. */
    public DataSource dataSource() {
        return pool;
    }

    @Override
    public void close() {
        try {
            pool.close();
        } finally {
            try {
                owned.close();
            } catch (Exception e) {
                throw new IllegalStateException("Cannot close the control plane's secret store: " + e.getClass()
                        .getName(), e);
            }
        }
    }
}
