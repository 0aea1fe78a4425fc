package com.enterprisehub.geo.platform;

import com.enterprisehub.geo.core.TenantAlreadyExistsException;
import com.enterprisehub.geo.core.UnknownTenantException;
import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.event.TenantCreated;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.platform.internal.ConfigJson;
import com.enterprisehub.geo.platform.internal.Jdbc;
import com.enterprisehub.geo.platform.internal.TenantChangeListener;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalogProvider;
import com.enterprisehub.geo.spi.catalog.TenantChanges;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TenantCatalog} in PostgreSQL: the control plane's table {@code geo_platform.tenants}, created on
 * first use. Every change is one transaction ({@code INSERT ... ON CONFLICT DO NOTHING} for a create,
 * {@code SELECT ... FOR UPDATE} then {@code UPDATE} for a change), so several application instances can
 * share one catalog without losing updates; the event is published after the commit. Configuration values
 * read back equal to what was stored (integers, longs, decimals keep their types).
 *
 * <p>Give it a data source of the control plane database (an ordinary pool, not a
 * {@link com.enterprisehub.geo.isolation.TenantDataSource}). Thread-safe. Passes geo-test's catalog contract kit.
 *
 * <p>Every lookup is a query. For the borrow path put a {@link CachingTenantCatalog} in front of it (the provider
 * {@code jdbc} does by default): {@link #open} installs the triggers {@code tenants_notify} and
 * {@code tenants_notify_truncate} on {@code geo_platform.tenants} (enabled {@code ALWAYS}, so they fire under
 * logical replication too), which {@code NOTIFY geo_platform_tenants} with the id of each row inserted, updated or
 * deleted by anyone (the payload is the tenant id and nothing else), so the caches of every instance drop a changed
 * tenant at once.
 *
 * <p>Discoverable as the provider {@code jdbc} (priority 0, above the {@code in-memory} fallback):
 * <pre>{@code
 * TenantCatalog tenants = Providers.fromClassPath().select(TenantCatalogProvider.class, "jdbc")
 *         .open(ProviderContext.builder().object(DataSource.class, controlPlane).events(events).build());
 * }</pre>
 */
public final class JdbcTenantCatalog implements TenantCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcTenantCatalog.class);
    /** Advisory lock key for installing the change triggers: the schema's ("geo_plat"), so the two never interleave. */
    private static final long SCHEMA_LOCK = 0x67656f5f706c6174L;
    private static final String[] TRIGGERS = {
        // SECURITY INVOKER (the default); the payload is the id alone, '' after TRUNCATE (read as "anything changed").
        "CREATE OR REPLACE FUNCTION geo_platform.tenants_notify() RETURNS trigger LANGUAGE plpgsql AS $$"
                + " BEGIN"
                + " IF TG_OP = 'TRUNCATE' THEN PERFORM pg_catalog.pg_notify('" + TenantChangeListener.CHANNEL
                + "', ''); RETURN NULL; END IF;"
                + " IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM pg_catalog.pg_notify('"
                + TenantChangeListener.CHANNEL + "', OLD.id); END IF;"
                + " IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM pg_catalog.pg_notify('"
                + TenantChangeListener.CHANNEL + "', NEW.id); END IF;"
                + " RETURN NULL; END $$",
        "CREATE OR REPLACE TRIGGER " + TenantChangeListener.ROW_TRIGGER + " AFTER INSERT OR UPDATE OR DELETE"
                + " ON geo_platform.tenants FOR EACH ROW EXECUTE FUNCTION geo_platform.tenants_notify()",
        "CREATE OR REPLACE TRIGGER " + TenantChangeListener.TRUNCATE_TRIGGER + " AFTER TRUNCATE"
                + " ON geo_platform.tenants FOR EACH STATEMENT EXECUTE FUNCTION geo_platform.tenants_notify()",
        // ALWAYS: they fire also under session_replication_role = replica, as a logical-replication apply worker
        // runs; an ordinary (ORIGIN) trigger does not ("ALTER TABLE", PostgreSQL 17 documentation,
        // https://www.postgresql.org/docs/17/sql-altertable.html#SQL-ALTERTABLE-DESC-DISABLE-ENABLE-TRIGGER).
        "ALTER TABLE geo_platform.tenants ENABLE ALWAYS TRIGGER " + TenantChangeListener.ROW_TRIGGER,
        "ALTER TABLE geo_platform.tenants ENABLE ALWAYS TRIGGER " + TenantChangeListener.TRUNCATE_TRIGGER,
    };
    /** The staleness bound of the provider's cache unless {@code cache.staleness} says otherwise. */
    private static final Duration PROVIDER_STALENESS = Duration.ofMillis(CachingTenantCatalog.DEFAULT_STALENESS_MILLIS);

    private static final String COLUMNS = "id, market, organization, subscription_tier, feature_flags::text,"
            + " configuration::text, isolation_level, state";

    private final DataSource dataSource;
    private final PlatformEvents events;
    private final Clock clock;

    private JdbcTenantCatalog(DataSource dataSource, PlatformEvents events, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A catalog on {@code dataSource}, creating its table if missing, publishing to {@code events} and stamping
     * events and rows with {@code clock}.
     *
     * @throws PlatformException if the database cannot be reached or the schema cannot be created
     */
    public static JdbcTenantCatalog open(DataSource dataSource, PlatformEvents events, Clock clock) {
        JdbcTenantCatalog catalog = new JdbcTenantCatalog(dataSource, events, clock);
        Jdbc.createSchema(dataSource);
        installTriggers(dataSource);
        return catalog;
    }

    /**
     * Installs the change triggers (enabled {@code ALWAYS}) unless they are there so. A role that does not own the
     * table cannot: then the catalog works, and caches of it fall back to their staleness bound (their listener says
     * so).
     */
    private static void installTriggers(DataSource dataSource) {
        String present = "SELECT count(*) FROM pg_catalog.pg_trigger WHERE tgrelid = 'geo_platform.tenants'::regclass"
                + " AND tgname IN ('" + TenantChangeListener.ROW_TRIGGER + "', '"
                + TenantChangeListener.TRUNCATE_TRIGGER + "') AND tgenabled = 'A'";
        if (Jdbc.query(dataSource, "Reading the triggers of geo_platform.tenants", present, rs -> rs.getInt(1))
                .get(0) == 2) {
            return;
        }
        try {
            Jdbc.inTransaction(dataSource, "Installing the change triggers on geo_platform.tenants", c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
                    for (String sql : TRIGGERS) {
                        s.execute(sql);
                    }
                }
                return null;
            });
        } catch (PlatformException e) {
            if (e.getCause() instanceof SQLException sql && "42501".equals(sql.getSQLState())) {
                LOG.warn("Cannot install the change triggers on geo_platform.tenants ({}): caches of this catalog on"
                        + " other instances see a change only when their staleness bound runs out. Open the catalog"
                        + " once as the table's owner to install them.", sql.getMessage());
                return;
            }
            throw e;
        }
    }

    /** The control plane's data source (for the cache's change listener). */
    DataSource dataSource() {
        return dataSource;
    }

    /**
     * The provider {@code jdbc}: needs the control plane's {@link DataSource} as an object of the context and uses
     * the context's events and clock. It returns a {@link CachingTenantCatalog} in front of the
     * {@link JdbcTenantCatalog} unless told otherwise: close it ({@link TenantCatalog#close}) to release the
     * connection and threads its listener holds. Settings:
     * <ul>
     *   <li>{@value #CACHE}: {@code true} (default) or {@code false} for the bare catalog (a query per lookup);</li>
     *   <li>{@value #CACHE_STALENESS}: the cache's staleness bound, an ISO-8601 duration (default {@code PT1S});</li>
     *   <li>{@value #CACHE_MAXIMUM_SIZE}: how many ids it caches (default 10000);</li>
     *   <li>{@value #CACHE_LISTEN}: {@code true} (default) to listen for changes on the control plane, which
     *       holds one connection of the data source; {@code false} to rely on the bound alone.</li>
     * </ul>
     */
    public static final class Provider implements TenantCatalogProvider {
        /** For {@link java.util.ServiceLoader}. */
        public Provider() {
        }

        @Override
        public String name() {
            return "jdbc";
        }

        /** Setting: whether to cache lookups. */
        public static final String CACHE = "cache";
        /** Setting: the cache's staleness bound. */
        public static final String CACHE_STALENESS = "cache.staleness";
        /** Setting: how many ids the cache holds. */
        public static final String CACHE_MAXIMUM_SIZE = "cache.maximum-size";
        /** Setting: whether the cache listens for changes on the control plane. */
        public static final String CACHE_LISTEN = "cache.listen";
        private static final String NAME = "the jdbc tenant catalog";

        @Override
        public TenantCatalog open(ProviderContext context) {
            context.refuseSettingsOtherThan(java.util.Set.of(CACHE, CACHE_STALENESS, CACHE_MAXIMUM_SIZE, CACHE_LISTEN),
                    NAME);
            boolean cached = context.booleanSetting(CACHE, true, NAME);
            Duration staleness = context.durationSetting(CACHE_STALENESS, PROVIDER_STALENESS, NAME);
            int maximumSize = context.intSetting(CACHE_MAXIMUM_SIZE, (int) CachingTenantCatalog.DEFAULT_MAXIMUM_SIZE, 1,
                    Integer.MAX_VALUE, NAME);
            boolean listen = context.booleanSetting(CACHE_LISTEN, true, NAME);
            CachingTenantCatalog.checkStaleness(staleness, CACHE_STALENESS); // before anything is opened
            DataSource dataSource = context.requireObject(DataSource.class, NAME,
                    "a pool on the control plane database, where it keeps the table geo_platform.tenants");
            JdbcTenantCatalog catalog = JdbcTenantCatalog.open(dataSource, context.events(), context.clock());
            if (!cached) {
                return catalog;
            }
            return CachingTenantCatalog.builder(catalog).staleness(staleness).maximumSize(maximumSize).listen(listen)
                    .build();
        }
    }

    @Override
    public Tenant create(Tenant tenant) {
        Objects.requireNonNull(tenant, "tenant");
        Instant now = clock.instant();
        int inserted = Jdbc.inTransaction(dataSource, "Creating tenant '" + tenant.id() + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO geo_platform.tenants (id, market,"
                    + " organization, subscription_tier, feature_flags, configuration, isolation_level, state,"
                    + " created_at, updated_at) VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?)"
                    + " ON CONFLICT (id) DO NOTHING")) {
                bind(ps, tenant);
                ps.setTimestamp(9, Timestamp.from(now));
                ps.setTimestamp(10, Timestamp.from(now));
                return ps.executeUpdate();
            }
        });
        if (inserted == 0) {
            throw new TenantAlreadyExistsException(tenant.id());
        }
        events.publish(new TenantCreated(now, tenant));
        return tenant;
    }

    /** Sets parameters 1 to 8 (id to state) of an insert. */
    private static void bind(PreparedStatement ps, Tenant tenant) throws SQLException {
        ps.setString(1, tenant.id().value());
        ps.setString(2, tenant.market().value());
        ps.setString(3, tenant.organization());
        ps.setString(4, tenant.subscriptionTier());
        ps.setString(5, ConfigJson.write(tenant.featureFlags()));
        ps.setString(6, ConfigJson.write(tenant.configuration()));
        ps.setString(7, tenant.isolationLevel().name());
        ps.setString(8, tenant.state().name());
    }

    @Override
    public Optional<Tenant> find(TenantId id) {
        Objects.requireNonNull(id, "id");
        List<Tenant> found = query("Reading tenant '" + id + "'", "WHERE id = ?", id.value());
        return found.stream().findFirst();
    }

    @Override
    public Tenant update(TenantId id, UnaryOperator<Tenant> change) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(change, "change");
        Instant now = clock.instant();
        Tenant[] before = new Tenant[1];
        Tenant after = Jdbc.inTransaction(dataSource, "Updating tenant '" + id + "'", c -> {
            List<Tenant> rows = Jdbc.query(c, "SELECT " + COLUMNS + " FROM geo_platform.tenants WHERE id = ? FOR UPDATE",
                    JdbcTenantCatalog::tenant, id.value());
            if (rows.isEmpty()) {
                throw new UnknownTenantException(id);
            }
            Tenant current = rows.get(0);
            Tenant next = Objects.requireNonNull(change.apply(current), "the change returned null");
            TenantChanges.check(current, next);
            before[0] = current;
            if (!next.equals(current)) {
                write(c, next, now);
            }
            return next;
        });
        TenantChanges.event(before[0], after, now).ifPresent(events::publish);
        return after;
    }

    private static void write(Connection c, Tenant next, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE geo_platform.tenants SET market = ?, organization = ?,"
                + " subscription_tier = ?, feature_flags = ?::jsonb, configuration = ?::jsonb, isolation_level = ?,"
                + " state = ?, updated_at = ? WHERE id = ?")) {
            ps.setString(1, next.market().value());
            ps.setString(2, next.organization());
            ps.setString(3, next.subscriptionTier());
            ps.setString(4, ConfigJson.write(next.featureFlags()));
            ps.setString(5, ConfigJson.write(next.configuration()));
            ps.setString(6, next.isolationLevel().name());
            ps.setString(7, next.state().name());
            ps.setTimestamp(8, Timestamp.from(now));
            ps.setString(9, next.id().value());
            ps.executeUpdate();
        }
    }

    @Override
    public List<Tenant> list() {
        return query("Listing tenants", "ORDER BY id");
    }

    @Override
    public List<Tenant> inMarket(MarketId market) {
        Objects.requireNonNull(market, "market");
        return query("Listing the tenants of market '" + market + "'", "WHERE market = ? ORDER BY id",
                market.value());
    }

    @Override
    public long count() {
        return Jdbc.query(dataSource, "Counting tenants", "SELECT count(*) FROM geo_platform.tenants",
                rs -> rs.getLong(1)).get(0);
    }

    private List<Tenant> query(String doing, String where, String... parameters) {
        return Jdbc.query(dataSource, doing, "SELECT " + COLUMNS + " FROM geo_platform.tenants " + where,
                JdbcTenantCatalog::tenant, (Object[]) parameters);
    }

    private static Tenant tenant(ResultSet rs) throws SQLException {
        Map<String, Boolean> flags = new LinkedHashMap<>();
        ConfigJson.readMap(rs.getString(5)).forEach((k, v) -> flags.put(k, (Boolean) v));
        return new Tenant(TenantId.of(rs.getString(1)), MarketId.of(rs.getString(2)), rs.getString(3),
                rs.getString(4), flags, ConfigJson.readMap(rs.getString(6)), IsolationLevel.valueOf(rs.getString(7)),
                TenantState.valueOf(rs.getString(8)));
    }

    @Override
    public String toString() {
        return "JdbcTenantCatalog(geo_platform.tenants)";
    }
}
