package com.enterprisehub.geo.mls;

import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.spi.listing.FeedCheckpoint;
import com.enterprisehub.geo.spi.listing.ListingFeedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The durable replication checkpoint of each tenant's feeds, in the control plane's PostgreSQL (table
 * {@value #TABLE}, created if missing). A checkpoint only moves forward from the value its writer read: two
 * replicators of one feed cannot interleave their checkpoints unnoticed ({@link #advance} fails for the one that
 * lost). Thread-safe.
 */
public final class FeedCheckpointStore {
    /** The control-plane table. */
    public static final String TABLE = "geo_mls_checkpoint";

    private final DataSource controlPlane;
    private final Clock clock;

    private FeedCheckpointStore(DataSource controlPlane, Clock clock) {
        this.controlPlane = controlPlane;
        this.clock = clock;
    }

    /**
     * A store in {@code controlPlane}, whose table it creates if missing.
     *
     * @throws ListingFeedException if the table cannot be created
     */
    public static FeedCheckpointStore create(DataSource controlPlane, Clock clock) {
        Objects.requireNonNull(controlPlane, "controlPlane");
        Objects.requireNonNull(clock, "clock");
        try (Connection c = controlPlane.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (tenant_id text NOT NULL, feed_id text NOT NULL,"
                    + " checkpoint text NOT NULL, records bigint NOT NULL DEFAULT 0,"
                    + " updated_at timestamptz NOT NULL, PRIMARY KEY (tenant_id, feed_id))");
        } catch (SQLException e) {
            throw new ListingFeedException("Could not create the feed checkpoint table " + TABLE + " in the control"
                    + " plane (" + e.getMessage() + "). Check the control plane's DataSource can create tables.", e);
        }
        return new FeedCheckpointStore(controlPlane, clock);
    }

    /** The checkpoint of the tenant's feed, if one was recorded. */
    public Optional<FeedCheckpoint> load(TenantId tenant, String feedId) {
        try (Connection c = controlPlane.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT checkpoint FROM " + TABLE + " WHERE tenant_id = ? AND feed_id = ?")) {
            ps.setString(1, tenant.value());
            ps.setString(2, feedId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new FeedCheckpoint(rs.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new ListingFeedException("Could not read the checkpoint of feed '" + feedId + "' of tenant '"
                    + tenant + "' (" + e.getMessage() + "). Check the control plane is reachable.", e);
        }
    }

    /**
     * Moves the tenant's feed from {@code from} (what the caller loaded, or {@link FeedCheckpoint#START} when none
     * was recorded) to {@code to}, adding {@code records} to its count, in one transaction.
     *
     * @throws ListingFeedException if the recorded checkpoint is no longer {@code from} (another replicator of the
     *     same feed moved it: stop this one), or the control plane cannot be written
     */
    public void advance(TenantId tenant, String feedId, FeedCheckpoint from, FeedCheckpoint to, long records) {
        Timestamp now = Timestamp.from(clock.instant());
        try (Connection c = controlPlane.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO " + TABLE + " AS t (tenant_id, feed_id, checkpoint, records, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id, feed_id) DO UPDATE SET"
                        + " checkpoint = EXCLUDED.checkpoint, records = t.records + EXCLUDED.records,"
                        + " updated_at = EXCLUDED.updated_at WHERE t.checkpoint = ?")) {
            ps.setString(1, tenant.value());
            ps.setString(2, feedId);
            ps.setString(3, to.value());
            ps.setLong(4, records);
            ps.setTimestamp(5, now);
            ps.setString(6, from.value());
            int changed = ps.executeUpdate();
            if (changed == 0) {
                throw new ListingFeedException("The checkpoint of feed '" + feedId + "' of tenant '" + tenant
                        + "' was moved by another replicator while this one ran; this one stopped. Run one replicator"
                        + " per tenant and feed.");
            }
        } catch (SQLException e) {
            throw new ListingFeedException("Could not record the checkpoint of feed '" + feedId + "' of tenant '"
                    + tenant + "' (" + e.getMessage() + "); the listings already written will be written again, with"
                    + " no effect, when replication resumes.", e);
        }
    }
}
