package com.enterprisehub.geo.core.tenant;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.TenantResolutionException;
import com.enterprisehub.geo.core.TenantSuspendedException;
import com.enterprisehub.geo.core.TenantUnavailableException;
import com.enterprisehub.geo.core.UnknownTenantException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Finds the tenant an inbound request is for, from one or more sources: a header, the subdomain, a path
 * prefix, or a claim of a token the host has verified.
 *
 * <p>Every configured source is read. When several name a tenant they must agree — a header that
 * disagrees with a verified claim is refused, not arbitrated. The tenant must then exist and be
 * active:
 * <ul>
 *   <li>no source names a tenant, a source names several, or sources disagree:
 *       {@link TenantResolutionException};</li>
 *   <li>the named tenant does not exist, is deleted, or the value is not even a valid id:
 *       {@link UnknownTenantException};</li>
 *   <li>it is suspended: {@link TenantSuspendedException}; provisioning or offboarding:
 *       {@link TenantUnavailableException}.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class TenantResolver {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

    private final TenantLookup catalog;
    private final List<Source> sources;

    private TenantResolver(TenantLookup catalog, List<Source> sources) {
        this.catalog = catalog;
        this.sources = List.copyOf(sources);
    }

    /** A builder resolving against {@code catalog}; add at least one source. */
    public static Builder builder(TenantLookup catalog) {
        return new Builder(Objects.requireNonNull(catalog, "catalog"));
    }

    /**
     * The active tenant the request is for. See {@link TenantResolver} for the errors.
     */
    public Tenant resolve(InboundRequest request) {
        Objects.requireNonNull(request, "request");
        Map<String, String> named = new LinkedHashMap<>();
        for (Source source : sources) {
            List<String> values = source.extract(request);
            if (values.size() > 1) {
                throw new TenantResolutionException("The request names " + values.size() + " tenants in "
                        + source.describe() + "; send exactly one.");
            }
            if (!values.isEmpty()) {
                named.put(source.describe(), values.get(0));
            }
        }
        if (named.isEmpty()) {
            throw new TenantResolutionException("The request names no tenant; looked at "
                    + sources.stream().map(Source::describe).collect(Collectors.joining(", ")) + ".");
        }
        if (named.values().stream().distinct().count() > 1) {
            throw new TenantResolutionException("The request names different tenants: " + named.entrySet().stream()
                    .map(e -> e.getKey() + " says '" + printable(e.getValue()) + "'")
                    .collect(Collectors.joining(", ")) + ". It was refused.");
        }
        String value = named.values().iterator().next();
        if (!TenantId.isValid(value)) {
            throw new UnknownTenantException(value);
        }
        TenantId id = TenantId.of(value);
        return catalog.find(id).orElseThrow(() -> new UnknownTenantException(id)).requireActive();
    }

    private static String printable(String raw) {
        String cut = raw.length() > 40 ? raw.substring(0, 40) + "..." : raw;
        return cut.replaceAll("[^\\x20-\\x7e]", "?").replace("'", "?");
    }

    private interface Source {
        List<String> extract(InboundRequest request);

        String describe();
    }

    /** Builds a {@link TenantResolver}. Not thread-safe. */
    public static final class Builder {
        private final TenantLookup catalog;
        private final List<Source> sources = new ArrayList<>();

        private Builder(TenantLookup catalog) {
            this.catalog = catalog;
        }

        /** Reads the tenant id from a header ({@code X-Tenant-Id}). */
        public Builder header(String name) {
            if (name == null || name.isBlank()) {
                throw new GeoValidationException("A tenant header needs a name, such as 'X-Tenant-Id'.");
            }
            sources.add(new Source() {
                @Override
                public List<String> extract(InboundRequest request) {
                    return request.header(name).stream().map(String::strip).filter(v -> !v.isEmpty()).toList();
                }

                @Override
                public String describe() {
                    return "header " + name;
                }
            });
            return this;
        }

        /**
         * Reads the tenant id from the first label of the host, below {@code baseDomain}: with base
         * {@code geo.example.com}, {@code acme.geo.example.com} is tenant {@code acme}. Hosts that are not
         * exactly one label below the base name no tenant.
         */
        public Builder subdomainOf(String baseDomain) {
            String base = normalizeHost(Objects.requireNonNull(baseDomain, "baseDomain"));
            if (base.isEmpty() || base.startsWith(".")) {
                throw new GeoValidationException("The base domain for tenant subdomains must be a host name such as"
                        + " 'geo.example.com'; got '" + baseDomain + "'.");
            }
            String suffix = "." + base;
            sources.add(new Source() {
                @Override
                public List<String> extract(InboundRequest request) {
                    String host = normalizeHost(request.host());
                    if (!host.endsWith(suffix)) {
                        return List.of();
                    }
                    String label = host.substring(0, host.length() - suffix.length());
                    return LABEL.matcher(label).matches() ? List.of(label) : List.of();
                }

                @Override
                public String describe() {
                    return "subdomain of " + base;
                }
            });
            return this;
        }

        /**
         * Reads the tenant id from the path segment after {@code prefix}: with prefix {@code /t/},
         * {@code /t/acme/listings} is tenant {@code acme}.
         *
         * <p>A path with a dot-segment ({@code .} or {@code ..}, also percent-encoded as {@code %2e}, or with
         * path parameters as in {@code ..;}) or an encoded separator ({@code %2f}, {@code %5c}, {@code \})
         * anywhere is refused with {@link TenantResolutionException}: {@code /t/acme/../victim} names acme here,
         * but a server that normalises it (RFC 3986, section 5.2.4) serves {@code /t/victim}. Hand the resolver
         * the path your server routes on, normalised.
         */
        public Builder pathPrefix(String prefix) {
            if (prefix == null || !prefix.startsWith("/") || !prefix.endsWith("/")) {
                throw new GeoValidationException("A tenant path prefix starts and ends with '/', such as '/t/'; got '"
                        + prefix + "'.");
            }
            sources.add(new Source() {
                @Override
                public List<String> extract(InboundRequest request) {
                    String path = request.path();
                    if (hasDotSegmentOrEncodedSeparator(path)) {
                        throw new TenantResolutionException("The request path '" + printable(path) + "' contains a"
                                + " dot-segment ('.' or '..', possibly percent-encoded as %2e) or an encoded separator"
                                + " (%2f, %5c, '\\'), so it may name one tenant and reach another's resources: pass"
                                + " the path normalised as RFC 3986 section 5.2.4 says. It was refused.");
                    }
                    List<String> raw = segmentAfter(prefix, path);
                    if (path.indexOf('%') >= 0 || path.indexOf(';') >= 0 || path.contains("//")) {
                        // A server that decodes %XX, drops ;parameters or merges // may route /%74/victim,
                        // /t;x/victim or //t/victim to /t/victim: the raw and the normalised path must agree.
                        if (!raw.equals(segmentAfter(prefix, normalised(path)))) {
                            throw new TenantResolutionException("The request path '" + printable(path) + "' names"
                                    + " a tenant differently once percent-decoded, without ;parameters and with //"
                                    + " merged, as a server may route it: pass the path your server routes on,"
                                    + " normalised. It was refused.");
                        }
                    }
                    return raw;
                }

                @Override
                public String describe() {
                    return "path prefix " + prefix;
                }
            });
            return this;
        }

        /** Reads the tenant id from a claim of a token the host has verified ({@code tenant_id}). */
        public Builder claim(String name) {
            if (name == null || name.isBlank()) {
                throw new GeoValidationException("A tenant claim needs a name, such as 'tenant_id'.");
            }
            sources.add(new Source() {
                @Override
                public List<String> extract(InboundRequest request) {
                    Object value = request.verifiedClaims().get(name);
                    if (value == null) {
                        return List.of();
                    }
                    if (value instanceof String text) {
                        return List.of(text);
                    }
                    if (value instanceof List<?> list) {
                        return list.stream().map(String::valueOf).toList();
                    }
                    return List.of(String.valueOf(value));
                }

                @Override
                public String describe() {
                    return "claim " + name;
                }
            });
            return this;
        }

        public TenantResolver build() {
            if (sources.isEmpty()) {
                throw new GeoValidationException("A tenant resolver needs at least one source: header, subdomainOf,"
                        + " pathPrefix or claim.");
            }
            return new TenantResolver(catalog, sources);
        }

        /**
         * Whether a segment of {@code path}, with its path parameters ({@code ;...}) removed and percent-decoded
         * (up to three times, for servers that decode twice), is {@code .} or {@code ..} or holds a separator.
         */
        static boolean hasDotSegmentOrEncodedSeparator(String path) {
            if (path.indexOf('\\') >= 0) {
                return true;
            }
            for (String segment : path.split("/", -1)) {
                String s = withoutParameters(segment);
                for (int round = 0; round < 3 && s.indexOf('%') >= 0; round++) {
                    s = withoutParameters(percentDecoded(s));
                }
                if (s.equals(".") || s.equals("..") || s.indexOf('/') >= 0 || s.indexOf('\\') >= 0) {
                    return true;
                }
            }
            return false;
        }

        /** The tenant segment after {@code prefix}, if {@code path} starts with it. */
        private static List<String> segmentAfter(String prefix, String path) {
            if (!path.startsWith(prefix)) {
                return List.of();
            }
            int end = path.indexOf('/', prefix.length());
            String segment = end < 0 ? path.substring(prefix.length()) : path.substring(prefix.length(), end);
            return segment.isEmpty() ? List.of() : List.of(segment);
        }

        /** {@code path} with each segment decoded (up to three times) and without parameters, and {@code //} merged. */
        private static String normalised(String path) {
            StringBuilder b = new StringBuilder(path.length());
            for (String segment : path.split("/", -1)) {
                String s = withoutParameters(segment);
                for (int round = 0; round < 3 && s.indexOf('%') >= 0; round++) {
                    s = withoutParameters(percentDecoded(s));
                }
                if (!s.isEmpty() || b.length() == 0) {
                    b.append(b.length() == 0 && s.isEmpty() ? "" : "/").append(s);
                }
            }
            String n = b.length() == 0 || b.charAt(0) != '/' ? "/" + b : b.toString();
            return path.endsWith("/") && !n.endsWith("/") ? n + "/" : n;
        }

        private static String withoutParameters(String segment) {
            int semicolon = segment.indexOf(';');
            return semicolon < 0 ? segment : segment.substring(0, semicolon);
        }

        /** {@code %XX} escapes replaced by the byte they name (as a char); malformed escapes kept. */
        private static String percentDecoded(String s) {
            StringBuilder b = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '%' && i + 2 < s.length()
                        && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
                    b.append((char) (Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16)));
                    i += 2;
                } else {
                    b.append(c);
                }
            }
            return b.toString();
        }

        private static String normalizeHost(String host) {
            String h = host.strip().toLowerCase(Locale.ROOT);
            if (h.startsWith("[")) {
                return h; // an IPv6 literal has no subdomain
            }
            int colon = h.indexOf(':');
            if (colon >= 0) {
                h = h.substring(0, colon);
            }
            return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
        }
    }
}
