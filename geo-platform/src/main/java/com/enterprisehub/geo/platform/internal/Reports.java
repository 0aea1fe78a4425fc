package com.enterprisehub.geo.platform.internal;

import com.enterprisehub.geo.localization.CompletenessReport;
import com.enterprisehub.geo.platform.Finding;
import com.enterprisehub.geo.platform.ReadinessReport;
import com.enterprisehub.geo.platform.compliance.ComplianceReport;
import com.enterprisehub.geo.platform.compliance.RequirementResult;
import com.enterprisehub.geo.platform.compliance.Status;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** JSON documents and one-line summaries of the platform's reports. Not part of the API. */
public final class Reports {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Reports() {
    }

    public static String json(ReadinessReport report) {
        ObjectNode root = NODES.objectNode();
        root.put("market", report.market().value());
        root.put("region", report.region().map(Enum::name).orElse(null));
        root.put("ready", report.ready());
        root.set("blockers", findings(report.blockers()));
        root.set("recommendations", findings(report.recommendations()));
        root.set("compliance", node(report.compliance()));
        return write(root);
    }

    public static String json(ComplianceReport report) {
        return write(node(report));
    }

    public static String json(List<CompletenessReport> coverage) {
        ArrayNode array = NODES.arrayNode();
        for (CompletenessReport c : coverage) {
            ObjectNode node = array.addObject();
            node.put("locale", c.locale().toLanguageTag());
            node.put("keys", c.keys());
            node.put("translated", c.translated());
            node.put("coveragePercent", c.coveragePercent());
            ArrayNode missing = node.putArray("missingKeys");
            c.missingKeys().forEach(missing::add);
        }
        return write(array);
    }

    public static String json(Map<String, Object> map) {
        return write(ConfigJson.MAPPER.valueToTree(map));
    }

    /** "18 requirements: 15 met, 0 not met, 3 not applicable; score 1.0000". */
    public static String describe(ComplianceReport report) {
        return report.results().size() + " requirements: " + report.with(Status.MET).size() + " met, "
                + report.with(Status.NOT_MET).size() + " not met, " + report.with(Status.NOT_APPLICABLE).size()
                + " not applicable" + report.score().map(s -> "; share met " + s.toPlainString()).orElse("");
    }

    /** The first {@code n} items, then "and k more". */
    public static String abbreviate(List<String> items, int n) {
        if (items.size() <= n) {
            return String.join(", ", items);
        }
        return String.join(", ", items.subList(0, n)) + " and " + (items.size() - n) + " more";
    }

    private static ArrayNode findings(List<Finding> findings) {
        ArrayNode array = NODES.arrayNode();
        for (Finding f : findings) {
            array.addObject().put("code", f.code()).put("message", f.message());
        }
        return array;
    }

    private static ObjectNode node(ComplianceReport report) {
        ObjectNode root = NODES.objectNode();
        root.put("subject", report.subject());
        root.put("score", report.score().orElse(null));
        ArrayNode results = root.putArray("results");
        for (RequirementResult r : report.results()) {
            ObjectNode node = results.addObject();
            node.put("requirement", r.requirement().id());
            node.put("law", r.requirement().law().id());
            node.put("check", r.requirement().check().name());
            ArrayNode jurisdictions = node.putArray("jurisdictions");
            r.jurisdictions().forEach(jurisdictions::add);
            node.put("status", r.status().name());
            node.put("reason", r.reason());
            node.put("source", r.requirement().source().toString());
        }
        return root;
    }

    /** {@code node} as indented JSON. */
    public static String write(com.fasterxml.jackson.databind.JsonNode node) {
        try {
            return ConfigJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Writing a report as JSON failed: " + e.getOriginalMessage(), e);
        }
    }
}
