package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.isolation.internal.BindingTokens;
import com.enterprisehub.geo.isolation.internal.EndpointPool;
import com.enterprisehub.geo.isolation.internal.SecurityReporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The registered endpoints and dedicated servers of a {@link TenantDataSource}, each with its pool, in
 * registration order (shared endpoints first, then dedicated servers, each in the order the builder got them):
 * placement falls back on that order and {@link TenantDataSource#sharedEndpoints()} promises it, so it must be
 * the same on every start. Fixed once opened; thread-safe. Not part of the API.
 */
final class Endpoints implements AutoCloseable {
    /** By name, in registration order; unmodifiable. */
    private final Map<String, EndpointPool> pools;
    /** The shared endpoints' regions, by name, in registration order; unmodifiable. */
    private final Map<String, DeploymentRegion> shared;

    private Endpoints(Map<String, EndpointPool> pools) {
        // An insertion-ordered copy, never Map.copyOf: its iteration order is a hash order that changes from one
        // JVM start to the next.
        this.pools = Collections.unmodifiableMap(new LinkedHashMap<>(pools));
        Map<String, DeploymentRegion> regions = new LinkedHashMap<>();
        this.pools.values().stream().filter(p -> p.dedicatedTo().isEmpty()).forEach(p -> regions.put(p.name(), p.region()));
        this.shared = Collections.unmodifiableMap(regions);
    }

    /**
     * Opens a pool per endpoint and dedicated server, installs the control plane on each, protects the tables
     * and runs the self-check. On any failure the pools opened so far are closed.
     *
     * @throws SelfCheckException if an endpoint is set up so that isolation could be bypassed
     * @throws IsolationException if an endpoint cannot be prepared
     */
    static Endpoints open(Collection<DatabaseEndpoint> endpoints, Collection<DedicatedServer> dedicatedServers,
            int maximumPoolSize, int reserve, boolean affinity, BindingTokens tokens, List<String> protectedTables,
            SecurityReporter security) {
        Map<String, EndpointPool> pools = new LinkedHashMap<>();
        try {
            for (DatabaseEndpoint endpoint : endpoints) {
                pools.put(endpoint.name(), new EndpointPool(endpoint.name(), endpoint.region(), endpoint.jdbcUrl(),
                        endpoint.admin(), endpoint.app(), null, maximumPoolSize, reserve, affinity, security));
            }
            for (DedicatedServer server : dedicatedServers) {
                pools.put(server.name(), new EndpointPool(server.name(), server.region(), server.jdbcUrl(),
                        server.admin(), null, server.tenant(), maximumPoolSize, 0, false, security));
            }
            for (EndpointPool pool : pools.values()) {
                pool.install(tokens.keyBytes());
                protectedTables.forEach(pool::protectTable);
                List<SelfCheckException.Finding> findings = pool.selfCheck();
                if (!findings.isEmpty()) {
                    throw new SelfCheckException(pool.name(), findings);
                }
            }
            return new Endpoints(pools);
        } catch (RuntimeException e) {
            pools.values().forEach(EndpointPool::close);
            throw e;
        }
    }

    /** Every endpoint and dedicated server, in registration order. */
    Collection<EndpointPool> all() {
        return pools.values();
    }

    /** The endpoint or dedicated server named {@code name}. */
    EndpointPool require(String name) {
        EndpointPool pool = pools.get(Objects.requireNonNull(name, "name"));
        if (pool == null) {
            throw new GeoValidationException("No endpoint '" + name + "' is registered; registered: " + describe()
                    + ".");
        }
        return pool;
    }

    /** The dedicated server registered for {@code tenant}, if any. */
    Optional<EndpointPool> dedicatedTo(TenantId tenant) {
        return pools.values().stream().filter(p -> p.dedicatedTo().filter(tenant::equals).isPresent()).findFirst();
    }

    /** The shared endpoints, in registration order, whose region {@code allowed} accepts. */
    List<EndpointPool> shared(Predicate<DeploymentRegion> allowed) {
        return pools.values().stream().filter(p -> p.dedicatedTo().isEmpty()).filter(p -> allowed.test(p.region()))
                .toList();
    }

    /** The shared endpoints' regions by name, in registration order; unmodifiable. */
    Map<String, DeploymentRegion> sharedRegions() {
        return shared;
    }

    /** Names, regions and dedications, in registration order, for messages. */
    String describe() {
        List<String> names = new ArrayList<>();
        pools.values().forEach(p -> names.add(p.name() + " (" + p.region() + (p.dedicatedTo().isPresent()
                ? ", dedicated to " + p.dedicatedTo().get() : "") + ")"));
        return names.toString();
    }

    /** Puts {@code table} under tenant row-level security on every endpoint (see {@link EndpointPool#protectTable}). */
    void protectTable(String table) {
        for (EndpointPool pool : pools.values()) {
            pool.protectTable(table);
        }
    }

    /** The self-check's findings on every endpoint, by name, in registration order. */
    Map<String, List<SelfCheckException.Finding>> selfCheck() {
        Map<String, List<SelfCheckException.Finding>> findings = new LinkedHashMap<>();
        for (EndpointPool pool : pools.values()) {
            findings.put(pool.name(), pool.selfCheck());
        }
        return findings;
    }

    /** The self-check's advice on every endpoint, by name, in registration order. */
    Map<String, List<SelfCheckException.Finding>> advice() {
        Map<String, List<SelfCheckException.Finding>> advice = new LinkedHashMap<>();
        for (EndpointPool pool : pools.values()) {
            advice.put(pool.name(), pool.advice());
        }
        return advice;
    }

    /** Closes every pool. */
    @Override
    public void close() {
        pools.values().forEach(EndpointPool::close);
    }
}
