package com.enterprisehub.geo.mls;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.UnknownTenantException;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantLookup;
import com.enterprisehub.geo.mls.internal.ListingWriter;
import com.enterprisehub.geo.spi.listing.FeedBatch;
import com.enterprisehub.geo.spi.listing.FeedCheckpoint;
import com.enterprisehub.geo.spi.listing.FeedSubscription;
import com.enterprisehub.geo.spi.listing.ListingFeed;
import com.enterprisehub.geo.spi.listing.ListingFeedException;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicates a tenant's listing feed into the tenant's own {@link ListingTables}: pull a batch from the feed's
 * recorded checkpoint, write it in one transaction of the tenant's database, record the batch's checkpoint in the
 * control plane, repeat until the feed is caught up.
 *
 * <p><b>No gap, no duplicate, after a crash anywhere.</b> The listings and the checkpoint live in two databases, so
 * they cannot commit together. The checkpoint is recorded only after the batch committed: a crash between the two
 * leaves the old checkpoint, and the next run pulls that batch again. Writing it again changes nothing, because
 * every write is an upsert keyed by feed and {@code ListingKey} that only replaces a row whose
 * {@code ModificationTimestamp} is not newer (a removal is a tombstone under the same rule; a quarantined record is
 * keyed by its digest). So a listing is never skipped (the checkpoint never runs ahead of the data) and never stored
 * twice (the key is unique), and a replayed older version never overwrites a newer one.
 *
 * <p><b>Tenancy.</b> The feed's subscription names its tenant; the replicator binds that tenant in
 * {@link TenantContext} for each write and gets its connections from the data source given (a
 * {@code TenantDataSource}), so the rows land in that tenant's tables at its isolation level and no other tenant's
 * row can be written. A replicator called while another tenant is bound refuses.
 *
 * <p>While a batch is written, the next one is pulled on a thread of the run's own (one pull in flight at a time, so
 * a feed still sees one caller at a time).
 *
 * <p>Thread-safe; run one replicator per tenant and feed at a time (a second one is detected by the checkpoint store
 * and stopped).
 */
public final class ListingReplicator {
    private static final Logger LOG = LoggerFactory.getLogger(ListingReplicator.class);
    /** How long a run waits at its end for a pull still in flight (cancelled) to end. */
    private static final java.time.Duration PULL_GRACE = java.time.Duration.ofSeconds(60);

    private final DataSource listings;
    private final TenantLookup tenants;
    private final FeedCheckpointStore checkpoints;
    private final int batchSize;
    private final ListingWriter writer = new ListingWriter();

