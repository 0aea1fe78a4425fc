package com.enterprisehub.geo.core.internal;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.MarketCatalogException.Problem;
import com.enterprisehub.geo.core.MarketCatalogException;
import com.enterprisehub.geo.core.market.City;
import com.enterprisehub.geo.core.market.DataResidency;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.FeedProtocol;
import com.enterprisehub.geo.core.market.Jurisdiction;
import com.enterprisehub.geo.core.market.Level;
import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.market.MarketSize;
import com.enterprisehub.geo.core.market.MarketTier;
import com.enterprisehub.geo.core.market.MlsIntegration;
import com.enterprisehub.geo.core.market.RevenueRange;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
    /** How deep values may nest; a catalog needs five levels (catalog, markets, market, cities, city). */
    static final int MAX_NESTING = 16;
    /**
     * The digits a figure may have before and after the decimal point. Checked on the number as parsed, before
     * anything expands it: {@code 1e999999999} is four bytes in a file but a billion digits in plain form.
     */
    static final int MAX_INTEGER_DIGITS = 18;
    static final int MAX_FRACTION_DIGITS = 9;
    private static final int MAX_MESSAGE = 400;
    /** Problems reported in full; a hostile catalog of millions of unknown keys is summarised after these. */
    static final int MAX_PROBLEMS = 100;
    /** The longest line a YAML catalog may have (see {@link #readYaml}). */
    public static final int MAX_YAML_LINE = 16 * 1024;
    /** Region-based ids of the IANA time-zone database as the JDK knows it (no offsets like "Z" or "UTC+05:00"). */
    private static final Set<String> IANA_ZONES = Set.copyOf(ZoneId.getAvailableZoneIds());

    private final String source;
    private final List<Problem> problems = new ArrayList<>();
    private int problemsLeftOut;
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
            if (problemsLeftOut > 0) {
                problems.add(new Problem(source, "", "", "... and " + problemsLeftOut + " more problems, left out;"
                        + " fix the ones above and load the catalog again"));
            }
            throw new MarketCatalogException(problems);
        }
        return markets;
    }

    private JsonNode read(InputStream in, boolean yaml) {
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING)
                .maxDocumentLength(MarketCatalog.MAX_CATALOG_SIZE)
                .build();
        JsonFactory factory = yaml ? yamlFactory(constraints) : JsonFactory.builder()
                .streamReadConstraints(constraints).build();
        factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        factory.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE); // load(InputStream) leaves the stream open
        ObjectMapper mapper = new ObjectMapper(factory).enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        String format = yaml ? "YAML" : "JSON";
        String yamlText = null;
        if (yaml) {
            try {
                yamlText = readYaml(in);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read market catalog " + source + ": " + e.getMessage(), e);
            }
            if (yamlText == null) {
                return null;
            }
        }
        try (JsonParser parser = yaml ? YamlCatalogs.refusingAliases(factory.createParser(yamlText))
                : factory.createParser(in)) {
            JsonNode root;
            try {
                root = mapper.readTree(parser);
            } catch (JsonProcessingException e) {
                problem("", notValid(format, e));
                return null;
            }
            if (root == null || root.isMissingNode()) {
                problem("", "the catalog is empty; it needs an object with a 'markets' list");
                return null;
            }
            try {
                if (parser.nextToken() != null) {
                    problem("", trailing(yaml, parser.currentLocation()));
                    return null;
                }
            } catch (StreamConstraintsException e) {
                problem("", notValid(format, e));
                return null;
            } catch (JsonProcessingException e) {
                problem("", trailing(yaml, e.getLocation()));
                return null;
            }
            return root;
        } catch (RuntimeException e) {
            // SnakeYAML reports some limits (the code-point limit) with exceptions of its own, not Jackson's
            if (yaml && e.getClass().getName().startsWith("org.yaml.snakeyaml.")) {
                problem("", e.getMessage() != null && e.getMessage().contains("exceeds the limit") ? tooLarge()
                        : "not valid YAML: " + e.getMessage());
                return null;
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read market catalog " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * The YAML text, read as UTF-8 up to {@link MarketCatalog#MAX_CATALOG_SIZE} characters, each line at most
     * {@link #MAX_YAML_LINE}; null (with the problem recorded) otherwise. SnakeYAML's scanner slows down with the
     * square of a token's length (a single 16 MB scalar takes over a minute), so a long line is refused before it
     * reaches the scanner; a multi-line text is read line by line and stays fast.
     */
    private String readYaml(InputStream in) throws IOException {
        java.io.Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[8192];
        int line = 1;
        int column = 0;
        try {
            for (int n; (n = reader.read(buffer)) > 0; ) {
                if (text.length() + n > MarketCatalog.MAX_CATALOG_SIZE) {
                    problem("", tooLarge());
                    return null;
                }
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        line++;
                        column = 0;
                    } else if (++column > MAX_YAML_LINE) {
                        problem("", "line " + line + " is longer than " + MAX_YAML_LINE + " characters, the limit for"
                                + " a line of a YAML catalog; break long text over several lines (a folded scalar, '>')");
                        return null;
                    }
                }
                text.append(buffer, 0, n);
            }
        } catch (CharacterCodingException e) {
            problem("", "not valid YAML: the file is not UTF-8 (line " + line + ")");
            return null;
        }
        return text.toString();
    }

    private static String notValid(String format, JsonProcessingException e) {
        String m = String.valueOf(e.getOriginalMessage());
        if (m.contains("exceeds the limit")) { // SnakeYAML's code-point limit, wrapped by Jackson
            return tooLarge();
        }
        if (e instanceof StreamConstraintsException) {
            if (m.contains("Document length")) {
                return tooLarge();
            }
            if (m.contains("nesting depth")) {
                return "values are nested more than " + MAX_NESTING + " levels deep (a catalog needs five: the"
                        + " catalog, its markets, a market, its cities, a city); a text field holds text, not a"
                        + " structure" + at(e.getLocation());
            }
        }
        return "not valid " + format + ": " + e.getOriginalMessage() + at(e.getLocation());
    }

    private static String tooLarge() {
        return "the catalog is larger than " + MarketCatalog.MAX_CATALOG_SIZE + " bytes (JSON) or characters (YAML),"
                + " the loader's limit (MarketCatalog.MAX_CATALOG_SIZE, 16 MiB); split it into catalogs of fewer"
                + " markets or remove what is not market data";
    }

    private static String trailing(boolean yaml, JsonLocation location) {
        return yaml ? "a second YAML document (after '---')" + at(location) + ": a catalog is one YAML document;"
                + " remove the second one or put its markets in the first"
                : "content after the end of the JSON document" + at(location) + ": a catalog is one JSON object,"
                + " and nothing may follow its closing '}'";
    }

    private static String at(JsonLocation location) {
        return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private JsonFactory yamlFactory(StreamReadConstraints constraints) {
        try {
            return YamlCatalogs.factory(MarketCatalog.MAX_CATALOG_SIZE, constraints);
        } catch (LinkageError e) {
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
        freeText(root, "about", false);
        freeText(root, "sources", true);
        JsonNode version = root.get("schemaVersion");
        // canConvertToInt first: intValue() of 4294967297 wraps round to 1
        if (version == null || !version.isIntegralNumber() || !version.canConvertToInt() || version.intValue() != 1) {
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
            // a market is named by its id only when the id is valid: an invalid one (control characters, a
            // megabyte of text) is not echoed into every message
            market = idNode != null && idNode.isTextual() && validId(idNode.asText()) ? idNode.asText()
                    : "markets[" + i + "]";
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

    private static boolean validId(String text) {
        try {
            MarketId.of(text);
            return true;
        } catch (GeoException e) {
            return false;
        }
    }

    /** {@code about} and {@code sources}: absent, text, or (for sources) a list of text. */
    private void freeText(JsonNode root, String field, boolean listAllowed) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull() || node.isTextual()) {
            return;
        }
        if (listAllowed && node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                if (!node.get(i).isTextual()) {
                    problem(field + "[" + i + "]", "must be text");
                }
            }
            return;
        }
        problem(field, listAllowed ? "must be text or a list of text" : "must be text");
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

    /** A name or other one-line text: not blank, no control characters (NUL, CR, LF, tab, escape, U+2028). */
    private String text(JsonNode parent, String field) {
        String value = value(parent, field, Function.identity());
        if (value != null && value.isBlank()) {
            problem(field, "must not be blank");
            return null;
        }
        if (value != null) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                int type = Character.getType(c);
                if (Character.isISOControl(c) || type == Character.LINE_SEPARATOR
                        || type == Character.PARAGRAPH_SEPARATOR) {
                    problem(field, String.format(Locale.ROOT, "must not contain control characters; found U+%04X at"
                            + " position %d (names end up in logs, headers and user interfaces: write them on one"
                            + " line, without tabs)", (int) c, i));
                    return null;
                }
            }
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
        if ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
            problem(field, "must be a number with at most " + MAX_INTEGER_DIGITS + " digits before the decimal point"
                    + " and " + MAX_FRACTION_DIGITS + " after; got a number too large to represent");
            return null;
        }
        BigDecimal value = node.decimalValue();
        // Checked on the unscaled digits and the exponent only: nothing here expands 1e999999999 (toPlainString
        // would build a billion characters). Trailing zeros are stripped first, so 100.000 is 100.
        BigDecimal stripped = value.stripTrailingZeros();
        long integerDigits = (long) stripped.precision() - stripped.scale();
        long fractionDigits = Math.max(0, stripped.scale());
        if (integerDigits > MAX_INTEGER_DIGITS || fractionDigits > MAX_FRACTION_DIGITS) {
            problem(field, "must have at most " + MAX_INTEGER_DIGITS + " digits before the decimal point and "
                    + MAX_FRACTION_DIGITS + " after; got " + stripped);
            return null;
        }
        if (value.signum() < 0) {
            problem(field, "must be zero or more; got " + stripped.toPlainString());
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
            problem(field, "must be a whole number; got " + value.stripTrailingZeros().toPlainString());
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
        // ZoneId.of also takes offsets ("Z", "+05:00", "UTC+05:00", "GMT+5"), which follow no daylight-saving rule
        if (!IANA_ZONES.contains(id)) {
            throw new GeoException("'" + id + "' is not a time-zone id of the IANA database (like"
                    + " America/Los_Angeles, Europe/London; Etc/UTC for UTC); offsets such as 'Z' or 'UTC+05:00'"
                    + " are not time zones");
        }
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
        if (problems.size() >= MAX_PROBLEMS) {
            problemsLeftOut++;
            return;
        }
        // Field names come from the file too (an unknown key): they are cleaned like messages.
        problems.add(new Problem(source, market, printable(field), printable(message)));
    }

    /**
     * A message fit for a log line: control characters (from quoted values) replaced, and cut short, so a value
     * of a megabyte or with CR/LF never reaches the log whole.
     */
    private static String printable(String message) {
        String m = String.valueOf(message);
        if (m.length() > MAX_MESSAGE) {
            m = m.substring(0, MAX_MESSAGE) + "... (cut)";
        }
        StringBuilder b = new StringBuilder(m.length());
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            int type = Character.getType(c);
            b.append(Character.isISOControl(c) || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR ? '?' : c);
        }
        return b.toString();
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read(JsonNode node, String field);
    }
}
