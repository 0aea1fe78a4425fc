package com.enterprisehub.geo.core.internal;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.MarketCatalogException;
import com.enterprisehub.geo.core.MarketCatalogException.Problem;
import com.enterprisehub.geo.core.market.City;
import com.enterprisehub.geo.core.market.DataResidency;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.FeedProtocol;
import com.enterprisehub.geo.core.market.Jurisdiction;
import com.enterprisehub.geo.core.market.Level;
import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.market.MarketSize;
import com.enterprisehub.geo.core.market.MarketTier;
import com.enterprisehub.geo.core.market.MlsIntegration;
import com.enterprisehub.geo.core.market.RevenueRange;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a market catalog (JSON or YAML) into markets, collecting every problem with its file, market
 * and field before failing. Not part of the API; see {@code MarketCatalog}.
 */
public final class CatalogParser {
    private static final Set<String> TOP_FIELDS = Set.of("schemaVersion", "about", "sources", "markets");
    private static final Set<String> MARKET_FIELDS = Set.of("id", "name", "tier", "region", "currency", "locales",
            "timeZone", "jurisdictions", "cities", "marketSize", "targetCustomers", "regulatoryComplexity",
            "competitionLevel", "revenueRange", "mlsIntegrations", "dataResidency");
    private static final Set<String> CITY_FIELDS = Set.of("name", "jurisdiction", "timeZone");
    private static final Set<String> SIZE_FIELDS = Set.of("annualTransactionVolume", "currency");
    private static final Set<String> REVENUE_FIELDS = Set.of("low", "high", "currency");
    private static final Set<String> MLS_FIELDS = Set.of("id", "name", "protocol", "website");
    private static final Set<String> RESIDENCY_FIELDS = Set.of("restricted", "regions", "basis");

    private final String source;
    private final List<Problem> problems = new ArrayList<>();
    private String market = "";

    public CatalogParser(String source) {
        this.source = source;
    }

    /** The markets of the catalog; throws {@link MarketCatalogException} if anything is wrong. */
    public List<Market> parse(InputStream in, boolean yaml) {
        JsonNode root = read(in, yaml);
        List<Market> markets = new ArrayList<>();
        if (root != null) {
            markets = parseRoot(root);
        }
        if (!problems.isEmpty()) {
            throw new MarketCatalogException(problems);
        }
        return markets;
    }

