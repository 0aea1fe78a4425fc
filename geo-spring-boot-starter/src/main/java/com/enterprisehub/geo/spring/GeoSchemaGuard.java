package com.enterprisehub.geo.spring;

import com.enterprisehub.geo.isolation.IsolationException;
import com.enterprisehub.geo.isolation.SelfCheckException;
import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.isolation.migration.MigrationResult;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What must happen once the shared schema exists and before any request is served: the
 * {@code geo.protected-tables} are put under row-level security, placed tenants' own schemas or databases are
 * brought up to date ({@code geo.tenant-migrations}), and the SDK's self-check runs. The starter calls
 * {@link #afterSharedMigration()} from its Flyway migration strategy, right after Boot's Flyway migrated the
 * shared schema and before Hibernate starts; and, if nothing called it by the time every singleton exists (a
 * host's own {@code FlywayMigrationStrategy}, or no Flyway), then. A host with its own migration strategy calls
 * it after migrating. Thread-safe; runs once.
 */
public final class GeoSchemaGuard {
    private static final Logger LOG = LoggerFactory.getLogger(GeoSchemaGuard.class);

    private final TenantDataSource dataSource;
    private final List<String> protectedTables;
    private final boolean migrateTenants;
    private final int parallelism;
    private boolean done;

    /**
     * A guard for {@code dataSource}.
     *
     * @param protectedTables the tables to protect
     * @param migrateTenants whether placed tenants are migrated
     * @param parallelism how many tenants are migrated at once
     */
    public GeoSchemaGuard(TenantDataSource dataSource, List<String> protectedTables, boolean migrateTenants,
            int parallelism) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.protectedTables = List.copyOf(protectedTables);
        this.migrateTenants = migrateTenants;
        this.parallelism = parallelism;
    }

    /**
     * Protects the tables, migrates the tenants and runs the self-check; does nothing the second time.
     *
     * @throws IsolationException if a table cannot be protected (it does not exist, or has no {@code tenant_id}
     *     column) or a tenant's migration failed (the message names each tenant and why)
     * @throws SelfCheckException if an endpoint is set up so that isolation could be bypassed
     */
    public synchronized void afterSharedMigration() {
        if (done) {
            return;
        }
        for (String table : protectedTables) {
            dataSource.protectTable(table);
        }
        if (migrateTenants) {
            List<MigrationResult> results = dataSource.migrateTenants(parallelism);
            List<String> failed = results.stream().filter(r -> !r.succeeded())
                    .map(r -> r.target() + ": " + r.failure().orElseThrow()).toList();
            if (!failed.isEmpty()) {
                throw new IsolationException(failed.size() + " tenant(s) could not be migrated, so the application"
                        + " does not start (their schema would not match the code): " + String.join("; ", failed)
                        + ". Fix the migration (never edit an applied one) and start again; the others are migrated.");
            }
            long applied = results.stream().mapToLong(r -> r.applied().size()).sum();
            LOG.info("Tenant migrations: {} tenant(s) checked, {} migration(s) applied", results.size(), applied);
        }
        for (Map.Entry<String, List<SelfCheckException.Finding>> e : dataSource.selfCheck().entrySet()) {
            if (!e.getValue().isEmpty()) {
                throw new SelfCheckException(e.getKey(), e.getValue());
            }
        }
        done = true;
    }

    /** Whether {@link #afterSharedMigration()} has completed. */
    public synchronized boolean isDone() {
        return done;
    }
}
