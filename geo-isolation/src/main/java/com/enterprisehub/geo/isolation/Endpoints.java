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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registered endpoints and dedicated servers of a {@link TenantDataSource}, each with its pool, in
 * registration order (shared endpoints first, then dedicated servers, each in the order the builder got them; an
 * endpoint {@linkplain #add added at run time} comes after the shared endpoints registered before it): placement
 * falls back on that order and {@link TenantDataSource#sharedEndpoints()} promises it, so it must be the same on
 * every start. Thread-safe: the registered set is an immutable snapshot, replaced as a whole when an endpoint is
 * added, so readers (placement, moves, statistics) take no lock and always see a complete set; borrows do not read
 * it at all (a route holds its endpoint's pool). Not part of the API.
 */
final class Endpoints implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Endpoints.class);

    /** What is registered at one moment: pools by name in registration order, and the shared ones' regions. */
    private record Snapshot(Map<String, EndpointPool> pools, Map<String, DeploymentRegion> shared) {
        /** Unmodifiable insertion-ordered copies, never Map.copyOf: its iteration order changes between JVM starts. */
        static Snapshot of(Map<String, EndpointPool> pools) {
            Map<String, EndpointPool> ordered = Collections.unmodifiableMap(new LinkedHashMap<>(pools));
            Map<String, DeploymentRegion> regions = new LinkedHashMap<>();
            ordered.values().stream().filter(p -> p.dedicatedTo().isEmpty())
                    .forEach(p -> regions.put(p.name(), p.region()));
            return new Snapshot(ordered, Collections.unmodifiableMap(regions));
        }
    }

    /** How an endpoint's pool is made and prepared: the same for one added at run time as at build time. */
    private record Settings(int maximumPoolSize, int reserve, boolean affinity, BindingTokens tokens,
            SecurityReporter security) {
        EndpointPool pool(DatabaseEndpoint endpoint) {
            return new EndpointPool(endpoint.name(), endpoint.region(), endpoint.jdbcUrl(), endpoint.admin(),
                    endpoint.app(), null, maximumPoolSize, reserve, affinity, security);
        }
    }

    private final Settings settings;
    private volatile Snapshot current;
    /** The tables to protect on every endpoint, those protected at run time included; guarded by {@code this}. */
    private final List<String> protectedTables;
    /** Names of endpoints being added now (reserved until added or refused); guarded by {@code this}. */
    private final Set<String> adding = new HashSet<>();
    /** Guarded by {@code this}. */
    private boolean closed;

    private Endpoints(Map<String, EndpointPool> pools, Settings settings, List<String> protectedTables) {
        this.current = Snapshot.of(pools);
        this.settings = settings;
        this.protectedTables = new ArrayList<>(protectedTables);
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
        Settings settings = new Settings(maximumPoolSize, reserve, affinity, tokens, security);
        Map<String, EndpointPool> pools = new LinkedHashMap<>();
        try {
            for (DatabaseEndpoint endpoint : endpoints) {
                pools.put(endpoint.name(), settings.pool(endpoint));
            }
            for (DedicatedServer server : dedicatedServers) {
                pools.put(server.name(), new EndpointPool(server.name(), server.region(), server.jdbcUrl(),
                        server.admin(), null, server.tenant(), maximumPoolSize, 0, false, security));
            }
            for (EndpointPool pool : pools.values()) {
                prepare(pool, tokens, protectedTables);
            }
            return new Endpoints(pools, settings, protectedTables);
        } catch (RuntimeException e) {
            pools.values().forEach(EndpointPool::close);
            throw e;
        }
    }

    /**
     * Installs the control plane on {@code pool}'s endpoint, protects {@code tables} there and runs the self-check:
     * what every endpoint goes through before it serves, at build time or added at run time.
     *
     * @throws SelfCheckException if the endpoint is set up so that isolation could be bypassed
     * @throws IsolationException if the endpoint cannot be prepared
     */
    private static void prepare(EndpointPool pool, BindingTokens tokens, List<String> tables) {
        pool.install(tokens.keyBytes());
        tables.forEach(pool::protectTable);
        List<SelfCheckException.Finding> findings = pool.selfCheck();
        if (!findings.isEmpty()) {
            throw new SelfCheckException(pool.name(), findings);
        }
    }

    /**
     * Adds a shared endpoint to the running set: its pool (started lazily, as the others), its control plane
     * installed, the protected tables protected, the self-check passed, all before it is visible; then it is
     * published at once to every reader, after the shared endpoints registered before it. Borrows never wait for
     * this (they do not read the set); two adds of the same name cannot both succeed.
     *
     * @return the new endpoint's pool
     * @throws SelfCheckException if the endpoint fails its self-check (nothing is added; its control plane, installed
     *     for the check, stays on its database, as after a refused start)
     * @throws IsolationException if the name is already registered or being added, the data source is closed, or the
     *     endpoint cannot be prepared (nothing is added)
     */
    EndpointPool add(DatabaseEndpoint endpoint) {
        String name = endpoint.name();
        List<String> tables;
        synchronized (this) {
            if (closed) {
                throw closedRefusal(name);
            }
            if (current.pools().containsKey(name)) {
                throw new IsolationException("Cannot add endpoint '" + name + "': an endpoint or dedicated server of"
                        + " that name is already registered (registered: " + describe() + "). Endpoint names identify"
                        + " placements in every control plane: choose another name.");
            }
            if (!adding.add(name)) {
                throw new IsolationException("Cannot add endpoint '" + name + "': another call is adding an endpoint"
                        + " of that name now, and it is already registered once that call returns. Add each endpoint"
                        + " once.");
            }
            tables = List.copyOf(protectedTables);
        }
        EndpointPool pool = null;
        try {
            pool = settings.pool(endpoint);
            prepare(pool, settings.tokens(), tables);
            synchronized (this) {
                if (closed) {
                    throw closedRefusal(name);
                }
                // tables protected at run time while this endpoint was being prepared
                for (String table : protectedTables.subList(tables.size(), protectedTables.size())) {
                    pool.protectTable(table);
                }
                Map<String, EndpointPool> pools = new LinkedHashMap<>();
                current.pools().values().stream().filter(p -> p.dedicatedTo().isEmpty())
                        .forEach(p -> pools.put(p.name(), p));
                pools.put(name, pool);
                current.pools().values().stream().filter(p -> p.dedicatedTo().isPresent())
                        .forEach(p -> pools.put(p.name(), p));
                current = Snapshot.of(pools);
            }
            LOG.info("Endpoint '{}' in {} added at run time; registered now: {}", name, endpoint.region(),
                    current.pools().keySet());
            return pool;
        } catch (RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            LOG.warn("Endpoint '{}' was not added: {}", name, e.getMessage());
            throw e;
        } finally {
            synchronized (this) {
                adding.remove(name);
            }
        }
    }

    private static IsolationException closedRefusal(String name) {
        return new IsolationException("Cannot add endpoint '" + name + "': the data source is closed. Add it to a"
                + " data source that is running, or register it with TenantDataSource.Builder.endpoint.");
    }

    /** Every endpoint and dedicated server, in registration order. */
    Collection<EndpointPool> all() {
        return current.pools().values();
    }

    /** The endpoint or dedicated server named {@code name}. */
    EndpointPool require(String name) {
        EndpointPool pool = current.pools().get(Objects.requireNonNull(name, "name"));
        if (pool == null) {
            throw new GeoValidationException("No endpoint '" + name + "' is registered; registered: " + describe()
                    + ".");
        }
        return pool;
    }

    /** The dedicated server registered for {@code tenant}, if any. */
    Optional<EndpointPool> dedicatedTo(TenantId tenant) {
        return current.pools().values().stream().filter(p -> p.dedicatedTo().filter(tenant::equals).isPresent())
                .findFirst();
    }

    /** The shared endpoints, in registration order, whose region {@code allowed} accepts. */
    List<EndpointPool> shared(Predicate<DeploymentRegion> allowed) {
        return current.pools().values().stream().filter(p -> p.dedicatedTo().isEmpty())
                .filter(p -> allowed.test(p.region())).toList();
    }

    /** The shared endpoints' regions by name, in registration order; unmodifiable. */
    Map<String, DeploymentRegion> sharedRegions() {
        return current.shared();
    }

    /** Names, regions and dedications, in registration order, for messages. */
    String describe() {
        List<String> names = new ArrayList<>();
        current.pools().values().forEach(p -> names.add(p.name() + " (" + p.region()
                + (p.dedicatedTo().isPresent() ? ", dedicated to " + p.dedicatedTo().get() : "") + ")"));
        return names.toString();
    }

    /** Puts {@code table} under tenant row-level security on every endpoint (see {@link EndpointPool#protectTable}). */
    void protectTable(String table) {
        Snapshot now;
        synchronized (this) {
            protectedTables.add(table); // for endpoints added later, and for one being added now (see add)
            now = current;
        }
        for (EndpointPool pool : now.pools().values()) {
            pool.protectTable(table);
        }
    }

    /** The self-check's findings on every endpoint, by name, in registration order. */
    Map<String, List<SelfCheckException.Finding>> selfCheck() {
        Map<String, List<SelfCheckException.Finding>> findings = new LinkedHashMap<>();
        for (EndpointPool pool : current.pools().values()) {
            findings.put(pool.name(), pool.selfCheck());
        }
        return findings;
    }

    /** The self-check's advice on every endpoint, by name, in registration order. */
    Map<String, List<SelfCheckException.Finding>> advice() {
        Map<String, List<SelfCheckException.Finding>> advice = new LinkedHashMap<>();
        for (EndpointPool pool : current.pools().values()) {
            advice.put(pool.name(), pool.advice());
        }
        return advice;
    }

    /** Closes every pool, once; an endpoint being added meanwhile is refused and its pool closed. */
    @Override
    public void close() {
        Snapshot now;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            now = current;
        }
        now.pools().values().forEach(EndpointPool::close);
    }
}
