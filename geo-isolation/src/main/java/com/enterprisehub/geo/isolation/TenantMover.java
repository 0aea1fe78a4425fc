package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.isolation.internal.AdminLocks;
import com.enterprisehub.geo.isolation.internal.BindingTokens;
import com.enterprisehub.geo.isolation.internal.ChangeCapture;
import com.enterprisehub.geo.isolation.internal.ControlPlane;
import com.enterprisehub.geo.isolation.internal.DatabaseTenants;
import com.enterprisehub.geo.isolation.internal.EndpointPool;
import com.enterprisehub.geo.isolation.internal.MoveJournal;
import com.enterprisehub.geo.isolation.internal.MoveLease;
import com.enterprisehub.geo.isolation.internal.MoveJournal.Step;
import com.enterprisehub.geo.isolation.internal.Pace;
import com.enterprisehub.geo.isolation.internal.SchemaTenants;
import com.enterprisehub.geo.isolation.internal.Sql;
import com.enterprisehub.geo.isolation.internal.TenantCopy;
import com.enterprisehub.geo.isolation.internal.TenantData;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a tenant to another isolation level, journaled step by step in the control plane of the endpoint it is
 * moved from so that a move that stopped resumes where it stopped (see {@link TenantDataSource#move}). Thread-safe:
 * moves of one tenant are serialized by an advisory lock on its endpoint, across instances too. Not part of the API.
 */
final class TenantMover {
    /** The category hosts already configure. */
    private static final Logger LOG = LoggerFactory.getLogger(TenantDataSource.class);

    /** Every schema of a tenant database but the system ones. */
    private static final String USER_SCHEMAS = "^(?!pg_|information_schema$)";
    /** How long the freeze waits for this instance's connections of the tenant to be returned. */
    private static final long DRAIN_MILLIS = 2_000;
    /** How long the fence waits for each session serving the tenant to end once told to. */
    private static final long TERMINATE_MILLIS = 5_000;
    /** At most this many catch-up passes before the freeze. */
    private static final int PASSES = 8;
    /** A pass that replaced this many rows or fewer is the last before the freeze. */
    private static final long SMALL_PASS = 200;
    /** How long the freeze waits for transactions running at its pass's snapshot to end. */
    private static final long SETTLE_MILLIS = 1_000;
    /**
     * A paced catch-up pass sleeps no longer than lets the next pass find this share of its changes: the passes still
     * converge, whatever the nice ratio, while the tenant writes.
     */
    private static final double PASS_SHRINK = 0.5;

    private final TenantCatalog tenants;
    private final Endpoints endpoints;
    private final TenantRouter router;
    private final TenantProvisioner provisioner;
    private final TenantMigrator migrator;
    private final BindingTokens tokens;
    private final TenantCiphers ciphers;
    private final MoveJournal journal = new MoveJournal();
    /** The nice ratio of the bulk phases ({@link Pace}). */
    private final double niceRatio;

    TenantMover(TenantCatalog tenants, Endpoints endpoints, TenantRouter router, TenantProvisioner provisioner,
            TenantMigrator migrator, BindingTokens tokens, TenantCiphers ciphers, double niceRatio) {
        this.niceRatio = niceRatio;
        this.ciphers = ciphers;
        this.tenants = tenants;
        this.endpoints = endpoints;
        this.router = router;
        this.provisioner = provisioner;
        this.migrator = migrator;
        this.tokens = tokens;
    }

    /** The journal's test hook. */
    MoveJournal journal() {
        return journal;
    }

    /** See {@link TenantDataSource#move(TenantId, IsolationLevel, String)}. */
    MoveResult move(TenantId id, IsolationLevel level, String endpointName) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(endpointName, "endpointName");
        Tenant tenant = tenants.require(id);
        Route route = router.placed(id, "move");
        EndpointPool targetPool = endpoints.require(endpointName);
        // the journal lives on the endpoint the tenant is moved from: after a switch between endpoints, the route
        // already names the target
        EndpointPool pool = journaled(id).orElse(route.endpoint());
        try (Connection control = pool.adminConnection()) {
            lock(control, id);
            journal.moverPid(pid(control));
            try {
                Optional<MoveJournal.Entry> recorded = MoveJournal.find(control, id.value());
                MoveJournal.Entry entry;
                if (recorded.isPresent()) {
                    entry = recorded.get();
                    if (!entry.targetLevel().equals(level.name()) || !entry.targetEndpoint().equals(endpointName)) {
                        throw new IsolationException("Tenant '" + id + "' is in the middle of a move to "
                                + entry.targetLevel() + " on endpoint '" + entry.targetEndpoint() + "'. Finish it first:"
                                + " call move(" + id + ", " + entry.targetLevel() + ", \"" + entry.targetEndpoint()
                                + "\").");
                    }
                } else {
                    TenantPlacement from = current(id, route);
                    if (from.level() == level && from.endpoint().equals(endpointName)) {
                        return new MoveResult(from, from, Map.of(), 0, Duration.ZERO, false);
                    }
                    provisioner.checkPlacement(tenant, level, targetPool);
                    try (Connection src = open(pool, from.level(), from.location())) {
                        // before anything is journaled or created: large objects would be lost
                        TenantCopy.refuseLargeObjects(src, TenantCopy.tables(src, side(from.level(),
                                from.location())).values(), ownDatabase(from));
                    }
                    if (!from.ready()) {
                        throw new IsolationException("Tenant '" + id + "' has not finished provisioning; run provision"
                                + " again to finish it, then move it.");
                    }
                    String location;
                    if (targetPool.name().equals(pool.name())) {
                        location = targetLocation(control, id, level, from.location());
                    } else {
                        try (Connection targetControl = targetPool.adminConnection()) {
                            location = targetLocation(targetControl, id, level, from.location());
                        }
                    }
                    entry = new MoveJournal.Entry(id.value(), from.level().name(), from.endpoint(), from.location(),
                            level.name(), endpointName, location, Step.STARTED);
                    journal.beforeStep(Step.STARTED);
                    if (!MoveJournal.start(control, entry)) {
                        entry = MoveJournal.find(control, id.value()).orElseThrow();
                    }
                }
                provisioner.checkPlacement(tenant, level, targetPool);
                return run(control, tenant, entry, pool, targetPool, recorded.isPresent());
            } finally {
                unlock(control, id);
            }
        } catch (SQLException e) {
            throw new IsolationException("Moving tenant '" + id + "' failed: " + e.getMessage() + ". Call move again"
                    + " with the same target to resume it; until the switch, the tenant stays where it was.", e);
        }
    }

    /**
     * The tenant's placement as the control planes record it now (read under the move lock), which must be READY
     * and equal to this instance's route: a route cached before another instance moved the tenant names a source
     * that is a tombstone now, and a move from it would leave the tenant READY in two places.
     */
    private TenantPlacement current(TenantId id, Route route) {
        Route fresh = provisioner.reload(id);
        if (fresh == null || !fresh.placement().ready() || !fresh.placement().equals(route.placement())) {
            if (fresh != null && fresh.placement().ready()) {
                router.place(fresh);
            }
            throw new IsolationException("Tenant '" + id + "' is not where this instance's route says ("
                    + route.placement().level() + " on endpoint '" + route.placement().endpoint() + "'): the control"
                    + " planes record " + (fresh == null ? "no placement" : fresh.placement().level() + " on endpoint '"
                    + fresh.placement().endpoint() + "'" + (fresh.placement().ready() ? "" : ", not READY"))
                    + " (another instance moved or is moving it). Nothing was changed; look its placement up and call"
                    + " move again if it is still needed.");
        }
        return fresh.placement();
    }

    /** The endpoint whose control plane journals a move of the tenant, if one is journaled. */
    private Optional<EndpointPool> journaled(TenantId id) {
        for (EndpointPool p : endpoints.all()) {
            try (Connection c = p.adminConnection()) {
                if (MoveJournal.find(c, id.value()).isPresent()) {
                    return Optional.of(p);
                }
            } catch (SQLException e) {
                throw new IsolationException("Cannot read the move journal of endpoint '" + p.name() + "': "
                        + e.getMessage() + ". Moves need every endpoint reachable.", e);
            }
        }
        return Optional.empty();
    }

    /** The name of the target's schema or database: the tenant's usual one, unless the source already has it. */
    private String targetLocation(Connection control, TenantId id, IsolationLevel level, String sourceLocation)
            throws SQLException {
        if (level == IsolationLevel.BASIC) {
            return "";
        }
        String usual = ControlPlane.location(control, id.value(), tokens);
        return usual.equals(sourceLocation) ? usual + "_2" : usual;
    }

    private MoveResult run(Connection control, Tenant tenant, MoveJournal.Entry entry, EndpointPool sourcePool,
            EndpointPool targetPool, boolean resumed) throws SQLException {
        if (sourcePool == targetPool) {
            return run(control, control, tenant, entry, sourcePool, targetPool, resumed);
        }
        try (Connection targetControl = targetPool.adminConnection()) {
            return run(control, targetControl, tenant, entry, sourcePool, targetPool, resumed);
        }
    }

    /** {@code control}: the source endpoint's control plane (the journal); {@code targetControl}: the target's. */
    private MoveResult run(Connection control, Connection targetControl, Tenant tenant, MoveJournal.Entry entry,
            EndpointPool sourcePool, EndpointPool targetPool, boolean resumed) throws SQLException {
        boolean between = sourcePool != targetPool;
        TenantId id = tenant.id();
        IsolationLevel sourceLevel = IsolationLevel.valueOf(entry.sourceLevel());
        IsolationLevel targetLevel = IsolationLevel.valueOf(entry.targetLevel());
        String sourceLocation = entry.sourceLocation();
        String targetLocation = entry.targetLocation();
        TenantCopy.Side from = side(sourceLevel, sourceLocation);
        TenantCopy.Side to = side(targetLevel, targetLocation);
        TenantPlacement source = new TenantPlacement(id, sourceLevel, sourcePool.name(), sourcePool.region(),
                sourceLocation, true);
        TenantPlacement target = new TenantPlacement(id, targetLevel, targetPool.name(), targetPool.region(),
                targetLocation, true);
        Step step = entry.step();
        Map<String, Long> rows = new LinkedHashMap<>();
        long caughtUp = 0;
        long pauseNanos = 0;
        if (step.compareTo(Step.TARGET_READY) < 0) {
            journal.beforeStep(Step.TARGET_READY);
            if (between && targetLevel != IsolationLevel.BASIC) {
                // as provisioning does: a schema whose securing a crash interrupts is quarantined by the target
                // endpoint's self-check, which knows it from this record (no pool binds a tenant not READY there)
                recordTarget(targetControl, id, target, "PROVISIONING");
            }
            createTarget(targetControl, id, targetLevel, targetLocation, targetPool);
            if (between) {
                // the data key follows the tenant: copied, or re-wrapped in the target region's key management
                ciphers.follow(control, targetControl, tenant, sourcePool.region(), targetPool.region());
            }
            MoveJournal.advance(control, id.value(), Step.TARGET_READY);
            step = Step.TARGET_READY;
        }
        long copyStart = 0; // when the changes the first catch-up pass finds began to arrive; 0: not known
        if (step.compareTo(Step.COPIED) < 0) {
            journal.beforeStep(Step.COPIED);
            copyStart = System.nanoTime();
            try (Connection src = open(sourcePool, sourceLevel, sourceLocation);
                    Connection tgt = open(targetPool, targetLevel, targetLocation)) {
                List<TenantCopy.Pair> pairs = pairs(src, from, ownDatabase(source), tgt, to, id);
                // capture first: a write between it and the copy's snapshot is in both, and caught up harmlessly
                boolean captured = ChangeCapture.install(src, from.shared(),
                        pairs.stream().map(TenantCopy.Pair::source).toList(), id.value());
                TenantCopy.Copied copied = TenantCopy.copy(src, from, tgt, to, pairs, id.value(),
                        Pace.of(niceRatio));
                rows.putAll(copied.rows());
                if (captured) {
                    ChangeCapture.record(src, id.value(), new ChangeCapture.Mark(copied.snapshot(),
                            ChangeCapture.fingerprint(pairs), copied.rows()));
                }
            }
            MoveJournal.advance(control, id.value(), Step.COPIED);
            step = Step.COPIED;
            LOG.info("Tenant {}: snapshot copied to {} on endpoint {}: {}", id, targetLevel, targetPool.name(), rows);
        }
        if (step.compareTo(Step.SWITCHED) < 0 && between && readyOn(targetControl, id, targetPool)) {
            // stopped between the two writes of a switch between endpoints: the target may already have taken
            // writes, so it is not compared with the source again; the switch is finished
            MoveJournal.advance(control, id.value(), Step.SWITCHED);
            router.place(provisioner.routeOf(target, targetPool, targetControl));
            step = Step.SWITCHED;
        }
        if (step.compareTo(Step.SWITCHED) < 0) {
            // Connections and table pairs first: the freeze holds only what must be done while frozen.
            try (Connection src = open(sourcePool, sourceLevel, sourceLocation);
                    Connection tgt = open(targetPool, targetLevel, targetLocation)) {
                List<TenantCopy.Pair> pairs = pairs(src, from, ownDatabase(source), tgt, to, id);
                Optional<ChangeCapture.Mark> mark = catchUp(src, from, tgt, to, pairs, id, copyStart);
                MoveLease lease = ownDatabase(source)
                        ? MoveLease.open(sourcePool::adminConnection, () -> sourcePool.adminConnection(sourceLocation),
                                sourceLocation, id.value(), source.endpoint(), journal)
                        : MoveLease.open(sourcePool::adminConnection, id.value(), source.endpoint(), journal);
                long start = System.nanoTime();
                router.freeze(id);
                boolean switched = false;
                try {
                    journal.beforeStep(Step.FROZEN);
                    drain(id);
                    long drained = System.nanoTime();
                    fence(control, src, id, source, step.compareTo(Step.FROZEN) >= 0);
                    lease.start();
                    long fenced = System.nanoTime();
                    journal.beforeStep(Step.VERIFIED);
                    // a mover that stopped past its lease (paused, or its connection killed) writes nothing more:
                    // sessions may have written on the source since, or another call resumed the move
                    lease.renewOrFail(control, src, id.value(), source.endpoint(), journal.lease());
                    // the tables as they are now, frozen: one created since the catch-up passes began was in none of
                    // them (not captured: the whole comparison)
                    pairs = pairs(src, from, ownDatabase(source), tgt, to, id);
                    Optional<ChangeCapture.Pass> last = mark.isEmpty() ? Optional.empty()
                            : ChangeCapture.pass(src, from, tgt, to, pairs, id.value(), mark.get());
                    if (last.isPresent()) {
                        // transactions running at that pass's snapshot are not the tenant's (the fence ended those),
                        // but could be an administrator's writing its rows: once they ended, one more pass
                        if (!ChangeCapture.settle(src, last.get().mark(), SETTLE_MILLIS)) {
                            LOG.warn("Tenant {}: transactions running when its move froze it had not ended after {} ms;"
                                    + " rows they write to it now are not caught up", id, SETTLE_MILLIS);
                        }
                        long first = last.get().keys();
                        last = ChangeCapture.pass(src, from, tgt, to, pairs, id.value(), last.get().mark())
                                .map(after -> new ChangeCapture.Pass(after.mark(), after.keys() + first));
                    }
                    if (last.isPresent()) {
                        // the rows changed since the last pass, replaced and verified; the rest verified before
                        caughtUp = last.get().keys();
                        rows.putAll(last.get().mark().rows());
                        TenantCopy.advanceSequences(tgt, to, pairs, id.value(), src);
                        journal.verifiedBy("changes");
                    } else {
                        caughtUp = catchUpAndVerify(src, from, tgt, to, pairs, id, rows);
                        journal.verifiedBy("whole: " + (mark.isEmpty() ? "no change capture" : "capture degraded"));
                    }
                    long verified = System.nanoTime();
                    MoveJournal.advance(control, id.value(), Step.VERIFIED);
                    if (ownDatabase(source)) {
                        int ended = MoveLease.sealDatabase(src, id.value(), sourceLocation);
                        if (ended < 0) {
                            throw MoveLease.expired(id.value(), "its database's lease ran out");
                        }
                        if (ended > 0) {
                            // sessions of its role were there (logins being refused, as a rule): once they are gone,
                            // whatever a session that got in could have written is caught up and verified again
                            MoveLease.endSessionsAndWait(src, id.value(), sourceLocation, TERMINATE_MILLIS);
                            Optional<ChangeCapture.Pass> again = last.isEmpty() ? Optional.empty()
                                    : ChangeCapture.pass(src, from, tgt, to, pairs, id.value(), last.get().mark());
                            if (again.isPresent()) {
                                caughtUp += again.get().keys();
                                rows.putAll(again.get().mark().rows());
                                TenantCopy.advanceSequences(tgt, to, pairs, id.value(), src);
                            } else {
                                caughtUp += catchUpAndVerify(src, from, tgt, to, pairs, id, rows);
                            }
                        }
                    }
                    journal.beforeStep(Step.SWITCHED); // after the seal of a database of its own
                    Route next = switchPlacement(control, targetControl, id, source, target, targetPool);
                    LOG.debug("Tenant {} frozen: drain {} ms, fence {} ms, catch-up and verify {} ms, switch {} ms",
                            id, (drained - start) / 1_000_000, (fenced - drained) / 1_000_000,
                            (verified - fenced) / 1_000_000, (System.nanoTime() - verified) / 1_000_000);
                    if (sourceLevel == IsolationLevel.MAXIMUM) {
                        router.tenantPools().close(id); // its pool reaches the source database
                    }
                    router.place(next);
                    switched = true;
                } catch (SQLException | RuntimeException e) {
                    if (!switched) {
                        unfence(control, src, id, source, e);
                    }
                    throw e;
                } finally {
                    router.thaw(id);
                    lease.close();
                    long end = System.nanoTime();
                    pauseNanos = end - start;
                    journal.frozen(start, end);
                }
            }
            step = Step.SWITCHED;
            LOG.info("Tenant {} switched from {} to {} on endpoint {}; writes paused {} ms, {} rows caught up", id,
                    sourceLevel, targetLevel, targetPool.name(), pauseNanos / 1_000_000, caughtUp);
        }
        if (entry.step().compareTo(Step.SWITCHED) >= 0) {
            // switched by an earlier call, perhaps another instance's: this instance's route may still name the source
            Route fresh = provisioner.reload(id);
            if (fresh != null && fresh.placement().ready()) {
                router.place(fresh);
            }
        }
        tenants.update(id, t -> t.isolationLevel() == targetLevel ? t : new Tenant(t.id(), t.market(),
                t.organization(), t.subscriptionTier(), t.featureFlags(), t.configuration(), targetLevel, t.state()));
        if (step.compareTo(Step.SOURCE_ERASED) < 0) {
            journal.beforeStep(Step.SOURCE_ERASED);
            eraseSource(control, id, source, sourcePool);
            if (between) {
                // the key lives on at the target; a master key it was re-wrapped from is destroyed
                ciphers.leave(control, targetControl, tenant, sourcePool.region(), targetPool.region());
            }
            MoveJournal.advance(control, id.value(), Step.SOURCE_ERASED);
        }
        MoveJournal.remove(control, id.value());
        if (rows.isEmpty()) {
            try (Connection tgt = open(targetPool, targetLevel, targetLocation)) {
                TenantCopy.checks(tgt, to, new ArrayList<>(TenantCopy.tables(tgt, to).values()), id.value())
                        .forEach((table, check) -> rows.put(table, check.rows()));
            }
        }
        return new MoveResult(source, router.placed(id, "move").placement(), rows, caughtUp,
                Duration.ofNanos(pauseNanos), resumed);
    }

    private static TenantCopy.Side side(IsolationLevel level, String location) {
        return switch (level) {
            case BASIC -> TenantCopy.Side.sharedTables();
            case ENHANCED -> TenantCopy.Side.ownTables("^" + location + "$");
            case MAXIMUM, REGULATORY -> TenantCopy.Side.ownTables(USER_SCHEMAS);
        };
    }

    /** An administrator connection to where the tenant's tables are at {@code level}. */
    private static Connection open(EndpointPool pool, IsolationLevel level, String location) throws SQLException {
        return level == IsolationLevel.MAXIMUM || level == IsolationLevel.REGULATORY
                ? pool.adminConnection(location) : pool.adminConnection();
    }

    private static List<TenantCopy.Pair> pairs(Connection src, TenantCopy.Side from, boolean ownSource,
            Connection tgt, TenantCopy.Side to, TenantId id) throws SQLException {
        Map<String, TenantCopy.Table> sources = TenantCopy.tables(src, from);
        TenantCopy.refuseLargeObjects(src, sources.values(), ownSource);
        return TenantCopy.pair(src, from, sources, TenantCopy.tables(tgt, to), id.value());
    }

    /** What provisioning creates for the level, with the tenant's migrations applied (BASIC: nothing). */
    private void createTarget(Connection control, TenantId id, IsolationLevel level, String location,
            EndpointPool pool) throws SQLException {
        switch (level) {
            case BASIC -> {
                // the shared tables exist already
            }
            case ENHANCED -> {
                SchemaTenants.create(control, pool.appRole().orElseThrow(), location);
                migrator.finishSchema(id, location, control);
            }
            case MAXIMUM, REGULATORY -> {
                DatabaseTenants.create(control, location, tokens.loginPassword(location));
                try (Connection tenantAdmin = pool.adminConnection(location)) {
                    DatabaseTenants.prepare(tenantAdmin, location);
                    migrator.finishDatabase(id, location, tenantAdmin);
                }
            }
        }
    }

    /** Waits, up to a bound, until this instance's connections of the tenant are returned (its new borrows wait). */
    private void drain(TenantId id) {
        long deadline = System.nanoTime() + DRAIN_MILLIS * 1_000_000;
        while ((router.sharedInUse(id) > 0 || router.tenantPools().inUse(id) > 0) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IsolationException("Interrupted while freezing tenant '" + id + "' for its move.");
            }
        }
    }

    /**
     * Stops the tenant's writes on the source for every instance: its placement becomes MOVING (no session of a
     * shared pool can bind it), a database of its own loses its write grants, and every session serving it is ended
     * (a transaction in flight is rolled back). Idempotent.
     */
    private void fence(Connection control, Connection src, TenantId id, TenantPlacement source, boolean refreeze)
            throws SQLException {
        boolean auto = control.getAutoCommit();
        control.setAutoCommit(false);
        try {
            // the placement lock: bindings in flight (which read READY) commit first, and are listed below
            MoveLease.lockPlacement(control, id.value());
            // a resumed move may find its own fence still in place (MOVING, its lease run out or not: holding the
            // move lock, this call is the only mover), or a tombstone a switch between endpoints left before it
            // recorded the target
            try (PreparedStatement ps = control.prepareStatement("UPDATE geo_control.tenant_placement SET state ="
                    + " 'MOVING', lease_until = clock_timestamp() + ? * interval '1 millisecond', updated_at = now()"
                    + " WHERE tenant = ? AND endpoint = ? AND level = ? AND coalesce(location, '') = ?"
                    + " AND state = ANY (?)")) {
                ps.setLong(1, journal.lease().toMillis());
                ps.setString(2, id.value());
                ps.setString(3, source.endpoint());
                ps.setString(4, source.level().name());
                ps.setString(5, source.location() == null ? "" : source.location());
                ps.setArray(6, control.createArrayOf("text", refreeze ? new Object[] {"READY", "MOVING"}
                        : new Object[] {"READY"}));
                if (ps.executeUpdate() != 1) {
                    throw new IsolationException("The placement of tenant '" + id + "' is not READY at "
                            + source.level() + " on endpoint '" + source.endpoint() + "' (another instance moved it,"
                            + " or a move left a tombstone there). Nothing was switched; look its placement up, then"
                            + " move it again if still needed.");
                }
            }
            MoveJournal.advance(control, id.value(), Step.FROZEN);
            control.commit();
        } catch (SQLException | RuntimeException e) {
            control.rollback();
            throw e;
        } finally {
            control.setAutoCommit(auto);
        }
        String location = source.location();
        boolean ownDatabase = source.level() == IsolationLevel.MAXIMUM || source.level() == IsolationLevel.REGULATORY;
        if (ownDatabase) {
            // no new session of the tenant's role (any instance's pool) while the lease runs: the database's login
            // trigger refuses it (src is the administrator's connection to the tenant's database); past the lease,
            // logins proceed on the source, as bindings of a shared pool do
            MoveLease.freezeDatabase(src, id.value(), location, journal.lease());
        }
        long deadline = System.nanoTime() + TERMINATE_MILLIS * 1_000_000;
        while (true) {
            // listed and told to end in one statement, which re-checks that each session still serves the tenant (a
            // pid whose session was meanwhile bound to another tenant is not ended)
            List<Integer> pids = terminateServing(control, id, source);
            if (pids.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IsolationException("Sessions " + pids + " still serve tenant '" + id + "' " + TERMINATE_MILLIS
                        + " ms after they were told to end, so its writes cannot be frozen. Nothing was switched; the"
                        + " tenant stays where it was. Call move again to retry.");
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IsolationException("Interrupted while freezing tenant '" + id + "' for its move.");
            }
        }
    }

    /** The live sessions serving the tenant at its source, each told to end; empty when none is left. */
    private static List<Integer> terminateServing(Connection control, TenantId id, TenantPlacement source)
            throws SQLException {
        List<Integer> pids = new ArrayList<>();
        try (PreparedStatement ps = control.prepareStatement(serving(source, "pg_terminate_backend(a.pid)"))) {
            ps.setString(1, ownDatabase(source) ? source.location() : id.value());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pids.add(rs.getInt(1));
                }
            }
        }
        return pids;
    }

    /** How many live sessions serve the tenant at its source (the switch requires none). */
    private static int servingCount(Connection control, TenantId id, TenantPlacement source) throws SQLException {
        try (PreparedStatement ps = control.prepareStatement(serving(source, "true"))) {
            ps.setString(1, ownDatabase(source) ? source.location() : id.value());
            int n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    n++;
                }
            }
            return n;
        }
    }

    private static String serving(TenantPlacement source, String also) {
        return ownDatabase(source)
                ? "SELECT a.pid, " + also + " FROM pg_stat_activity a WHERE a.datname = ? AND a.usename = a.datname"
                        + " AND a.pid <> pg_backend_pid()"
                : "SELECT a.pid, " + also + " FROM geo_control.session_binding b JOIN pg_stat_activity a"
                        + " ON a.pid = b.pid WHERE b.tenant = ? AND a.pid <> pg_backend_pid()";
    }

    private static boolean ownDatabase(TenantPlacement p) {
        return p.level() == IsolationLevel.MAXIMUM || p.level() == IsolationLevel.REGULATORY;
    }

    /** The user schemas of a tenant's own database. */
    private static List<String> userSchemas(Connection tenantAdmin) throws SQLException {
        List<String> schemas = new ArrayList<>();
        try (PreparedStatement ps = tenantAdmin.prepareStatement("SELECT nspname FROM pg_namespace WHERE nspname ~ ?"
                + " AND nspname <> 'geo_move'")) {
            ps.setString(1, USER_SCHEMAS);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    schemas.add(rs.getString(1));
                }
            }
        }
        return schemas;
    }

    /** Undoes the fence after a failure before the switch, so the tenant is routable on its source again. */
    private void unfence(Connection control, Connection src, TenantId id, TenantPlacement source, Exception cause) {
        try {
            thaw(control, src, id, source);
        } catch (SQLException | RuntimeException e) {
            cause.addSuppressed(e);
            LOG.warn("Tenant {} stays frozen on its source after a failed move step ({}); call move again to finish"
                    + " the move, or cancelMove to give it up", id, e.getMessage());
        }
    }

    /** The source's placement READY again (no lease), and a database of its own its connections and writes back. */
    private static void thaw(Connection control, Connection src, TenantId id, TenantPlacement source)
            throws SQLException {
        setState(control, id, source, List.of("MOVING", "READY"), "READY");
        if (ownDatabase(source)) {
            MoveLease.thawDatabase(src, source.location());
            // a freeze by an earlier version revoked these (given back to every user schema)
            for (String schema : userSchemas(src)) {
                if (!schema.equals("public")) {
                    Sql.execute(src, "GRANT INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA "
                            + Sql.quote(schema) + " TO " + Sql.quote(source.location()));
                }
            }
            DatabaseTenants.secure(src, source.location());
            Sql.execute(control, "GRANT CONNECT ON DATABASE " + Sql.quote(source.location()) + " TO "
                    + Sql.quote(source.location()));
        }
    }

    /**
     * Gives up the tenant's journaled move (see {@code TenantDataSource.cancelMove}): under the move lock, if the
     * move has not switched, the source's placement is READY again (a freeze undone, whether its lease ran out or
     * not; a database of its own gets its connections and writes back), then the target is erased (its schema and
     * role, its database and login role, or its rows in the shared tables; between endpoints the placement recorded
     * there becomes a tombstone and the data key copied there goes), then the journal row. Idempotent: a cancel that
     * stopped midway is finished by calling it again.
     *
     * @return whether a move was journaled (false: nothing to cancel)
     * @throws IsolationException if the move already switched (call move to finish it), or it is running now
     */
    boolean cancelMove(TenantId id) {
        Objects.requireNonNull(id, "id");
        Optional<EndpointPool> at = journaled(id);
        if (at.isEmpty()) {
            return false;
        }
        EndpointPool pool = at.get();
        try (Connection control = pool.adminConnection()) {
            lock(control, id);
            try {
                Optional<MoveJournal.Entry> recorded = MoveJournal.find(control, id.value());
                if (recorded.isEmpty()) {
                    return false;
                }
                MoveJournal.Entry entry = recorded.get();
                EndpointPool targetPool = endpoints.require(entry.targetEndpoint());
                boolean between = targetPool != pool;
                IsolationLevel sourceLevel = IsolationLevel.valueOf(entry.sourceLevel());
                IsolationLevel targetLevel = IsolationLevel.valueOf(entry.targetLevel());
                String finish = "Call move(" + id + ", " + entry.targetLevel() + ", \"" + entry.targetEndpoint()
                        + "\") to finish it instead.";
                if (entry.step().compareTo(Step.SWITCHED) >= 0) {
                    throw new IsolationException("The move of tenant '" + id + "' already switched it to its target;"
                            + " it cannot be cancelled. " + finish);
                }
                if (!between && !targetLevel.equals(IsolationLevel.BASIC)
                        && entry.targetLocation().equals(entry.sourceLocation())) {
                    throw new IsolationException("The move journal of tenant '" + id + "' names its source as its"
                            + " target; nothing was cancelled. Look its placement up.");
                }
                TenantPlacement source = new TenantPlacement(id, sourceLevel, pool.name(), pool.region(),
                        entry.sourceLocation(), true);
                try (Connection targetControl = between ? targetPool.adminConnection() : null) {
                    Connection tc = between ? targetControl : control;
                    if (between && readyOn(tc, id, targetPool)) {
                        throw new IsolationException("The move of tenant '" + id + "' already recorded it READY on"
                                + " endpoint '" + targetPool.name() + "'; it cannot be cancelled. " + finish);
                    }
                    try (Connection src = open(pool, sourceLevel, entry.sourceLocation())) {
                        thaw(control, src, id, source);
                        ChangeCapture.remove(src, id.value());
                    }
                    eraseTarget(tc, id, targetLevel, entry.targetLocation(), between);
                    if (between) {
                        ciphers.leave(tc, control, tenants.require(id), targetPool.region(), pool.region());
                    }
                }
                MoveJournal.remove(control, id.value());
                LOG.info("Tenant {}: its move to {} on endpoint {} was cancelled at step {}; it stays {} on endpoint {}",
                        id, targetLevel, targetPool.name(), entry.step(), sourceLevel, pool.name());
                return true;
            } finally {
                unlock(control, id);
            }
        } catch (SQLException e) {
            throw new IsolationException("Cancelling the move of tenant '" + id + "' failed: " + e.getMessage()
                    + ". Call cancelMove again to finish it.", e);
        }
    }

    /**
     * Releases the seal of a tenant's own source database that a mover left when it stopped (killed, its connection
     * lost) between the seal and the switch: without this, the seal ('forever': no login of the tenant's role passes)
     * outlived the lease, and the tenant stayed refused until someone called move or cancelMove. Called when a borrow
     * of the tenant was refused there. Releases only under the move lock (no move or cancel of the tenant runs, so
     * none can switch meanwhile) and the placement lock, with the journaled move not switched and the source's
     * placement still MOVING with its lease run out (or READY: a failed move's thaw recorded it READY, then could not
     * reach the database to lift the seal); the seal's lease then becomes one that ran out, as a mover
     * killed before the seal leaves it: the tenant is served on its source, and move resumes the move (it freezes
     * again, catches up and verifies before it switches).
     *
     * @return whether a seal was released
     */
    boolean releaseAbandonedSeal(TenantId id) {
        Optional<EndpointPool> at = journaled(id);
        if (at.isEmpty()) {
            return false;
        }
        EndpointPool pool = at.get();
        try (Connection control = pool.adminConnection()) {
            if (!tryLock(control, id)) {
                return false;
            }
            try {
                Optional<MoveJournal.Entry> recorded = MoveJournal.find(control, id.value());
                if (recorded.isEmpty() || recorded.get().step().compareTo(Step.SWITCHED) >= 0) {
                    return false;
                }
                MoveJournal.Entry entry = recorded.get();
                IsolationLevel level = IsolationLevel.valueOf(entry.sourceLevel());
                if (level != IsolationLevel.MAXIMUM && level != IsolationLevel.REGULATORY) {
                    return false;
                }
                boolean auto = control.getAutoCommit();
                control.setAutoCommit(false);
                try {
                    MoveLease.lockPlacement(control, id.value());
                    boolean abandoned;
                    try (PreparedStatement ps = control.prepareStatement("SELECT 1 FROM geo_control.tenant_placement"
                            + " WHERE tenant = ? AND endpoint = ? AND level = ? AND coalesce(location, '') = ?"
                            // READY: a failed move's thaw made it READY, then could not reach the database
                            + " AND (state = 'READY' OR state = 'MOVING' AND lease_until <= clock_timestamp())")) {
                        ps.setString(1, id.value());
                        ps.setString(2, pool.name());
                        ps.setString(3, level.name());
                        ps.setString(4, entry.sourceLocation());
                        try (ResultSet rs = ps.executeQuery()) {
                            abandoned = rs.next();
                        }
                    }
                    boolean released = false;
                    if (abandoned) {
                        try (Connection src = open(pool, level, entry.sourceLocation())) {
                            released = MoveLease.releaseSeal(src, id.value(), entry.sourceLocation());
                        }
                    }
                    control.commit();
                    if (released) {
                        LOG.warn("Tenant {}: its move to {} on endpoint {} stopped between the seal of its source"
                                + " database and the switch (the mover's process ended); the seal is released and the"
                                + " tenant is served on its source again. Call move to finish the move, or cancelMove"
                                + " to give it up", id, entry.targetLevel(), entry.targetEndpoint());
                    }
                    return released;
                } catch (SQLException | RuntimeException e) {
                    control.rollback();
                    throw e;
                } finally {
                    control.setAutoCommit(auto);
                }
            } finally {
                unlock(control, id);
            }
        } catch (SQLException e) {
            throw new IsolationException("Releasing the seal of tenant '" + id + "''s source database failed: "
                    + e.getMessage(), e);
        }
    }

    /** Erases what a move created on its target before it switched. Idempotent. */
    private static void eraseTarget(Connection targetControl, TenantId id, IsolationLevel level, String location,
            boolean between) throws SQLException {
        switch (level) {
            case BASIC -> TenantData.erase(targetControl, id.value(), false);
            case ENHANCED -> SchemaTenants.drop(targetControl, location);
            case MAXIMUM, REGULATORY -> DatabaseTenants.drop(targetControl, location);
        }
        if (between) {
            // never READY there (checked): what the move recorded becomes a tombstone, which refuses the tenant there
            try (PreparedStatement ps = targetControl.prepareStatement("UPDATE geo_control.tenant_placement SET"
                    + " state = 'MOVING', lease_until = NULL, updated_at = now() WHERE tenant = ? AND state <> 'READY'")) {
                ps.setString(1, id.value());
                ps.executeUpdate();
            }
        }
    }

    /** Changes the state of exactly the source's placement row; anything else means it changed: refused. */
    private static void setState(Connection control, TenantId id, TenantPlacement source, List<String> from,
            String to) throws SQLException {
        try (PreparedStatement ps = control.prepareStatement("UPDATE geo_control.tenant_placement SET state = ?,"
                + " lease_until = NULL, updated_at = now() WHERE tenant = ? AND endpoint = ? AND level = ?"
                + " AND coalesce(location, '') = ? AND state = ANY (?)")) {
            ps.setString(1, to);
            ps.setString(2, id.value());
            ps.setString(3, source.endpoint());
            ps.setString(4, source.level().name());
            ps.setString(5, source.location() == null ? "" : source.location());
            ps.setArray(6, control.createArrayOf("text", from.toArray()));
            int updated = ps.executeUpdate();
            if (updated != 1) {
                throw new IsolationException("The placement of tenant '" + id + "' is not " + String.join(" or ", from)
                        + " at " + source.level() + " on endpoint '" + source.endpoint() + "' (" + updated
                        + " rows match; another instance moved it, or a move left a tombstone there). Nothing was"
                        + " switched; look its placement up, then move it again if still needed.");
            }
        }
    }

    /**
     * Catch-up passes before the freeze, while the tenant writes on: each replaces the rows changed since the one
     * before, so that the freeze's own pass is small. Stops when a pass finds few changes, when passes stop getting
     * smaller, or after {@link #PASSES}. With a nice ratio, a pass is followed by a sleep of up to the ratio times its
     * work, shortened so that the changes arriving meanwhile (at the rate the pass found them) stay within
     * {@link #PASS_SHRINK} of the pass's: a tenant writing fast gets shorter sleeps, never a catch-up that falls behind.
     *
     * @param since when the first pass's changes began to arrive (the copy's snapshot), 0 if not known (no sleep
     *     after the first pass)
     * @return where the catch-up stands, or empty when there is no usable change capture (the freeze then compares
     *     the whole tenant)
     */
    private Optional<ChangeCapture.Mark> catchUp(Connection src, TenantCopy.Side from, Connection tgt,
            TenantCopy.Side to, List<TenantCopy.Pair> pairs, TenantId id, long since) throws SQLException {
        Optional<ChangeCapture.Mark> mark = ChangeCapture.mark(src, id.value());
        long previous = Long.MAX_VALUE;
        long arriving = since;
        Pace pace = Pace.of(niceRatio);
        for (int i = 0; i < PASSES && mark.isPresent(); i++) {
            long start = System.nanoTime();
            Optional<ChangeCapture.Pass> pass = ChangeCapture.pass(src, from, tgt, to, pairs, id.value(), mark.get());
            if (pass.isEmpty()) {
                return Optional.empty();
            }
            long worked = System.nanoTime() - start;
            long keys = pass.get().keys();
            mark = Optional.of(pass.get().mark());
            LOG.debug("Tenant {}: catch-up pass {} replaced {} rows in {} ms", id, i + 1, keys, worked / 1_000_000);
            if (keys <= SMALL_PASS || keys >= previous) {
                break;
            }
            previous = keys;
            if (niceRatio > 0 && arriving > 0 && i < PASSES - 1) {
                // (not after the last pass: what arrives meanwhile would be caught up inside the freeze)
                // keys arrived over (start - arriving) and were replayed in worked: sleeping s * worked lets
                // (1 + s) * worked * keys / (start - arriving) arrive
                double arrivedPerWorked = (double) worked / (start - arriving);
                pace.pauseAfter(worked, PASS_SHRINK / arrivedPerWorked - 1);
            }
            arriving = start;
        }
        return mark;
    }

    /**
     * With the source frozen: compares counts and checksums table by table; a table that differs (rows changed
     * during the copy) is reconciled row by row, and all are compared again.
     *
     * @return rows copied again or deleted
     * @throws IsolationException if a table still differs
     */
    private static long catchUpAndVerify(Connection src, TenantCopy.Side from, Connection tgt, TenantCopy.Side to,
            List<TenantCopy.Pair> pairs, TenantId id, Map<String, Long> rows) throws SQLException {
        List<TenantCopy.Table> sources = pairs.stream().map(TenantCopy.Pair::source).toList();
        List<TenantCopy.Table> targets = pairs.stream().map(TenantCopy.Pair::target).toList();
        Map<String, TenantCopy.Check> s = TenantCopy.checks(src, from, sources, id.value());
        Map<String, TenantCopy.Check> t = TenantCopy.checks(tgt, to, targets, id.value());
        long caughtUp = 0;
        boolean changed = false;
        for (TenantCopy.Pair p : pairs) {
            if (!s.get(p.source().name()).equals(t.get(p.target().name()))) {
                caughtUp += TenantCopy.reconcile(src, from, tgt, to, p, id.value());
                changed = true;
            }
        }
        if (changed) {
            t = TenantCopy.checks(tgt, to, targets, id.value());
        }
        List<String> differing = new ArrayList<>();
        for (TenantCopy.Pair p : pairs) {
            TenantCopy.Check a = s.get(p.source().name());
            TenantCopy.Check b = t.get(p.target().name());
            if (!a.equals(b)) {
                differing.add(p.source().name() + " (source " + a.rows() + " rows, checksum " + a.checksum()
                        + "; target " + b.rows() + " rows, checksum " + b.checksum() + ")");
            }
            rows.put(p.source().name(), a.rows());
        }
        if (!differing.isEmpty()) {
            throw new IsolationException("Verifying the move of tenant '" + id + "' failed: " + differing + ". Nothing"
                    + " was switched; the tenant stays on its source. Call move again to retry.");
        }
        // frozen: the source's sequences no longer move; the target's are set past them (and past the rows)
        TenantCopy.advanceSequences(tgt, to, pairs, id.value(), src);
        return caughtUp;
    }

    /** Records the target as the tenant's placement, READY, in one transaction with the journal; its route. */
    private Route switchPlacement(Connection control, Connection targetControl, TenantId id, TenantPlacement source,
            TenantPlacement target, EndpointPool targetPool) throws SQLException {
        if (control != targetControl) {
            // The source's placement first becomes a tombstone for good (MOVING without a lease), in one transaction
            // under the placement lock that also checks that the lease still runs and that no session serves the
            // tenant there (none can bind it while that lock is held).
            boolean auto = control.getAutoCommit();
            control.setAutoCommit(false);
            try {
                MoveLease.lockPlacement(control, id.value());
                refuseIfServed(control, id, source);
                try (PreparedStatement ps = control.prepareStatement("UPDATE geo_control.tenant_placement SET"
                        + " lease_until = NULL, updated_at = now() WHERE tenant = ? AND endpoint = ? AND level = ?"
                        + " AND coalesce(location, '') = ? AND state = 'MOVING' AND lease_until > clock_timestamp()")) {
                    ps.setString(1, id.value());
                    ps.setString(2, source.endpoint());
                    ps.setString(3, source.level().name());
                    ps.setString(4, source.location() == null ? "" : source.location());
                    if (ps.executeUpdate() != 1) {
                        throw notSwitched(control, id, source);
                    }
                }
                control.commit();
            } catch (SQLException | RuntimeException e) {
                control.rollback();
                throw e;
            } finally {
                control.setAutoCommit(auto);
            }
            // Between endpoints: the target's placement READY first, then the journal. The source's placement stays,
            // MOVING, as a tombstone: the source endpoint refuses to bind the tenant ever after, so another instance
            // with a cached route looks it up again and finds the target. A crash between the two writes is finished
            // by the next move call (readyOn).
            if (target.level() == IsolationLevel.ENHANCED) {
                // a self-check on the target endpoint during the move quarantined the schema (PROVISIONING) and took
                // its role from the application role: given back, as provisioning gives it
                SchemaTenants.create(targetControl, targetPool.appRole().orElseThrow(), target.location());
            }
            recordTarget(targetControl, id, target, "READY");
            MoveJournal.advance(control, id.value(), Step.SWITCHED);
            return provisioner.routeOf(target, targetPool, targetControl);
        }
        boolean auto = control.getAutoCommit();
        control.setAutoCommit(false);
        try {
            // under the placement lock (no binding in flight or to come until the commit), with the lease still
            // running: a lease that ran out may have let sessions write on the source after the catch-up
            MoveLease.lockPlacement(control, id.value());
            refuseIfServed(control, id, source);
            try (PreparedStatement ps = control.prepareStatement("UPDATE geo_control.tenant_placement SET level = ?,"
                    + " location = ?, state = 'READY', lease_until = NULL, updated_at = now() WHERE tenant = ?"
                    + " AND endpoint = ? AND level = ? AND coalesce(location, '') = ? AND state = 'MOVING'"
                    + " AND lease_until > clock_timestamp()")) {
                ps.setString(1, target.level().name());
                ps.setString(2, target.location());
                ps.setString(3, id.value());
                ps.setString(4, source.endpoint());
                ps.setString(5, source.level().name());
                ps.setString(6, source.location() == null ? "" : source.location());
                if (ps.executeUpdate() != 1) {
                    throw notSwitched(control, id, source);
                }
            }
            MoveJournal.advance(control, id.value(), Step.SWITCHED);
            Route next = provisioner.routeOf(target, targetPool, control);
            control.commit();
            return next;
        } catch (SQLException | RuntimeException e) {
            control.rollback();
            throw e;
        } finally {
            control.setAutoCommit(auto);
        }
    }

    /** Why the switch found the source's placement not as the fence left it: its lease ran out, or it changed. */
    private static IsolationException notSwitched(Connection control, TenantId id, TenantPlacement source)
            throws SQLException {
        if (MoveLease.ranOut(control, id.value(), source.endpoint())) {
            return MoveLease.expired(id.value(), null);
        }
        return new IsolationException("The placement of tenant '" + id + "' changed during its move (it is no longer"
                + " MOVING at " + source.level() + " on '" + source.endpoint() + "'). Nothing was switched; look its"
                + " placement up, then move it again.");
    }

    private static int pid(Connection control) throws SQLException {
        try (PreparedStatement ps = control.prepareStatement("SELECT pg_backend_pid()");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * Called under the placement lock at the switch: no session may serve the tenant at its source. A binding
     * cannot slip between the fence and the switch any more (the fence waits for bindings in flight, which hold the
     * lock shared, and lists their sessions after they committed); this still catches a session that bound after a
     * lease ran out, and anything that bypassed the binding function (an administrator's session bound by hand).
     */
    private static void refuseIfServed(Connection control, TenantId id, TenantPlacement source) throws SQLException {
        if (ownDatabase(source)) {
            // sealed just before (MoveLease.sealDatabase): no login of its role passes the trigger any more, and the
            // sessions there then were ended and caught up after; one seen now is a login being refused
            return;
        }
        int n = servingCount(control, id, source);
        if (n > 0) {
            throw new IsolationException(n + " session(s) bound tenant '" + id + "' on its source after it was frozen"
                    + " (a binding that raced the fence). Nothing was switched; the tenant stays where it was. Call"
                    + " move again to retry.");
        }
    }

    /** Erases the source, which the switch left unreachable (the target is verified). Idempotent. */
    private void eraseSource(Connection control, TenantId id, TenantPlacement source, EndpointPool pool)
            throws SQLException {
        if (!ownDatabase(source)) {
            ChangeCapture.remove(control, id.value()); // else the erase itself would be logged, row by row
        }
        Map<String, Long> erased = switch (source.level()) {
            case BASIC -> TenantData.eraseInBatches(control, id.value(), Pace.of(niceRatio));
            case ENHANCED -> {
                SchemaTenants.drop(control, source.location());
                yield Map.of();
            }
            case MAXIMUM, REGULATORY -> {
                DatabaseTenants.drop(control, source.location());
                yield Map.of();
            }
        };
        LOG.info("Tenant {}: source {} on endpoint {} erased after its move {}", id, source.level(), pool.name(),
                erased.isEmpty() ? "" : erased);
    }

    /** Records the tenant's placement on the target endpoint in {@code state} (replacing a tombstone of its own). */
    private static void recordTarget(Connection targetControl, TenantId id, TenantPlacement target, String state)
            throws SQLException {
        try (PreparedStatement ps = targetControl.prepareStatement("INSERT INTO geo_control.tenant_placement"
                + " (tenant, level, endpoint, state, location) VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant)"
                + " DO UPDATE SET level = excluded.level, endpoint = excluded.endpoint, state = excluded.state,"
                + " location = excluded.location, updated_at = now()")) {
            ps.setString(1, id.value());
            ps.setString(2, target.level().name());
            ps.setString(3, target.endpoint());
            ps.setString(4, state);
            ps.setString(5, target.location());
            ps.executeUpdate();
        }
    }

    /** Whether the target endpoint records the tenant READY there. */
    private static boolean readyOn(Connection targetControl, TenantId id, EndpointPool targetPool)
            throws SQLException {
        try (PreparedStatement ps = targetControl.prepareStatement("SELECT 1 FROM geo_control.tenant_placement"
                + " WHERE tenant = ? AND endpoint = ? AND state = 'READY'")) {
            ps.setString(1, id.value());
            ps.setString(2, targetPool.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void lock(Connection control, TenantId id) throws SQLException {
        if (!tryLock(control, id)) {
            throw new IsolationException("Tenant '" + id + "' is being moved by another call or instance right"
                    + " now; wait for it to finish.");
        }
    }

    /** Takes the tenant's move lock (a session lock of {@code control}) if no one holds it. */
    private static boolean tryLock(Connection control, TenantId id) throws SQLException {
        try (PreparedStatement ps = control.prepareStatement("SELECT pg_try_advisory_lock(" + AdminLocks.key(control)
                + ")")) {
            ps.setString(1, "geo-move:" + id.value());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection control, TenantId id) {
        try (PreparedStatement ps = control.prepareStatement("SELECT pg_advisory_unlock(" + AdminLocks.key(control)
                + ")")) {
            ps.setString(1, "geo-move:" + id.value());
            ps.execute();
        } catch (SQLException e) {
            LOG.debug("Releasing the move lock of tenant {} failed (it goes with the connection): {}", id,
                    e.getMessage());
        }
    }
}
