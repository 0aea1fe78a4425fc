package com.enterprisehub.geo.mls.internal;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.spi.listing.FeedBatch;
import com.enterprisehub.geo.spi.listing.FeedCheckpoint;
import com.enterprisehub.geo.spi.listing.FeedSubscription;
import com.enterprisehub.geo.spi.listing.Listing;
import com.enterprisehub.geo.spi.listing.ListingFeed;
import com.enterprisehub.geo.spi.listing.ListingFeedException;
import com.enterprisehub.geo.spi.listing.ListingRecord;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A RESO Web API (OData v4) Property feed: replication by {@code ModificationTimestamp}, the practice RESO's
 * EntityEvent proposal describes as the current state of the art
 * (<a href="https://github.com/RESOStandards/transport/blob/main/proposals/entity-events.md">RCP-027</a>), with
 * {@code ListingKey} as our tie-breaker for listings that share a timestamp:
 * {@code $filter=ModificationTimestamp gt T or (ModificationTimestamp eq T and ListingKey gt 'K')},
 * {@code $orderby=ModificationTimestamp asc,ListingKey asc}, {@code $top} and {@code $select}. Within a pull every
 * page is a fresh keyset query from the last record received; the server's {@code @odata.nextLink} only says that
 * more records exist (a next link that pages by offset skips a record whenever an earlier one changes meanwhile). A
 * record not strictly after the previous one in that order fails the pull, and the checkpoint does not move. The checkpoint is the last record's timestamp and key, as the server
 * wrote them: this machine's clock never enters a filter, so a skewed clock cannot open a gap. It carries a digest of
 * the service URL and resource, and a checkpoint of another source is refused.
 *
 * <p>OAuth2 client credentials (RFC 6749 section 4.4, client authentication with HTTP Basic, section 2.3.1); the
 * token is renewed at 90% of its {@code expires_in} measured on the monotonic clock, and once more whenever the
 * server answers 401 (a token revoked or expired early). HTTP 429 and 503 are retried after {@code Retry-After}
 * (capped), other failures with back-off, up to a number of attempts. Not thread-safe (one replicator pulls).
 */