    private JsonNode read(InputStream in, boolean yaml) {
        ObjectMapper mapper = new ObjectMapper(yaml ? yamlFactory() : new JsonFactory())
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        try {
            JsonNode root = mapper.readTree(in);
            if (root == null || root.isMissingNode()) {
                problem("", "the catalog is empty; it needs an object with a 'markets' list");
                return null;
            }
            return root;
        } catch (JsonProcessingException e) {
            problem("", "not valid " + (yaml ? "YAML" : "JSON") + ": " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"));
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read market catalog " + source + ": " + e.getMessage(), e);
        }
    }

    private JsonFactory yamlFactory() {
        try {
            return (JsonFactory) Class.forName("com.fasterxml.jackson.dataformat.yaml.YAMLFactory")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new GeoException("Loading the YAML market catalog " + source + " needs"
                    + " com.fasterxml.jackson.dataformat:jackson-dataformat-yaml on the class path; add it as a"
                    + " dependency, or write the catalog as JSON.", e);
        }
    }

    private List<Market> parseRoot(JsonNode root) {
        List<Market> markets = new ArrayList<>();
        if (!root.isObject()) {
            problem("", "the catalog must be an object with a 'markets' list");
            return markets;
        }
        unknownFields(root, TOP_FIELDS, "");
        JsonNode version = root.get("schemaVersion");
        if (version == null || !version.isIntegralNumber() || version.intValue() != 1) {
            problem("schemaVersion", "must be 1 (the only catalog format this SDK version reads)");
        }
        JsonNode list = root.get("markets");
        if (list == null || !list.isArray() || list.isEmpty()) {
            problem("markets", "must be a non-empty list of markets");
            return markets;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = list.get(i);
            JsonNode idNode = node.get("id");
            market = idNode != null && idNode.isTextual() ? idNode.asText() : "markets[" + i + "]";
            Integer first = seen.putIfAbsent(market, i);
            if (first != null) {
                problem("id", "duplicate id: markets[" + first + "] and markets[" + i + "] both use it");
                continue;
            }
            parseMarket(node).ifPresent(markets::add);
        }
        market = "";
        return markets;
    }

    private Optional<Market> parseMarket(JsonNode node) {
        if (!node.isObject()) {
            problem("", "a market must be an object");
            return Optional.empty();
        }
        int before = problems.size();
        unknownFields(node, MARKET_FIELDS, "");
        MarketId id = value(node, "id", MarketId::of);
        String name = text(node, "name");
        MarketTier tier = enumValue(node, "tier", MarketTier.class);
        DeploymentRegion region = enumValue(node, "region", DeploymentRegion.class);
        Currency currency = value(node, "currency", this::currency);
        List<Locale> locales = list(node, "locales", (n, f) -> parseText(n, f, Locales::parse));
        ZoneId zone = value(node, "timeZone", this::zone);
        List<Jurisdiction> jurisdictions = list(node, "jurisdictions", (n, f) -> parseText(n, f, Jurisdiction::of));
        List<City> cities = list(node, "cities", (n, f) -> city(n, f, zone));
        MarketSize size = object(node, "marketSize", SIZE_FIELDS, (n, f) -> new MarketSize(
                decimal(n, f + ".annualTransactionVolume"), value(n, f + ".currency", this::currency)));
        Long target = optional(node, "targetCustomers") ? wholeNumber(node, "targetCustomers") : null;
        Level complexity = optional(node, "regulatoryComplexity") ? enumValue(node, "regulatoryComplexity", Level.class)
                : null;
        Level competition = optional(node, "competitionLevel") ? enumValue(node, "competitionLevel", Level.class) : null;
        RevenueRange revenue = object(node, "revenueRange", REVENUE_FIELDS, (n, f) -> new RevenueRange(
                decimal(n, f + ".low"), decimal(n, f + ".high"), value(n, f + ".currency", this::currency)));
        List<MlsIntegration> mls = optional(node, "mlsIntegrations") ? list(node, "mlsIntegrations", this::mls)
                : List.of();
        DataResidency residency = object(node, "dataResidency", RESIDENCY_FIELDS, this::residency);
        if (problems.size() > before || id == null) {
            return Optional.empty();
        }
        for (FieldProblem p : MarketRules.check(name, locales, jurisdictions, cities, region, residency, mls)) {
            problem(p.field(), p.message());
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Market(id, name, tier, region, currency, locales, zone, jurisdictions, cities, size,
                    Optional.ofNullable(target), Optional.ofNullable(complexity), Optional.ofNullable(competition),
                    revenue, mls, residency));
        } catch (GeoException | NullPointerException e) {
            problem("", e.getMessage());
            return Optional.empty();
        }
    }

    private City city(JsonNode node, String field, ZoneId marketZone) {
        if (!checkObject(node, field, CITY_FIELDS)) {
            return null;
        }
        String name = text(node, field + ".name");
        Jurisdiction jurisdiction = value(node, field + ".jurisdiction", Jurisdiction::of);
        ZoneId zone = optional(node, field + ".timeZone") ? value(node, field + ".timeZone", this::zone) : marketZone;
        if (name == null || jurisdiction == null || zone == null) {
            return null;
        }
        return new City(name, jurisdiction, zone);
    }

    private MlsIntegration mls(JsonNode node, String field) {
        if (!checkObject(node, field, MLS_FIELDS)) {
            return null;
        }
        String id = text(node, field + ".id");
        String name = text(node, field + ".name");
        FeedProtocol protocol = enumValue(node, field + ".protocol", FeedProtocol.class);
        URI website = value(node, field + ".website", this::uri);
        if (id == null || name == null || protocol == null || website == null) {
            return null;
        }
        return guarded(field, () -> new MlsIntegration(id, name, protocol, website));
    }

    private DataResidency residency(JsonNode node, String field) {
        JsonNode restricted = node.get("restricted");
        if (restricted == null || !restricted.isBoolean()) {
            problem(field + ".restricted", "required: true (data stays in 'regions') or false (anywhere)");
            return null;
        }
        String basis = text(node, field + ".basis");
        if (!restricted.booleanValue()) {
            if (node.has("regions")) {
                problem(field + ".regions", "must be absent when 'restricted' is false");
                return null;
            }
            return basis == null ? null : guarded(field, () -> DataResidency.anywhere(basis));
        }
        List<DeploymentRegion> regions = list(node, field + ".regions",
                (n, f) -> parseText(n, f, t -> parseEnum(t, DeploymentRegion.class)));
        if (basis == null || regions == null || regions.isEmpty()) {
            return null;
        }
        return guarded(field, () -> DataResidency.within(EnumSet.copyOf(regions), basis));
    }

    // ---- field helpers: each records a problem and returns null when the field is wrong ----

