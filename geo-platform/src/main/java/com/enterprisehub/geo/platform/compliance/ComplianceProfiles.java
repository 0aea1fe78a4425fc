package com.enterprisehub.geo.platform.compliance;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.Jurisdiction;
import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.platform.PlatformException;
import com.enterprisehub.geo.platform.internal.ConfigJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Compliance requirements per jurisdiction, as data: each {@link Law} with its official source and the
 * conditions under which it applies, each {@link Requirement} with the {@link Check} a configuration must
 * pass. {@link #defaults()} loads the SDK's profiles for the 20 jurisdictions of the seed's markets
 * ({@code compliance-profiles.json} beside this class; see docs/compliance.md for what is covered and what
 * is not). Not legal advice: re-verify the sources before relying on them.
 *
 * <p>Immutable and thread-safe.
 */
public final class ComplianceProfiles {
    private static final String DEFAULT = "/com/enterprisehub/geo/platform/compliance-profiles.json";
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9.-]{0,79}");
    private static final Set<String> LAW_FIELDS = Set.of("id", "name", "citation", "topic", "jurisdictions", "source",
            "effective", "appliesWhen", "exemptWhen", "applicability");
    private static final Set<String> REQUIREMENT_FIELDS = Set.of("id", "law", "check", "requirement", "deadlineHours",
            "deadline", "source", "effective");

    private final Map<String, Law> laws;
    private final List<Requirement> requirements;
    private final LocalDate retrieved;

    private ComplianceProfiles(Map<String, Law> laws, List<Requirement> requirements, LocalDate retrieved) {
        this.laws = laws;
        this.requirements = requirements;
        this.retrieved = retrieved;
    }

    private static final class Holder {
        static final ComplianceProfiles DEFAULTS = load();

        private static ComplianceProfiles load() {
            try (InputStream in = ComplianceProfiles.class.getResourceAsStream(DEFAULT)) {
                if (in == null) {
                    throw new PlatformException("The compliance profiles resource " + DEFAULT + " is missing.");
                }
                return read(in);
            } catch (IOException e) {
                throw new PlatformException("Reading " + DEFAULT + " failed: " + e.getMessage(), e);
            }
        }
    }

    /** The SDK's profiles (loaded once). */
    public static ComplianceProfiles defaults() {
        return Holder.DEFAULTS;
    }

    /**
     * Profiles from a JSON document in the format of the SDK's own file (schemaVersion 1). Every problem is
     * reported at once.
     *
     * @throws PlatformException listing each problem with its location
     */
    public static ComplianceProfiles read(InputStream json) throws IOException {
        JsonNode root = ConfigJson.MAPPER.readTree(Objects.requireNonNull(json, "json"));
        List<String> problems = new ArrayList<>();
        if (root == null || root.path("schemaVersion").asInt() != 1) {
            throw new PlatformException("A compliance profile document needs \"schemaVersion\": 1.");
        }
        LocalDate retrieved = date(root.path("retrieved"), "retrieved", problems);
        Map<String, Law> laws = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode node : root.path("laws")) {
            String at = "laws[" + i++ + "]";
            unknownFields(node, LAW_FIELDS, at, problems);
            Law law = law(node, at, problems);
            if (law != null && laws.putIfAbsent(law.id(), law) != null) {
                problems.add(at + ": law id '" + law.id() + "' appears twice");
            }
        }
        List<Requirement> requirements = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        i = 0;
        for (JsonNode node : root.path("requirements")) {
            String at = "requirements[" + i++ + "]";
            unknownFields(node, REQUIREMENT_FIELDS, at, problems);
            Requirement requirement = requirement(node, laws, at, problems);
            if (requirement != null && !ids.add(requirement.id())) {
                problems.add(at + ": requirement id '" + requirement.id() + "' appears twice");
            } else if (requirement != null) {
                requirements.add(requirement);
            }
        }
        if (!problems.isEmpty()) {
            throw new PlatformException("The compliance profiles have " + problems.size() + " problem(s):\n  "
                    + String.join("\n  ", problems));
        }
        return new ComplianceProfiles(Map.copyOf(laws), List.copyOf(requirements), retrieved);
    }

    /** When the sources were last checked. */
    public LocalDate retrieved() {
        return retrieved;
    }

    /** The law with this id, if there is one. */
    public Optional<Law> law(String id) {
        return Optional.ofNullable(laws.get(id));
    }

    /** The requirements that cover {@code jurisdiction}, in file order. */
    public List<Requirement> requirements(Jurisdiction jurisdiction) {
        return requirements.stream().filter(r -> covers(r.law(), jurisdiction)).toList();
    }

    /** Whether {@code law} covers {@code jurisdiction}, listed by its code or its country's. */
    public static boolean covers(Law law, Jurisdiction jurisdiction) {
        return law.jurisdictions().contains(jurisdiction.code()) || law.jurisdictions().contains(jurisdiction.country());
    }

    /**
     * Evaluates every requirement of the market's jurisdictions (each once, even when it covers several)
     * against {@code configuration}, for a business whose data lives in {@code dataRegion}, on {@code date}.
     * A law not yet in force on that date, or whose conditions the business does not meet, is
     * {@link Status#NOT_APPLICABLE}; a condition the configuration cannot answer (revenue not given, or given
     * in another currency) counts as met, so the law is evaluated rather than skipped.
     */
    public ComplianceReport evaluate(Market market, ComplianceConfiguration configuration, DeploymentRegion dataRegion,
            LocalDate date) {
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(configuration, "configuration");
        Objects.requireNonNull(dataRegion, "dataRegion");
        Objects.requireNonNull(date, "date");
        Map<Requirement, List<String>> covered = new LinkedHashMap<>();
        for (Jurisdiction j : market.jurisdictions()) {
            for (Requirement r : requirements(j)) {
                covered.computeIfAbsent(r, k -> new ArrayList<>()).add(j.code());
            }
        }
        List<RequirementResult> results = new ArrayList<>();
        covered.forEach((r, codes) -> results.add(Evaluation.evaluate(r, codes, configuration, dataRegion, date)));
        return new ComplianceReport("market " + market.id(), results);
    }

    // --- reading ---

    private static void unknownFields(JsonNode node, Set<String> known, String at, List<String> problems) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!known.contains(field)) {
                problems.add(at + ": unknown field '" + field + "' (known: " + known + ")");
            }
        }
    }

    private static Law law(JsonNode node, String at, List<String> problems) {
        int before = problems.size();
        String id = id(node.path("id"), at + ".id", problems);
        String name = text(node.path("name"), at + ".name", problems);
        String citation = text(node.path("citation"), at + ".citation", problems);
        Topic topic = constant(Topic.class, node.path("topic"), at + ".topic", problems);
        Set<String> jurisdictions = new LinkedHashSet<>();
        for (JsonNode j : node.path("jurisdictions")) {
            String code = j.asText();
            try {
                jurisdictions.add(code.length() == 2 ? code : Jurisdiction.of(code).code());
            } catch (RuntimeException e) {
                problems.add(at + ".jurisdictions: '" + code + "' is not an ISO 3166-2 code or country code");
            }
        }
        if (jurisdictions.isEmpty()) {
            problems.add(at + ".jurisdictions: at least one is needed");
        }
        URI source = source(node.path("source"), at + ".source", problems);
        LocalDate effective = date(node.path("effective"), at + ".effective", problems);
        List<Condition> applies = conditions(node.path("appliesWhen"), at + ".appliesWhen", problems);
        List<Condition> exempt = conditions(node.path("exemptWhen"), at + ".exemptWhen", problems);
        String applicability = text(node.path("applicability"), at + ".applicability", problems);
        return problems.size() > before ? null : new Law(id, name, citation, topic, jurisdictions, source, effective,
                applies, exempt, applicability);
    }

    private static Requirement requirement(JsonNode node, Map<String, Law> laws, String at, List<String> problems) {
        int before = problems.size();
        String id = id(node.path("id"), at + ".id", problems);
        String lawId = node.path("law").asText();
        Law law = laws.get(lawId);
        if (law == null) {
            problems.add(at + ".law: no law '" + lawId + "'");
        }
        Check check = constant(Check.class, node.path("check"), at + ".check", problems);
        String text = text(node.path("requirement"), at + ".requirement", problems);
        Optional<Duration> deadline = Optional.empty();
        Optional<String> wording = Optional.empty();
        if (check == Check.BREACH_CONTACT) {
            JsonNode hours = node.path("deadlineHours");
            if (hours.isInt() && hours.asInt() > 0) {
                deadline = Optional.of(Duration.ofHours(hours.asInt()));
            } else if (!hours.isNull() && !hours.isMissingNode()) {
                problems.add(at + ".deadlineHours: a positive whole number or null");
            }
            wording = Optional.of(text(node.path("deadline"), at + ".deadline", problems));
        } else if (node.has("deadlineHours") || node.has("deadline")) {
            problems.add(at + ": only BREACH_CONTACT requirements have a deadline");
        }
        URI source = source(node.path("source"), at + ".source", problems);
        LocalDate effective = date(node.path("effective"), at + ".effective", problems);
        return problems.size() > before ? null
                : new Requirement(id, law, check, text, deadline, wording, source, effective);
    }

    private static List<Condition> conditions(JsonNode array, String at, List<String> problems) {
        List<Condition> conditions = new ArrayList<>();
        int i = 0;
        for (JsonNode c : array) {
            String where = at + "[" + i++ + "]";
            try {
                if (c.has("annualRevenueAbove")) {
                    conditions.add(new Condition(Condition.Kind.ANNUAL_REVENUE_ABOVE, amount(c.get(
                            "annualRevenueAbove")), Optional.of(Currency.getInstance(c.path("currency").asText()))));
                } else if (c.has("annualRevenueBelowOrEqual")) {
                    conditions.add(new Condition(Condition.Kind.ANNUAL_REVENUE_AT_MOST, amount(c.get(
                            "annualRevenueBelowOrEqual")), Optional.of(Currency.getInstance(c.path("currency")
                            .asText()))));
                } else if (c.has("consumersAtLeast")) {
                    conditions.add(new Condition(Condition.Kind.CONSUMERS_AT_LEAST, amount(c.get("consumersAtLeast")),
                            Optional.empty()));
                } else if (c.path("notSmallBusiness").asBoolean(false)) {
                    conditions.add(new Condition(Condition.Kind.NOT_SMALL_BUSINESS, BigDecimal.ZERO, Optional.empty()));
                } else {
                    problems.add(where + ": unknown condition " + c);
                }
            } catch (IllegalArgumentException e) {
                problems.add(where + ": " + e.getMessage());
            }
        }
        return conditions;
    }

    private static BigDecimal amount(JsonNode node) {
        if (!node.isNumber() || node.decimalValue().signum() < 0) {
            throw new IllegalArgumentException("a threshold is a number of zero or more; got " + node);
        }
        return node.decimalValue();
    }

    private static String id(JsonNode node, String at, List<String> problems) {
        String id = node.asText("");
        if (!ID.matcher(id).matches()) {
            problems.add(at + ": an id is lowercase letters, digits, '.' and '-'; got '" + id + "'");
        }
        return id;
    }

    private static String text(JsonNode node, String at, List<String> problems) {
        if (!node.isTextual() || node.asText().isBlank()) {
            problems.add(at + ": text is required");
            return "";
        }
        return node.asText().strip();
    }

    private static URI source(JsonNode node, String at, List<String> problems) {
        try {
            URI uri = URI.create(node.asText(""));
            if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        problems.add(at + ": an http(s) source address is required; got '" + node.asText("") + "'");
        return null;
    }

    private static LocalDate date(JsonNode node, String at, List<String> problems) {
        try {
            return LocalDate.parse(node.asText(""));
        } catch (RuntimeException e) {
            problems.add(at + ": an ISO date (2026-01-01) is required; got '" + node.asText("") + "'");
            return null;
        }
    }

    private static <E extends Enum<E>> E constant(Class<E> type, JsonNode node, String at, List<String> problems) {
        try {
            return Enum.valueOf(type, node.asText(""));
        } catch (IllegalArgumentException e) {
            problems.add(at + ": one of " + java.util.Arrays.toString(type.getEnumConstants()) + "; got '"
                    + node.asText("") + "'");
            return null;
        }
    }
}
