package com.enterprisehub.geo.isolation.internal;

import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.isolation.DatabaseEndpoint;
import com.enterprisehub.geo.isolation.IsolationException;
import com.enterprisehub.geo.isolation.SelfCheckException.Finding;
import com.enterprisehub.geo.isolation.TenantPlacement;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One endpoint: a HikariCP pool of the application role's connections (each a {@link SessionConnection})
 * and on-demand administrator connections. Not part of the API.
 */
public final class EndpointPool implements AutoCloseable {
    private final DatabaseEndpoint endpoint;
    private final HikariDataSource pool;
    private final PGSimpleDataSource admin = new PGSimpleDataSource();

    public EndpointPool(DatabaseEndpoint endpoint, int maximumPoolSize) {
        this.endpoint = endpoint;
        admin.setUrl(endpoint.jdbcUrl());
        admin.setUser(endpoint.admin().user());
        admin.setPassword(endpoint.admin().password());
        HikariConfig config = new HikariConfig();
        config.setPoolName("geo-" + endpoint.name());
        config.setDataSource(new SessionDataSource(endpoint.jdbcUrl(), endpoint.app().user(),
                endpoint.app().password()));
        config.setMaximumPoolSize(maximumPoolSize);
        config.setMinimumIdle(Math.min(2, maximumPoolSize));
        config.setAutoCommit(true);
        config.setDataSourceProperties(new Properties());
        // The pool starts lazily: the control plane must be installed before the first connection binds.
        config.setInitializationFailTimeout(-1);
        this.pool = new HikariDataSource(config);
    }

    public DatabaseEndpoint endpoint() {
        return endpoint;
    }

    public Connection adminConnection() throws SQLException {
        return admin.getConnection();
    }

    public void install(byte[] key) {
        try (Connection c = adminConnection()) {
            ControlPlane.install(c, endpoint.app().user(), key);
        } catch (SQLException e) {
            throw new IsolationException("Cannot install the isolation control plane on endpoint '" + endpoint.name()
                    + "' (" + e.getMessage() + "). Its administrator role must be able to create roles, schemas"
                    + " and the pgcrypto extension.", e);
        }
    }

    public void protectTable(String table) {
        try (Connection c = adminConnection()) {
            ControlPlane.protectTable(c, table, endpoint.app().user());
        } catch (SQLException e) {
            throw new IsolationException("Cannot protect table " + table + " on endpoint '" + endpoint.name() + "': "
                    + e.getMessage(), e);
        }
    }

    public List<Finding> selfCheck() {
        try (Connection c = pool.getConnection()) {
            return SelfCheck.run(c);
        } catch (SQLException e) {
            throw new IsolationException("The isolation self-check could not run on endpoint '" + endpoint.name()
                    + "': " + e.getMessage(), e);
        }
    }

    public void loadPlacements(Map<TenantId, TenantPlacement> into) {
        try (Connection c = adminConnection()) {
            ControlPlane.placements(c).forEach((tenant, row) -> {
                if (row[1].equals(endpoint.name())) {
                    into.put(TenantId.of(tenant), new TenantPlacement(TenantId.of(tenant),
                            IsolationLevel.valueOf(row[0]), row[1], "READY".equals(row[2])));
                }
            });
        } catch (SQLException e) {
            throw new IsolationException("Cannot read placements on endpoint '" + endpoint.name() + "': "
                    + e.getMessage(), e);
        }
    }

    /**
     * A pooled connection bound to {@code tenant}, with its statement timeout (0: none); a connection
     * that cannot be bound is evicted. {@code permit} (the tenant's connection cap) is released once, when
     * the host closes the connection.
     */
    public Connection borrow(TenantId tenant, long statementTimeoutMillis, BindingTokens tokens,
            java.util.concurrent.Semaphore permit) throws SQLException {
        Connection pooled = pool.getConnection();
        try {
            SessionConnection session = pooled.unwrap(SessionConnection.class);
            session.prepareFor(tenant, statementTimeoutMillis, tokens);
            return new TenantBoundConnection(pooled, session, tenant, permit);
        } catch (SQLException | RuntimeException e) {
            pool.evictConnection(pooled);
            throw e;
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