    private <T> T object(JsonNode parent, String field, Set<String> fields, Reader<T> reader) {
        JsonNode node = child(parent, field);
        if (node == null) {
            return null;
        }
        if (!checkObject(node, field, fields)) {
            return null;
        }
        int before = problems.size();
        try {
            T value = reader.read(node, field);
            return problems.size() > before ? null : value;
        } catch (GeoException | NullPointerException e) {
            if (problems.size() == before) {
                problem(field, e.getMessage());
            }
            return null;
        }
    }

    private boolean checkObject(JsonNode node, String field, Set<String> fields) {
        if (!node.isObject()) {
            problem(field, "must be an object with fields " + fields);
            return false;
        }
        unknownFields(node, fields, field);
        return true;
    }

    private <T> List<T> list(JsonNode parent, String field, Reader<T> reader) {
        JsonNode node = child(parent, field);
        if (node == null) {
            return null;
        }
        if (!node.isArray()) {
            problem(field, "must be a list");
            return null;
        }
        List<T> values = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < node.size(); i++) {
            T value = reader.read(node.get(i), field + "[" + i + "]");
            if (value == null) {
                ok = false;
            } else {
                values.add(value);
            }
        }
        return ok ? values : null;
    }

    private <T> T value(JsonNode parent, String field, Function<String, T> parse) {
        JsonNode node = child(parent, field);
        return node == null ? null : parseText(node, field, parse);
    }

    private <T> T parseText(JsonNode node, String field, Function<String, T> parse) {
        if (!node.isTextual()) {
            problem(field, "must be text");
            return null;
        }
        try {
            return parse.apply(node.asText());
        } catch (GeoException e) {
            problem(field, e.getMessage());
            return null;
        }
    }

    private String text(JsonNode parent, String field) {
        String value = value(parent, field, Function.identity());
        if (value != null && value.isBlank()) {
            problem(field, "must not be blank");
            return null;
        }
        return value;
    }

    private <E extends Enum<E>> E enumValue(JsonNode parent, String field, Class<E> type) {
        return value(parent, field, t -> parseEnum(t, type));
    }

    private static <E extends Enum<E>> E parseEnum(String text, Class<E> type) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(text)) {
                return constant;
            }
        }
        throw new GeoException("'" + text + "' is not one of " + Arrays.toString(type.getEnumConstants()));
    }

    private BigDecimal decimal(JsonNode parent, String field) {
        JsonNode node = child(parent, field);
        if (node == null) {
            return null;
        }
        if (!node.isNumber()) {
            problem(field, "must be a number");
            return null;
        }
        BigDecimal value = node.decimalValue();
        if (value.signum() < 0) {
            problem(field, "must be zero or more; got " + value.toPlainString());
            return null;
        }
        return value;
    }

    private Long wholeNumber(JsonNode parent, String field) {
        BigDecimal value = decimal(parent, field);
        if (value == null) {
            return null;
        }
        try {
            return value.longValueExact();
        } catch (ArithmeticException e) {
            problem(field, "must be a whole number; got " + value.toPlainString());
            return null;
        }
    }

    private Currency currency(String code) {
        try {
            Currency currency = Currency.getInstance(code);
            if (!currency.getCurrencyCode().equals(code)) {
                throw new IllegalArgumentException();
            }
            return currency;
        } catch (IllegalArgumentException e) {
            throw new GeoException("'" + code + "' is not an ISO 4217 currency code (like USD, CAD, GBP, AUD)");
        }
    }

    private ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw new GeoException("'" + id + "' is not a time-zone id of the IANA database (like"
                    + " America/Los_Angeles, Europe/London)");
        }
    }

    private URI uri(String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new GeoException("'" + text + "' is not a URI: " + e.getReason());
        }
    }

    private boolean optional(JsonNode parent, String field) {
        return parent.has(leaf(field)) && !parent.get(leaf(field)).isNull();
    }

    private JsonNode child(JsonNode parent, String field) {
        JsonNode node = parent.get(leaf(field));
        if (node == null || node.isNull()) {
            problem(field, "is required");
            return null;
        }
        return node;
    }

    private static String leaf(String field) {
        int dot = field.lastIndexOf('.');
        return dot < 0 ? field : field.substring(dot + 1);
    }

    private void unknownFields(JsonNode node, Set<String> known, String prefix) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                problem(prefix.isEmpty() ? name : prefix + "." + name, "unknown field; expected one of "
                        + known.stream().sorted().toList());
            }
        }
    }

    private <T> T guarded(String field, java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (GeoException e) {
            problem(field, e.getMessage());
            return null;
        }
    }

    private void problem(String field, String message) {
        problems.add(new Problem(source, market, field, message));
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read(JsonNode node, String field);
    }
}
