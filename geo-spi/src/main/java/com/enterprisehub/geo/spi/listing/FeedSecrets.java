package com.enterprisehub.geo.spi.listing;

import com.enterprisehub.geo.core.market.FeedProtocol;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a listing feed's credentials are in the cloud's {@link SecretStore}: the one naming the feeds read and the
 * platform's readiness step checks. Two places, read in this order:
 * <ol>
 *   <li>the tenant's own, {@code mls/<feed>/<tenant>/<name>} ({@link #tenantPrefix}), when the tenant holds its own
 *       licence of the feed;</li>
 *   <li>else the feed's, {@code mls/<feed>/<name>} ({@link #feedPrefix}): the operator's credentials, read for every
 *       tenant of the feed that has none of its own.</li>
 * </ol>
 * A place is used only when it holds every name the provider reads: a tenant holding some of them but not all is an
 * error (never a silent fall-back to the feed's). Names a provider reads: {@link ListingFeedProvider#secretNames()}
 * ({@value #CLIENT_ID} and {@value #CLIENT_SECRET} for the RESO Web API's OAuth2 client credentials). Stateless.
 */
public final class FeedSecrets {
    /** The OAuth2 client id (RFC 6749 section 2.2), the RESO Web API's credential. */
    public static final String CLIENT_ID = "client-id";
    /** The OAuth2 client secret (RFC 6749 section 2.3.1). */
    public static final String CLIENT_SECRET = "client-secret";
    /** The longest value accepted. */
    private static final int MAX_VALUE = 4_096;

    private FeedSecrets() {
    }

    /**
     * The credentials a reader found, and where.
     *
     * @param prefix the place they were read from ({@code mls/crmls/acme} or {@code mls/crmls})
     * @param values the values by name (secrets: never log them)
     */
    public record Found(String prefix, Map<String, String> values) {
        /** Copies the values. */
        public Found {
            Objects.requireNonNull(prefix, "prefix");
            values = Map.copyOf(values);
        }

        /** The value called {@code name}. */
        public String value(String name) {
            String v = values.get(name);
            if (v == null) {
                throw new IllegalArgumentException("no secret called " + name + " was read");
            }
            return v;
        }

        @Override
        public String toString() {
            return "Found[prefix=" + prefix + ", names=" + values.keySet() + "]";
        }
    }

    /** The feed's place, shared by its tenants without their own: {@code mls/<feedId>}. */
    public static String feedPrefix(String feedId) {
        return "mls/" + Objects.requireNonNull(feedId, "feedId");
    }

    /** A tenant's own place: {@code mls/<feedId>/<tenant>}. */
    public static String tenantPrefix(String feedId, TenantId tenant) {
        return feedPrefix(feedId) + "/" + Objects.requireNonNull(tenant, "tenant").value();
    }

    /** The secret names a feed of {@code protocol} reads: the client id and secret for the RESO Web API, else none. */
    public static List<String> standardNames(FeedProtocol protocol) {
        return Objects.requireNonNull(protocol, "protocol") == FeedProtocol.RESO_WEB_API
                ? List.of(CLIENT_ID, CLIENT_SECRET) : List.of();
    }

    /**
     * What is wrong with a credential's value, judged without the network: empty, blank, spaces or line breaks at
     * either end (a copied value's usual fault), control characters, or longer than 4,096 characters. The answer
     * names the secret and never shows its value.
     */
    public static Optional<String> problem(String name, String value) {
        Objects.requireNonNull(name, "name");
        if (value == null || value.isEmpty()) {
            return Optional.of("secret '" + name + "' is empty");
        }
        if (value.isBlank()) {
            return Optional.of("secret '" + name + "' is blank");
        }
        if (!value.strip().equals(value)) {
            return Optional.of("secret '" + name + "' has spaces or line breaks at its start or end; store it without");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            return Optional.of("secret '" + name + "' has control characters");
        }
        if (value.length() > MAX_VALUE) {
            return Optional.of("secret '" + name + "' is longer than " + MAX_VALUE + " characters");
        }
        return Optional.empty();
    }

    /**
     * The problems of one place: each name missing there, and each value with a {@link #problem}; empty when the
     * place holds every name, each valid. Reads the store, never shows a value.
     */
    public static List<String> check(SecretStore store, String prefix, List<String> names) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(prefix, "prefix");
        List<String> problems = new ArrayList<>();
        for (String name : names) {
            String full = prefix + "/" + name;
            Optional<String> value = store.get(full);
            if (value.isEmpty()) {
                problems.add("secret '" + full + "' is missing");
            } else {
                problem(full, value.get()).ifPresent(problems::add);
            }
        }
        return problems;
    }

    private static String full(String prefix, List<String> names) {
        return String.join(" and ", names.stream().map(n -> "'" + prefix + "/" + n + "'").toList());
    }

    /**
     * Reads the credentials of {@code subscription}: the tenant's own if it holds any of {@code names}, else the
     * feed's. Nothing is read when {@code names} is empty.
     *
     * @throws ListingFeedException if the place used lacks a name or holds an invalid value, or neither place holds
     *     any (the message names the secrets to store, never a value)
     */
    public static Found read(SecretStore store, FeedSubscription subscription, List<String> names) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(subscription, "subscription");
        String own = tenantPrefix(subscription.feedId(), subscription.tenant());
        if (names.isEmpty()) {
            return new Found(own, Map.of());
        }
        String shared = feedPrefix(subscription.feedId());
        boolean tenantHasAny = names.stream().anyMatch(n -> store.get(own + "/" + n).isPresent());
        String prefix = tenantHasAny ? own : shared;
        if (!tenantHasAny && names.stream().noneMatch(n -> store.get(shared + "/" + n).isPresent())) {
            throw new ListingFeedException("No credentials for feed '" + subscription.feedId() + "' of tenant '"
                    + subscription.tenant() + "': store " + full(own, names) + " (the tenant's own) or "
                    + full(shared, names) + " (the feed's, for its tenants without their own) with SecretStore.put.");
        }
        List<String> problems = check(store, prefix, names);
        if (!problems.isEmpty()) {
            throw new ListingFeedException("The credentials of feed '" + subscription.feedId() + "' for tenant '"
                    + subscription.tenant() + "' under '" + prefix + "/' cannot be used: " + String.join("; ", problems)
                    + (tenantHasAny ? " (the tenant holds some of its own, so the feed's are not read)" : "") + ".");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : names) {
            values.put(name, store.get(prefix + "/" + name).orElseThrow(() -> new ListingFeedException("The secret '"
                    + prefix + "/" + name + "' was removed while the feed of tenant '" + subscription.tenant()
                    + "' was opened; open it again.")));
        }
        return new Found(prefix, values);
    }
}
