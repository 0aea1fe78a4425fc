package com.enterprisehub.geo.core.tenant;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link TenantResolver} needs of an inbound request, independent of any web framework. Build it
 * from your framework's request in one line per part you use.
 *
 * @param host the host the request was sent to (the {@code Host} header or HTTP/2 authority), with or
 *     without a port; empty if unknown
 * @param path the request path, without query string; empty if unknown
 * @param headers header values by name; names are compared ignoring case
 * @param verifiedClaims claims of a token <em>the host has already verified</em> (signature, expiry,
 *     audience). The SDK does not parse or verify tokens; never pass unverified claims here.
 */
public record InboundRequest(String host, String path, Map<String, List<String>> headers,
        Map<String, Object> verifiedClaims) {

    public InboundRequest {
        host = host == null ? "" : host;
        path = path == null ? "" : path;
        Map<String, List<String>> lower = new LinkedHashMap<>();
        Objects.requireNonNull(headers, "headers").forEach((name, values) -> lower
                .computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(values));
        lower.replaceAll((k, v) -> List.copyOf(v));
        headers = Collections.unmodifiableMap(lower);
        verifiedClaims = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(verifiedClaims,
                "verifiedClaims")));
    }

    /** The values of a header, compared ignoring case; empty if absent. */
    public List<String> header(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** A builder for a request. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link InboundRequest}. Not thread-safe. */
    public static final class Builder {
        private String host = "";
        private String path = "";
        private final Map<String, List<String>> headers = new LinkedHashMap<>();
        private final Map<String, Object> claims = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder path(String path) {
            this.path = path;
            return this;
        }

        /** Adds a value of a header (call twice for a header sent twice). */
        public Builder header(String name, String value) {
            headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Adds claims of a token the host has verified. */
        public Builder verifiedClaims(Map<String, ?> verified) {
            claims.putAll(verified);
            return this;
        }

        public InboundRequest build() {
            return new InboundRequest(host, path, headers, claims);
        }
    }
}
