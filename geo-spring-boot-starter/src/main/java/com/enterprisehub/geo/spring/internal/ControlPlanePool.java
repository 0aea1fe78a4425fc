package com.enterprisehub.geo.spring.internal;

import com.enterprisehub.geo.isolation.Credentials;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;

/**
 * A small pool on the control-plane database ({@code geo.control-plane.*}), for the {@code jdbc} tenant catalog.
 * Deliberately not a {@code DataSource} bean: the application's one {@code DataSource} stays the tenant data
 * source. Closed with the context. Not API.
 */
public final class ControlPlanePool implements AutoCloseable {
    private final HikariDataSource pool;

    /** Opens the pool (connections are made on first use). */
    public ControlPlanePool(String url, Credentials role, int maximumPoolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("geo-control-plane");
        config.setJdbcUrl(url);
        config.setUsername(role.user());
        config.setPassword(role.password());
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
        pool.close();
    }
}
