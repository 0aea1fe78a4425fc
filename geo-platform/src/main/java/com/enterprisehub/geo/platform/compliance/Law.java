package com.enterprisehub.geo.platform.compliance;

import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A law or rule a jurisdiction's profile is built from, with its official source.
 *
 * @param id a short lowercase id ("ccpa")
 * @param name its name
 * @param citation its legal citation
 * @param topic what it is about
 * @param jurisdictions the ISO 3166-2 codes it covers (country-wide laws list every covered subdivision)
 * @param source the official text or the regulator's page
 * @param effective when the rule as described took effect
 * @param appliesWhen conditions any of which makes it apply to a business; empty: it always applies
 * @param exemptWhen conditions any of which exempts a business
 * @param applicability who it applies to, in words
 */
public record Law(String id, String name, String citation, Topic topic, Set<String> jurisdictions, URI source,
        LocalDate effective, List<Condition> appliesWhen, List<Condition> exemptWhen, String applicability) {
    public Law {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(effective, "effective");
        jurisdictions = Set.copyOf(jurisdictions);
        appliesWhen = List.copyOf(appliesWhen);
        exemptWhen = List.copyOf(exemptWhen);
    }
}
