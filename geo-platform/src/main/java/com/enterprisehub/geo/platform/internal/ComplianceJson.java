package com.enterprisehub.geo.platform.internal;

import com.enterprisehub.geo.platform.PlatformException;
import com.enterprisehub.geo.platform.compliance.ComplianceConfiguration;
import com.enterprisehub.geo.platform.compliance.Contact;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link ComplianceConfiguration} as the JSON the control plane stores, and back. Reading goes through the
 * configuration's builder, so a stored document is checked like one built in code. Revenues are strings, so
 * they read back with their scale. Thread-safe. Not part of the API.
 */
public final class ComplianceJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ComplianceJson() {
    }

    public static String write(ComplianceConfiguration c) {
        ObjectNode root = NODES.objectNode();
        c.privacyOfficer().ifPresent(p -> root.set("privacyOfficer", contact(p)));
        c.breachContact().ifPresent(p -> root.set("breachContact", contact(p)));
        c.privacyNotice().ifPresent(u -> root.put("privacyNotice", u.toString()));
        c.optOutLink().ifPresent(u -> root.put("optOutLink", u.toString()));
        root.put("electronicMarketingConsent", c.electronicMarketingConsent());
        root.put("callConsent", c.callConsent());
        ObjectNode licences = root.putObject("licenceNumbers");
        c.licenceNumbers().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> licences.put(e.getKey(), e.getValue()));
        c.brokerageName().ifPresent(n -> root.put("brokerageName", n));
        c.redressScheme().ifPresent(n -> root.put("redressScheme", n));
        var assessments = root.putArray("transferAssessments");
        c.transferAssessments().stream().sorted().forEach(assessments::add);
        ObjectNode revenue = root.putObject("annualRevenue");
        c.annualRevenue().forEach((currency, amount) -> revenue.put(currency.getCurrencyCode(), amount.toPlainString()));
        c.consumersPerYear().ifPresent(n -> root.put("consumersPerYear", n));
        c.smallBusiness().ifPresent(b -> root.put("smallBusiness", b));
        try {
            return ConfigJson.MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Writing a compliance configuration failed: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The configuration {@link #write} stored.
     *
     * @throws PlatformException if the document is not one (the message says where it came from)
     */
    public static ComplianceConfiguration read(String json, String origin) {
        try {
            JsonNode root = ConfigJson.MAPPER.readTree(json);
            ComplianceConfiguration.Builder b = ComplianceConfiguration.builder();
            contact(root, "privacyOfficer").ifPresent(b::privacyOfficer);
            contact(root, "breachContact").ifPresent(b::breachContact);
            text(root, "privacyNotice").ifPresent(b::privacyNotice);
            text(root, "optOutLink").ifPresent(b::optOutLink);
            b.electronicMarketingConsent(root.path("electronicMarketingConsent").asBoolean(false));
            b.callConsent(root.path("callConsent").asBoolean(false));
            for (Iterator<Map.Entry<String, JsonNode>> it = root.path("licenceNumbers").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                b.licenceNumber(e.getKey(), e.getValue().asText());
            }
            text(root, "brokerageName").ifPresent(b::brokerageName);
            text(root, "redressScheme").ifPresent(b::redressScheme);
            root.path("transferAssessments").forEach(j -> b.transferAssessment(j.asText()));
            for (Iterator<Map.Entry<String, JsonNode>> it = root.path("annualRevenue").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                b.annualRevenue(new BigDecimal(e.getValue().asText()), e.getKey());
            }
            if (root.hasNonNull("consumersPerYear")) {
                b.consumersPerYear(root.get("consumersPerYear").asLong());
            }
            if (root.hasNonNull("smallBusiness")) {
                b.smallBusiness(root.get("smallBusiness").asBoolean());
            }
            return b.build();
        } catch (JsonProcessingException | RuntimeException e) {
            throw new PlatformException("The compliance configuration stored for " + origin + " cannot be read ("
                    + e.getMessage() + "); configure it again.", e);
        }
    }

    private static ObjectNode contact(Contact c) {
        return NODES.objectNode().put("name", c.name()).put("email", c.email());
    }

    private static Optional<Contact> contact(JsonNode root, String field) {
        JsonNode node = root.path(field);
        return node.isObject() ? Optional.of(new Contact(node.path("name").asText(), node.path("email").asText()))
                : Optional.empty();
    }

    private static Optional<String> text(JsonNode root, String field) {
        return root.hasNonNull(field) ? Optional.of(root.get(field).asText()) : Optional.empty();
    }
}
