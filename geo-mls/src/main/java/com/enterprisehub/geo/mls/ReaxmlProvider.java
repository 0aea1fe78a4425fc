package com.enterprisehub.geo.mls;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.FeedProtocol;
import com.enterprisehub.geo.mls.internal.ReaxmlFeed;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.listing.FeedSubscription;
import com.enterprisehub.geo.spi.listing.ListingFeed;
import com.enterprisehub.geo.spi.listing.ListingFeedProvider;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.ZoneId;
import java.util.Set;

/**
 * The {@code reaxml} listing-feed provider: REAXML files (realestate.com.au's format, Australia) that a portal or an
 * agency's software drops into a directory, read in file-name order with a streaming parser; the checkpoint is the
 * file and the position in it. Settings:
 * <ul>
 *   <li>{@code directory} (required): where the tenant's {@code .xml} files arrive (one directory per tenant and
 *       feed: the files are the tenant's);</li>
 *   <li>{@code time-zone}: the zone of the files' {@code modTime} local times, default {@code Australia/Sydney};</li>
 *   <li>{@code settle-time}: how long a file must be unchanged before it is read (an upload may still be writing
 *       it), ISO-8601, default {@code PT30S}; {@code PT0S} when files only ever arrive by rename.</li>
 * </ul>
 * No credentials: the directory is the tenant's. Thread-safe; each feed it opens is used by one replicator at a time.
 */
public final class ReaxmlProvider implements ListingFeedProvider {
    private static final String WHO = "the reaxml listing feed";

    /** For {@link java.util.ServiceLoader}. */
    public ReaxmlProvider() {
    }

    @Override
    public String name() {
        return "reaxml";
    }

    @Override
    public FeedProtocol protocol() {
        return FeedProtocol.REAXML;
    }

    @Override
    public ListingFeed open(FeedSubscription subscription, ProviderContext context) {
        context.refuseSettingsOtherThan(Set.of("directory", "time-zone", "settle-time"), WHO);
        String dir = context.requireSetting("directory", WHO, "where the tenant's REAXML files arrive");
        Path directory;
        try {
            directory = Path.of(dir);
        } catch (InvalidPathException e) {
            throw new GeoValidationException("The setting 'directory' of " + WHO + " is not a path: '" + dir + "'.");
        }
        if (!Files.isDirectory(directory)) {
            throw new GeoValidationException("The setting 'directory' of " + WHO + " names no directory: '" + dir
                    + "'. Create it, or give the directory the files arrive in.");
        }
        String zoneText = context.setting("time-zone").orElse("Australia/Sydney");
        ZoneId zone;
        try {
            zone = ZoneId.of(zoneText);
        } catch (DateTimeException e) {
            throw new GeoValidationException("The setting 'time-zone' of " + WHO + " is a time-zone id such as"
                    + " Australia/Perth; got '" + zoneText + "'.");
        }
        String settleText = context.setting("settle-time").orElse("PT30S");
        Duration settle;
        try {
            settle = Duration.parse(settleText);
        } catch (DateTimeParseException e) {
            settle = Duration.ofSeconds(-1);
        }
        if (settle.isNegative() || settle.compareTo(Duration.ofDays(1)) > 0) {
            throw new GeoValidationException("The setting 'settle-time' of " + WHO + " is an ISO-8601 duration from"
                    + " PT0S to P1D such as PT30S; got '" + settleText + "'.");
        }
        return new ReaxmlFeed(subscription, directory, zone, settle, context.clock());
    }
}