    private ListingReplicator(Builder b) {
        this.listings = b.listings;
        this.tenants = b.tenants;
        this.checkpoints = b.checkpoints;
        this.batchSize = b.batchSize;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Replicates {@code feed} until it is caught up.
     *
     * @throws ListingFeedException if the feed or a database fails (what was recorded stays; run again to resume)
     * @throws UnknownTenantException if the feed's tenant does not exist
     * @throws GeoException if another tenant is bound on this thread, or the tenant does not serve now
     */
    public ReplicationResult replicate(ListingFeed feed) {
        return replicate(feed, Integer.MAX_VALUE);
    }

    /**
     * Replicates at most {@code maxBatches} batches of {@code feed} (or until it is caught up). A thread interrupt
     * stops the run between batches with a {@link ListingFeedException} (the interrupt flag stays set).
     *
     * @throws ListingFeedException if the feed or a database fails, or a batch that is not caught up does not move the
     *     checkpoint (what was recorded stays; run again to resume)
     * @throws UnknownTenantException if the feed's tenant does not exist
     * @throws GeoException if another tenant is bound on this thread, or the tenant does not serve now
     */
    public ReplicationResult replicate(ListingFeed feed, int maxBatches) {
        Objects.requireNonNull(feed, "feed");
        if (maxBatches < 1) {
            throw new GeoValidationException("maxBatches must be 1 or more; got " + maxBatches + ".");
        }
        FeedSubscription subscription = Objects.requireNonNull(feed.subscription(), "feed.subscription()");
        Tenant tenant = tenants.find(subscription.tenant())
                .orElseThrow(() -> new UnknownTenantException(subscription.tenant())).requireActive();
        Optional<Tenant> bound = TenantContext.current();
        if (bound.isPresent() && !bound.get().id().equals(tenant.id())) {
            throw new GeoException("Feed '" + subscription.feedId() + "' belongs to tenant '" + tenant.id()
                    + "' but tenant '" + bound.get().id() + "' is bound on this thread; nothing was replicated."
                    + " Replicate a tenant's feeds outside other tenants' work.");
        }
        String feedId = subscription.feedId();
        FeedCheckpoint at = checkpoints.load(tenant.id(), feedId).orElse(FeedCheckpoint.START);
        int batches = 0;
        long stored = 0;
        long removed = 0;
        long quarantined = 0;
        boolean caughtUp = false;
        // The next batch is pulled while this one is written (one pull in flight at a time): a remote MLS's latency
        // and the database's work overlap. A pull that is never written is simply pulled again on the next run.
        ExecutorService puller = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "geo-mls-pull-" + feedId);
            t.setDaemon(true);
            return t;
        });
        FeedCheckpoint first = at;
        Future<FeedBatch> next = puller.submit(() -> feed.pull(first, batchSize));
        try {
            while (batches < maxBatches) {
                if (Thread.currentThread().isInterrupted()) {
                    throw interrupted(feedId, tenant, batches, null);
                }
                FeedBatch batch = await(next, feedId, tenant, batches);
                next = null;
                if (!batch.caughtUp() && batch.checkpoint().equals(at)) {
                    throw new ListingFeedException("Feed '" + feedId + "' of tenant '" + tenant.id() + "' returned a"
                            + " batch of " + batch.records().size() + " records that is not caught up but did not move"
                            + " the checkpoint (" + at.value() + "): the run would never end. Nothing of that batch"
                            + " was written; report it to the feed's provider.");
                }
                if (!batch.caughtUp() && batches + 1 < maxBatches) {
                    FeedCheckpoint from = batch.checkpoint();
                    next = puller.submit(() -> feed.pull(from, batchSize));
                }
                ListingWriter.Counts counts;
                try (TenantContext.Scope scope = TenantContext.open(tenant)) {
                    counts = writer.write(listings, feedId, batch.records());
                } catch (SQLException e) {
                    throw new ListingFeedException("Could not write a batch of feed '" + feedId + "' into tenant '"
                            + tenant.id() + "' (SQLSTATE " + e.getSQLState() + ": " + e.getMessage() + "). Nothing"
                            + " of the batch was kept; check the tenant's listing tables (ListingTables) and run"
                            + " again.", e);
                }
                checkpoints.advance(tenant.id(), feedId, at, batch.checkpoint(), batch.records().size());
                at = batch.checkpoint();
                batches++;
                stored += counts.stored();
                removed += counts.removed();
                quarantined += counts.quarantined();
                if (counts.quarantined() > 0 && quarantined == counts.quarantined()) {
                    LOG.warn("Feed '{}' of tenant '{}': {} record(s) quarantined in {} (the run's total is in its"
                            + " result and the closing log line)", feedId, tenant.id(), counts.quarantined(),
                            ListingTables.QUARANTINE);
                } else if (counts.quarantined() > 0) {
                    LOG.debug("Feed '{}' of tenant '{}': {} more record(s) quarantined", feedId, tenant.id(),
                            counts.quarantined());
                }
                if (batch.caughtUp()) {
                    caughtUp = true;
                    break;
                }
            }
        } finally {
            if (next != null) {
                next.cancel(true);
            }
            puller.shutdownNow();
            awaitPuller(puller, feedId, tenant);
        }
        LOG.info("Feed '{}' of tenant '{}': {} batches, {} stored, {} removed, {} quarantined, caught up: {}", feedId,
                tenant.id(), batches, stored, removed, quarantined, caughtUp);
        return new ReplicationResult(batches, stored, removed, quarantined, at, caughtUp);
    }

    /**
     * Waits (at most {@link #PULL_GRACE}) for a pull still in flight to end, so that no pull of this run goes on
     * after it returns; the thread's interrupt flag is kept.
     */
    private static void awaitPuller(ExecutorService puller, String feedId, Tenant tenant) {
        boolean interrupted = Thread.interrupted();
        try {
            if (!puller.awaitTermination(PULL_GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                LOG.warn("Feed '{}' of tenant '{}': a pull did not end within {} of the run's end; it is left to"
                        + " finish on its daemon thread (its result is discarded)", feedId, tenant.id(), PULL_GRACE);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static FeedBatch await(Future<FeedBatch> pull, String feedId, Tenant tenant, int batches) {
        try {
            return pull.get();
        } catch (InterruptedException e) {
            pull.cancel(true);
            Thread.currentThread().interrupt();
            throw interrupted(feedId, tenant, batches, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new ListingFeedException("Feed '" + feedId + "' failed: " + e.getCause(), e.getCause());
        }
    }

    private static ListingFeedException interrupted(String feedId, Tenant tenant, int batches, Throwable cause) {
        return new ListingFeedException("Replication of feed '" + feedId + "' of tenant '" + tenant.id()
                + "' was interrupted after " + batches + " batches; run it again to resume from its checkpoint.",
                cause);
    }

    /** Builds a {@link ListingReplicator}; each value is checked as it is set. Not thread-safe. */
    public static final class Builder {
        private DataSource listings;
        private TenantLookup tenants;
        private FeedCheckpointStore checkpoints;
        private int batchSize = 1_000;

        private Builder() {
        }

        /**
         * Where listings are written: a {@code TenantDataSource}, or a pool wrapping one (required).
         *
         * @throws GeoValidationException if it is neither: a plain data source would write without the tenant's
         *     binding
         */
        public Builder listings(DataSource dataSource) {
            Objects.requireNonNull(dataSource, "dataSource");
            boolean tenantBound;
            try {
                tenantBound = dataSource instanceof com.enterprisehub.geo.isolation.TenantDataSource
                        || dataSource.isWrapperFor(com.enterprisehub.geo.isolation.TenantDataSource.class);
            } catch (java.sql.SQLException e) {
                tenantBound = false;
            }
            if (!tenantBound) {
                throw new GeoValidationException("Listings are written through the tenants' TenantDataSource (it binds"
                        + " each connection to the tenant); got a " + dataSource.getClass().getName() + ". Pass the"
                        + " TenantDataSource, or a data source whose isWrapperFor(TenantDataSource.class) is true.");
            }
            this.listings = dataSource;
            return this;
        }

        /** Where the feeds' tenants are looked up: the tenant catalog (required). */
        public Builder tenants(TenantLookup lookup) {
            this.tenants = Objects.requireNonNull(lookup, "lookup");
            return this;
        }

        /** Where checkpoints are recorded (required). */
        public Builder checkpoints(FeedCheckpointStore store) {
            this.checkpoints = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Records pulled and written per batch, 1 to 10,000 (default 1,000). */
        public Builder batchSize(int size) {
            if (size < 1 || size > 10_000) {
                throw new GeoValidationException("The batch size is 1 to 10,000 records; got " + size + ".");
            }
            this.batchSize = size;
            return this;
        }

        /**
         * The replicator.
         *
         * @throws GeoValidationException naming every required value that is missing
         */
        public ListingReplicator build() {
            java.util.List<String> missing = new java.util.ArrayList<>();
            if (listings == null) {
                missing.add("listings(TenantDataSource)");
            }
            if (tenants == null) {
                missing.add("tenants(TenantCatalog)");
            }
            if (checkpoints == null) {
                missing.add("checkpoints(FeedCheckpointStore)");
            }
            if (!missing.isEmpty()) {
                throw new GeoValidationException("The listing replicator needs " + String.join(", ", missing) + ".");
            }
            return new ListingReplicator(this);
        }
    }
}
