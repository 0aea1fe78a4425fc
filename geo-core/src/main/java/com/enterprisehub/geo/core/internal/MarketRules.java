package com.enterprisehub.geo.core.internal;

import com.enterprisehub.geo.core.market.City;
import com.enterprisehub.geo.core.market.DataResidency;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.Jurisdiction;
import com.enterprisehub.geo.core.market.MlsIntegration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rules a market must satisfy across its fields, shared by {@code Market}'s constructor and the
 * catalog loader (which reports each problem with its file and field). Not part of the API.
 */
public final class MarketRules {
    private MarketRules() {
    }

    public static List<FieldProblem> check(String name, List<Locale> locales, List<Jurisdiction> jurisdictions,
            List<City> cities, DeploymentRegion region, DataResidency residency, List<MlsIntegration> mls) {
        List<FieldProblem> problems = new ArrayList<>();
        if (name == null || name.isBlank()) {
            problems.add(new FieldProblem("name", "a market needs a name"));
        }
        if (locales.isEmpty()) {
            problems.add(new FieldProblem("locales", "a market needs at least one locale, the first being its default"));
        }
        duplicates(locales, "locales", Locale::toLanguageTag, problems);
        if (jurisdictions.isEmpty()) {
            problems.add(new FieldProblem("jurisdictions", "a market covers at least one jurisdiction (ISO 3166-2)"));
        }
        duplicates(jurisdictions, "jurisdictions", Jurisdiction::code, problems);
        Set<Jurisdiction> covered = Set.copyOf(jurisdictions);
        for (int i = 0; i < cities.size(); i++) {
            City city = cities.get(i);
            if (!covered.contains(city.jurisdiction())) {
                problems.add(new FieldProblem("cities[" + i + "].jurisdiction", "city '" + city.name() + "' is in "
                        + city.jurisdiction() + ", which is not one of the market's jurisdictions " + jurisdictions));
            }
        }
        duplicates(cities, "cities", City::name, problems);
        duplicates(mls, "mlsIntegrations", MlsIntegration::id, problems);
        if (region != null && residency != null && !residency.permits(region)) {
            problems.add(new FieldProblem("region", "the market is deployed to " + region
                    + " but its data-residency rule allows only " + residency.allowedRegions()));
        }
        return problems;
    }

    private static <T> void duplicates(List<T> values, String field, java.util.function.Function<T, String> key,
            List<FieldProblem> problems) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < values.size(); i++) {
            String k = key.apply(values.get(i));
            if (!seen.add(k)) {
                problems.add(new FieldProblem(field + "[" + i + "]", "'" + k + "' appears more than once"));
            }
        }
    }
}