public final class ResoWebApiFeed implements ListingFeed, TimestampedKeys {
    private static final Logger LOG = LoggerFactory.getLogger(ResoWebApiFeed.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Checkpoints before the source's identity was part of them: still read. */
    private static final String PREFIX_V1 = "reso1:";
    /** {@code reso2:<16 hex digits of SHA-256(service URL, resource)>:<timestamp>|<key>}: within a sweep. */
    private static final String PREFIX = "reso2:";
    /**
     * {@code reso3:} and the rest as {@code reso2:}: the feed was caught up there, so the next pull first reads the
     * overlap window behind it again (records a server committed late with older timestamps).
     */
    private static final String PREFIX_CAUGHT_UP = "reso3:";

    /**
     * What the feed needs.
     *
     * @param serviceUrl the OData service root
     * @param tokenUrl the OAuth2 token endpoint
     * @param resource the entity set ("Property")
     * @param scope the OAuth2 scope, if the server wants one
     * @param secretPrefix where the credentials were read ({@code FeedSecrets}), named in messages
     * @param clientId the client id (a secret's value: never logged)
     * @param clientSecret the client secret (never logged)
     * @param maxRetries attempts after the first for one request
     * @param maxRetryWait the longest wait honoured from a Retry-After
     * @param requestTimeout per request
     * @param minRequestInterval the least time between two requests (the feed's rate limit), zero for none
     * @param clock this machine's clock, read only when a Retry-After date comes without the server's Date
     * @param expandMedia whether to ask for each listing's Media with {@code $expand}
     * @param maxResponseBytes the largest answer body read
     * @param maxPullTime the longest one pull may take, retries and waits included
     * @param overlap how far behind a caught-up checkpoint the next pull starts again, zero for not at all
     */
    public record Settings(URI serviceUrl, URI tokenUrl, String resource, Optional<String> scope, String secretPrefix,
            String clientId, String clientSecret, int maxRetries, Duration maxRetryWait, Duration requestTimeout,
            Duration minRequestInterval, java.time.Clock clock, boolean expandMedia, int maxResponseBytes,
            Duration maxPullTime, Duration overlap) {
        @Override
        public String toString() {
            return "Settings[serviceUrl=" + SafeUrls.shown(serviceUrl) + ", tokenUrl=" + SafeUrls.shown(tokenUrl)
                    + ", resource=" + resource + "]";
        }
    }

    private final FeedSubscription subscription;
    private final Settings settings;
    private final HttpClient http;
    /** The source's identity in checkpoints: 16 hex digits of SHA-256 of the service URL and the resource. */
    private final String source;
    private String token;
    private long tokenRenewAtNanos;
    private long lastRequestNanos;
    private boolean anyRequest;
    private long pullDeadlineNanos;
    private boolean pulling;

    /** A feed; sends nothing until pulled. */
    public ResoWebApiFeed(FeedSubscription subscription, Settings settings) {
        this.subscription = Objects.requireNonNull(subscription, "subscription");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.http = HttpClient.newBuilder().connectTimeout(settings.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.source = com.enterprisehub.geo.spi.crypto.Digests.sha256Hex((settings.serviceUrl() + "\n"
                + settings.resource()).getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    @Override
    public FeedSubscription subscription() {
        return subscription;
    }

    @Override
    public FeedBatch pull(FeedCheckpoint after, int maxRecords) {
        if (maxRecords < 1 || maxRecords > 10_000) {
            throw new GeoValidationException("A pull asks for 1 to 10,000 records; got " + maxRecords + ".");
        }
        pulling = true;
        try {
            return pullWithinDeadline(after, maxRecords);
        } finally {
            pulling = false;
        }
    }

    private FeedBatch pullWithinDeadline(FeedCheckpoint after, int maxRecords) {
        Resume resume = parse(after);
        Optional<ResoJson.Position> last = resume.position();
        // Caught up last time: read the overlap window behind the checkpoint again, for records committed after the
        // pull passed their timestamp. What comes again is written again with no effect (upserts by key and timestamp).
        Optional<Instant> windowStart = resume.caughtUp() && !settings.overlap().isZero()
                ? last.map(p -> p.modified().minus(settings.overlap())) : Optional.empty();
        if (windowStart.isPresent()) {
            last = Optional.empty();
        }
        pullDeadlineNanos = System.nanoTime() + settings.maxPullTime().toNanos();
        List<ListingRecord> records = new ArrayList<>();
        FeedCheckpoint checkpoint = after;
        boolean caughtUp = false;
        int skipUnplaced = 0;
        // Every page is a fresh keyset query from the last record delivered, never the server's next link: a next link
        // that pages by offset skips a record whenever an earlier one changes (and moves to the end) meanwhile.
        while (records.size() < maxRecords) {
            int want = maxRecords - records.size();
            JsonNode page = get(last.isEmpty() && windowStart.isPresent() ? window(windowStart.get(), want)
                    : query(last, want));
            JsonNode values = page.get("value");
            if (values == null || !values.isArray()) {
                throw new ListingFeedException("Feed '" + feedId() + "' answered without a 'value' array; is '"
                        + SafeUrls.shown(settings.serviceUrl()) + "' a RESO Web API service root?");
            }
            JsonNode link = page.get("@odata.nextLink");
            boolean serverHasMore = link != null && link.isTextual();
            int taken = 0;
            int unplaced = 0;
            for (JsonNode node : values) {
                if (records.size() == maxRecords) {
                    break;
                }
                Optional<ResoJson.Position> at = ResoJson.position(node);
                if (at.isEmpty()) {
                    // No valid key or timestamp: quarantined, and it cannot be a keyset bound. Such a record after the
                    // last placed one comes again at the start of the next page: deliver it once per pull.
                    if (skipUnplaced > 0) {
                        skipUnplaced--;
                        continue;
                    }
                    records.add(ResoJson.read(node, subscription.currency()));
                    unplaced++;
                    taken++;
                    continue;
                }
                skipUnplaced = 0;
                unplaced = 0;
                if (last.isPresent() && !after(at.get(), last.get())) {
                    throw new ListingFeedException("Feed '" + feedId() + "' sent listing '" + at.get().key() + "' ("
                            + at.get().modified() + ") out of order, not after '" + last.get().key() + "' ("
                            + last.get().modified() + "); the pull was refused and the checkpoint stays where it was."
                            + " The server must order by ModificationTimestamp asc, ListingKey asc; tell its operator.");
                }
                records.add(ResoJson.read(node, subscription.currency()));
                last = at;
                taken++;
            }
            skipUnplaced = unplaced;
            if (last.isPresent()) {
                checkpoint = new FeedCheckpoint(PREFIX + source + ":" + last.get().modified() + "|" + last.get().key());
                windowStart = Optional.empty();
            }
            if (taken == 0) {
                if (serverHasMore) {
                    throw new ListingFeedException("Feed '" + feedId() + "' answered an empty page with a next link;"
                            + " the pull makes no progress. Tell the server's operator.");
                }
                caughtUp = true;
                break;
            }
            if (!serverHasMore && values.size() < want) {
                caughtUp = records.size() < maxRecords;
                break;
            }
        }
        if (records.size() == maxRecords && checkpoint.equals(after)) {
            throw new ListingFeedException("Feed '" + feedId() + "' delivered a full batch of " + maxRecords
                    + " records none of which has a valid ListingKey and ModificationTimestamp; the checkpoint cannot"
                    + " move, so the pull was refused. Ask for more records per pull, or tell the server's operator.");
        }
        if (caughtUp && last.isPresent()) {
            checkpoint = new FeedCheckpoint(PREFIX_CAUGHT_UP + source + ":" + last.get().modified() + "|"
                    + last.get().key());
        } else if (caughtUp && resume.position().isPresent() && !resume.caughtUp()) {
            // nothing new after a checkpoint written mid-sweep (or by an earlier version): the same place, caught up
            ResoJson.Position at = resume.position().get();
            checkpoint = new FeedCheckpoint(PREFIX_CAUGHT_UP + source + ":" + at.modified() + "|" + at.key());
        }
        return new FeedBatch(records, checkpoint, caughtUp);
    }

    /** Where a pull starts: after this position (none: the start), and whether the feed was caught up there. */
    private record Resume(Optional<ResoJson.Position> position, boolean caughtUp) {
    }

    /**
     * Every {@code ListingKey} of the resource: {@code $select=ListingKey}, ordered by {@code ListingKey} and paged by
     * keyset on it ({@code ListingKey gt 'K'}) in the server's own order, which need not be Java's. Records without a
     * valid key are skipped (no local row can have one). No {@code max-pull-time} applies: a large feed's keys take
     * many pages; each request has its timeout and retries.
     */
    @Override
    public boolean sourceKeys(int pageSize, Consumer<? super List<String>> sink) {
        Objects.requireNonNull(sink, "sink");
        return keyPages(pageSize, false, (keys, stamps) -> sink.accept(keys));
    }

    /**
     * As {@link #sourceKeys}, with {@code $select=ListingKey,ModificationTimestamp}: each key with its timestamp (empty
     * when the source gave none or one that is not an ISO-8601 date-time with offset).
     */
    @Override
    public boolean sourceKeysWithTimestamps(int pageSize, BiConsumer<List<String>, List<Optional<Instant>>> sink) {
        Objects.requireNonNull(sink, "sink");
        return keyPages(pageSize, true, sink);
    }

    @Override
    public Duration overlap() {
        return settings.overlap();
    }

    private boolean keyPages(int pageSize, boolean withStamps, BiConsumer<List<String>, List<Optional<Instant>>> sink) {
        if (pageSize < 1 || pageSize > 10_000) {
            throw new GeoValidationException("A page of keys is 1 to 10,000 keys; got " + pageSize + ".");
        }
        String select = withStamps ? "ListingKey,ModificationTimestamp" : "ListingKey";
        Optional<String> after = Optional.empty();
        while (true) {
            String q = after.map(k -> "$filter=" + encode("ListingKey gt '" + k.replace("'", "''") + "'") + "&")
                    .orElse("") + "$orderby=" + encode("ListingKey asc") + "&$top=" + pageSize + "&$select="
                    + encode(select);
            JsonNode page = get(resourceQuery(q));
            JsonNode values = page.get("value");
            if (values == null || !values.isArray()) {
                throw new ListingFeedException("Feed '" + feedId() + "' answered a key listing without a 'value' array;"
                        + " is '" + SafeUrls.shown(settings.serviceUrl()) + "' a RESO Web API service root?");
            }
            if (values.isEmpty()) {
                return true;
            }
            List<String> keys = new ArrayList<>(values.size());
            List<Optional<Instant>> stamps = new ArrayList<>(withStamps ? values.size() : 0);
            String lastRaw = null;
            for (JsonNode node : values) {
                JsonNode key = node.get("ListingKey");
                if (key == null || !key.isTextual()) {
                    continue;
                }
                lastRaw = key.asText();
                try {
                    keys.add(Listing.checkKey(lastRaw));
                } catch (GeoValidationException e) {
                    continue; // not a key a listing could be stored under
                }
                if (withStamps) {
                    stamps.add(stamp(node.get("ModificationTimestamp")));
                }
            }
            if (lastRaw == null || after.isPresent() && after.get().equals(lastRaw)) {
                throw new ListingFeedException("Feed '" + feedId() + "' answered a page of keys that does not move past"
                        + " '" + after.orElse("") + "'; the key listing makes no progress and was stopped. Tell the"
                        + " server's operator.");
            }
            sink.accept(List.copyOf(keys), List.copyOf(stamps));
            JsonNode link = page.get("@odata.nextLink");
            if (values.size() < pageSize && (link == null || !link.isTextual())) {
                return true;
            }
            after = Optional.of(lastRaw);
        }
    }

    private static Optional<Instant> stamp(JsonNode value) {
        if (value == null || !value.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(java.time.OffsetDateTime.parse(value.asText()).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code a} comes strictly after {@code b} in (ModificationTimestamp, ListingKey) order. */
    private static boolean after(ResoJson.Position a, ResoJson.Position b) {
        int c = a.modified().compareTo(b.modified());
        return c > 0 || c == 0 && a.key().compareTo(b.key()) > 0;
    }

    private Resume parse(FeedCheckpoint checkpoint) {
        if (checkpoint.isStart()) {
            return new Resume(Optional.empty(), false);
        }
        String v = checkpoint.value();
        String rest;
        boolean caughtUp = v.startsWith(PREFIX_CAUGHT_UP);
        if (caughtUp) {
            v = PREFIX + v.substring(PREFIX_CAUGHT_UP.length());
        }
        if (v.startsWith(PREFIX) && v.length() > PREFIX.length() + 17 && v.charAt(PREFIX.length() + 16) == ':') {
            if (!v.substring(PREFIX.length(), PREFIX.length() + 16).equals(source)) {
                throw new GeoValidationException("Checkpoint '" + checkpoint.value() + "' was written for another source (service URL"
                        + " or resource) than " + SafeUrls.shown(settings.serviceUrl()) + " " + settings.resource()
                        + "; resuming from"
                        + " it here could skip listings. Start from FeedCheckpoint.START for this source.");
            }
            rest = v.substring(PREFIX.length() + 17);
        } else if (v.startsWith(PREFIX_V1)) {
            rest = v.substring(PREFIX_V1.length());
        } else {
            rest = null;
        }
        int bar = rest == null ? -1 : rest.indexOf('|');
        if (bar < 0) {
            throw new GeoValidationException("Checkpoint '" + v + "' was not written by a RESO Web API feed; start"
                    + " from FeedCheckpoint.START or from a checkpoint this feed wrote.");
        }
        try {
            return new Resume(Optional.of(new ResoJson.Position(Instant.parse(rest.substring(0, bar)),
                    Listing.checkKey(rest.substring(bar + 1)))), caughtUp);
        } catch (DateTimeParseException e) {
            throw new GeoValidationException("Checkpoint '" + v + "' has no valid timestamp; start from"
                    + " FeedCheckpoint.START or from a checkpoint this feed wrote.");
        }
    }

    private URI query(Optional<ResoJson.Position> from, int top) {
        StringBuilder q = new StringBuilder();
        if (from.isPresent()) {
            String t = from.get().modified().toString();
            String k = from.get().key().replace("'", "''");
            q.append("$filter=").append(encode("ModificationTimestamp gt " + t + " or (ModificationTimestamp eq " + t
                    + " and ListingKey gt '" + k + "')")).append('&');
        }
        q.append("$orderby=").append(encode("ModificationTimestamp asc,ListingKey asc"));
        q.append("&$top=").append(top);
        q.append("&$select=").append(encode(String.join(",", ResoJson.SELECT)));
        if (settings.expandMedia()) {
            q.append("&$expand=").append(encode("Media($select=MediaKey,MediaURL,Order)"));
        }
        return resourceQuery(q.toString());
    }

    /** The first page of an overlap window: every record from {@code start} on, in replication order. */
    private URI window(Instant start, int top) {
        return resourceQuery("$filter=" + encode("ModificationTimestamp ge " + start) + "&$orderby="
                + encode("ModificationTimestamp asc,ListingKey asc") + "&$top=" + top + "&$select="
                + encode(String.join(",", ResoJson.SELECT))
                + (settings.expandMedia() ? "&$expand=" + encode("Media($select=MediaKey,MediaURL,Order)") : ""));
    }

    private URI resourceQuery(String query) {
        String base = settings.serviceUrl().toString();
        return URI.create((base.endsWith("/") ? base : base + "/") + settings.resource() + "?" + query);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode get(URI uri) {
        boolean renewed = false;
        for (int attempt = 0;; attempt++) {
            String bearer = token(false);
            HttpResponse<String> response;
            try {
                response = send(HttpRequest.newBuilder(uri).timeout(settings.requestTimeout())
                        .header("Accept", "application/json")
                        .header("Authorization", "Bearer " + bearer).GET().build());
            } catch (IOException e) {
                if (attempt >= settings.maxRetries()) {
                    throw new ListingFeedException("Feed '" + feedId() + "' could not be reached at "
                            + SafeUrls.shown(settings.serviceUrl()) + " after " + (attempt + 1) + " attempts (" + e
                            + ").", e);
                }
                pause(HttpRetries.backoff(attempt));
                continue;
            }
            int status = response.statusCode();
            if (status == 200) {
                try {
                    return JSON.readTree(response.body());
                } catch (JsonProcessingException e) {
                    throw new ListingFeedException("Feed '" + feedId() + "' answered with malformed JSON ("
                            + e.getOriginalMessage() + ").", e);
                }
            }
            if (status == 401 && !renewed) {
                LOG.debug("Feed '{}': token refused (401), renewing it", feedId());
                token(true);
                renewed = true;
                attempt--;
                continue;
            }
            if (status == 401 || status == 403) {
                throw new ListingFeedException("Feed '" + feedId() + "' refused the credentials of tenant '"
                        + subscription.tenant() + "' (HTTP " + status + ") even with a new token. Check the secrets under '"
                        + settings.secretPrefix() + "/' and the client's access to " + settings.resource() + ".");
            }
            boolean retryable = status == 429 || status == 503 || status >= 500;
            if (!retryable || attempt >= settings.maxRetries()) {
                throw new ListingFeedException("Feed '" + feedId() + "' answered HTTP " + status
                        + (retryable ? " after " + (attempt + 1) + " attempts" : "") + " for " + settings.resource()
                        + ": " + excerpt(response.body()) + ".");
            }
            Duration wait = HttpRetries.retryAfter(response, settings.clock()).orElse(HttpRetries.backoff(attempt));
            if (wait.compareTo(settings.maxRetryWait()) > 0) {
                wait = settings.maxRetryWait();
            }
            LOG.debug("Feed '{}': HTTP {}, retrying in {}", feedId(), status, wait);
            pause(wait);
        }
    }

    private String token(boolean renew) {
        if (!renew && token != null && System.nanoTime() - tokenRenewAtNanos < 0) {
            return token;
        }
        token = null;
        String form = "grant_type=client_credentials" + settings.scope().map(s -> "&scope=" + encode(s)).orElse("");
        String basic = Base64.getEncoder().encodeToString((encode(settings.clientId()) + ":"
                + encode(settings.clientSecret())).getBytes(StandardCharsets.UTF_8));
        for (int attempt = 0;; attempt++) {
            HttpResponse<String> response;
            try {
                response = send(HttpRequest.newBuilder(settings.tokenUrl()).timeout(settings.requestTimeout())
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Accept", "application/json").header("Authorization", "Basic " + basic)
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build());
            } catch (IOException e) {
                if (attempt >= settings.maxRetries()) {
                    throw new ListingFeedException("Feed '" + feedId() + "' could not reach its token endpoint "
                            + SafeUrls.shown(settings.tokenUrl()) + " (" + e + ").", e);
                }
                pause(HttpRetries.backoff(attempt));
                continue;
            }
            int status = response.statusCode();
            if (status == 200) {
                try {
                    JsonNode body = JSON.readTree(response.body());
                    JsonNode access = body.get("access_token");
                    if (access == null || !access.isTextual() || access.asText().isEmpty()) {
                        throw new ListingFeedException("Feed '" + feedId() + "': the token endpoint answered"
                                + " without an access_token.");
                    }
                    long expiresIn = body.path("expires_in").asLong(3600);
                    long lifetimeNanos = Duration.ofSeconds(Math.max(1, expiresIn)).toNanos();
                    tokenRenewAtNanos = System.nanoTime() + lifetimeNanos / 10 * 9;
                    token = access.asText();
                    return token;
                } catch (JsonProcessingException e) {
                    throw new ListingFeedException("Feed '" + feedId() + "': the token endpoint answered malformed"
                            + " JSON.", e);
                }
            }
            if (status == 400 || status == 401 || status == 403) {
                throw new ListingFeedException("Feed '" + feedId() + "' refused the client credentials of tenant '"
                        + subscription.tenant() + "' (HTTP " + status + " from " + SafeUrls.shown(settings.tokenUrl())
                        + "). Check the secrets '" + settings.secretPrefix() + "/client-id' and '"
                        + settings.secretPrefix() + "/client-secret'.");
            }
            if (attempt >= settings.maxRetries()) {
                throw new ListingFeedException("Feed '" + feedId() + "': the token endpoint answered HTTP " + status
                        + " after " + (attempt + 1) + " attempts.");
            }
            Duration wait = HttpRetries.retryAfter(response, settings.clock()).orElse(HttpRetries.backoff(attempt));
            pause(wait.compareTo(settings.maxRetryWait()) > 0 ? settings.maxRetryWait() : wait);
        }
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException {
        if (anyRequest && !settings.minRequestInterval().isZero()) {
            long due = lastRequestNanos + settings.minRequestInterval().toNanos() - System.nanoTime();
            if (due > 0) {
                pause(Duration.ofNanos(due));
            }
        }
        checkPullDeadline();
        anyRequest = true;
        lastRequestNanos = System.nanoTime();
        // HttpRequest.timeout covers the wait for the headers only: the whole answer, body included, must come within
        // the request timeout, and no larger than max-response-size.
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(request, capped(settings.maxResponseBytes()));
        try {
            return answer.get(settings.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new HttpTimeoutException("no whole answer within " + settings.requestTimeout());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TooLarge) {
                throw new ListingFeedException("Feed '" + feedId() + "' answered with a body larger than "
                        + settings.maxResponseBytes() + " bytes; it was not read. Ask for fewer records per pull or"
                        + " raise max-response-size.", cause);
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(String.valueOf(cause), cause);
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new ListingFeedException("Feed '" + feedId() + "' was interrupted while waiting for its server.", e);
        }
    }

    private void checkPullDeadline() {
        if (pulling && System.nanoTime() - pullDeadlineNanos > 0) {
            throw new ListingFeedException("Feed '" + feedId() + "': a pull took longer than max-pull-time ("
                    + settings.maxPullTime() + ") and was stopped; the checkpoint did not move. Run again, or raise"
                    + " max-pull-time if the server is that slow.");
        }
    }

    /** A body larger than the cap. */
    private static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(long max) {
            super("answer body larger than " + max + " bytes");
        }
    }

    /** A UTF-8 body read up to {@code max} bytes; beyond, the download is cancelled and the answer fails. */
    private static HttpResponse.BodyHandler<String> capped(int max) {
        return info -> new HttpResponse.BodySubscriber<>() {
            private final CompletableFuture<String> result = new CompletableFuture<>();
            private final ByteArrayOutputStream out = new ByteArrayOutputStream();
            private Flow.Subscription subscription;

            @Override
            public CompletionStage<String> getBody() {
                return result;
            }

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                if (info.headers().firstValueAsLong("Content-Length").orElse(0) > max) {
                    s.cancel();
                    result.completeExceptionally(new TooLarge(max));
                } else {
                    s.request(Long.MAX_VALUE);
                }
            }

            @Override
            public void onNext(List<ByteBuffer> items) {
                if (result.isDone()) {
                    return;
                }
                for (ByteBuffer b : items) {
                    if ((long) out.size() + b.remaining() > max) {
                        subscription.cancel();
                        result.completeExceptionally(new TooLarge(max));
                        return;
                    }
                    byte[] bytes = new byte[b.remaining()];
                    b.get(bytes);
                    out.write(bytes, 0, bytes.length);
                }
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                result.complete(out.toString(StandardCharsets.UTF_8));
            }
        };
    }

    private void pause(Duration wait) {
        if (pulling && System.nanoTime() + wait.toNanos() - pullDeadlineNanos > 0) {
            throw new ListingFeedException("Feed '" + feedId() + "': waiting " + wait + " to retry would pass the"
                    + " pull's max-pull-time (" + settings.maxPullTime() + "); the pull was stopped and the checkpoint"
                    + " did not move. Run again later.");
        }
        try {
            Thread.sleep(wait.toMillis(), (int) (wait.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ListingFeedException("Feed '" + feedId() + "' was interrupted while waiting to retry.", e);
        }
    }

    private static String excerpt(String body) {
        String one = body == null ? "" : body.replaceAll("\\p{Cntrl}", " ").strip();
        return one.isEmpty() ? "(no body)" : one.length() > 300 ? one.substring(0, 300) + "..." : one;
    }

    /**
     * Closes the HTTP client where the JDK allows it: {@link HttpClient} is {@link AutoCloseable} from Java 21 (waits
     * for requests in flight and frees its selector thread); on 17 it has no close, and its thread ends once the
     * client is unreachable.
     */
    @Override
    public void close() {
        if (http instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.debug("Feed '{}': closing the HTTP client failed ({})", feedId(), e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "ResoWebApiFeed[" + feedId() + " for " + subscription.tenant() + ", " + settings + "]";
    }
}
