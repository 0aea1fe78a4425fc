package com.enterprisehub.geo.localization.tax.internal;

import com.enterprisehub.geo.localization.LocalizationException;
import com.enterprisehub.geo.spi.tax.TransferTaxException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A jurisdiction's rates as data: named scales and values, each versioned by effective date and citing its
 * source, read from {@code tax/<JURISDICTION>.json} beside this class. Immutable and thread-safe. Not part of
 * the API.
 *
 * <p>Percentages are written as percent ("2" is 2%). A date with no version in force is an error, never the
 * nearest version.
 *
 * <p>Each file records when its figures were last checked against the official sources ({@code retrieved}). A
 * version without an end date is taken to be in force up to {@link #HORIZON} after that day and no further: a
 * later date is refused ({@link #requireWithinHorizon}), since budgets and indexation change rates at least yearly.
 */
public final class Regimes {
    /** How long after {@link #retrieved()} the rates are used for; see the class comment. */
    public static final Period HORIZON = Period.ofYears(1);

    private final String jurisdiction;
    private final String currency;
    private final LocalDate retrieved;
    private final Map<String, List<Scale>> scales;
    private final Map<String, List<Dated>> values;

    /** A value in force over a period, with its source. */
    public record Dated(LocalDate from, Optional<LocalDate> to, BigDecimal value, String source) {
        boolean covers(LocalDate d) {
            return !d.isBefore(from) && (to.isEmpty() || !d.isAfter(to.get()));
        }
    }

    private Regimes(String jurisdiction, String currency, LocalDate retrieved, Map<String, List<Scale>> scales,
            Map<String, List<Dated>> values) {
        this.jurisdiction = jurisdiction;
        this.currency = currency;
        this.retrieved = retrieved;
        this.scales = scales;
        this.values = values;
    }

    /** Reads {@code tax/<jurisdiction>.json}. */
    public static Regimes load(String jurisdiction) {
        String resource = "/com/enterprisehub/geo/localization/tax/" + jurisdiction + ".json";
        try (InputStream in = Regimes.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new LocalizationException("The rates file " + resource + " is missing from the class path.");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            Map<String, List<Scale>> scales = new HashMap<>();
            root.path("scales").fields().forEachRemaining(e -> {
                List<Scale> versions = new ArrayList<>();
                for (JsonNode v : e.getValue()) {
                    List<Scale.Band> bands = new ArrayList<>();
                    for (JsonNode b : v.get("bands")) {
                        bands.add(new Scale.Band(decimal(b, "upTo"), decimal(b, "percent"), decimal(b, "perUnit"),
                                decimal(b, "unit"), decimal(b, "base"), b.path("whole").asBoolean(false),
                                b.path("majorFraction").asBoolean(false)));
                    }
                    versions.add(new Scale(LocalDate.parse(v.get("from").asText()), date(v, "to"), v.get("source").asText(),
                            bands));
                }
                scales.put(e.getKey(), List.copyOf(versions));
            });
            Map<String, List<Dated>> values = new HashMap<>();
            root.path("values").fields().forEachRemaining(e -> {
                List<Dated> versions = new ArrayList<>();
                for (JsonNode v : e.getValue()) {
                    versions.add(new Dated(LocalDate.parse(v.get("from").asText()), date(v, "to"),
                            new BigDecimal(v.get("value").asText()), v.get("source").asText()));
                }
                values.put(e.getKey(), List.copyOf(versions));
            });
            if (!root.hasNonNull("retrieved")) {
                throw new LocalizationException("The rates file " + resource + " has no 'retrieved' date (when its"
                        + " figures were last checked against the official sources); add one.");
            }
            return new Regimes(jurisdiction, root.get("currency").asText(), LocalDate.parse(root.get("retrieved")
                    .asText()), Map.copyOf(scales), Map.copyOf(values));
        } catch (IOException | RuntimeException e) {
            if (e instanceof LocalizationException le) {
                throw le;
            }
            throw new LocalizationException("Cannot read the rates file " + resource + ": " + e.getMessage(), e);
        }
    }

    private static Optional<BigDecimal> decimal(JsonNode n, String field) {
        return n.hasNonNull(field) ? Optional.of(new BigDecimal(n.get(field).asText())) : Optional.empty();
    }

    private static Optional<LocalDate> date(JsonNode n, String field) {
        return n.hasNonNull(field) ? Optional.of(LocalDate.parse(n.get(field).asText())) : Optional.empty();
    }

    /** The currency prices are in (ISO 4217). */
    public String currency() {
        return currency;
    }

    /** The scale {@code name} in force on {@code date}. */
    public Scale scale(String name, LocalDate date) {
        for (Scale s : scales.getOrDefault(name, List.of())) {
            if (!date.isBefore(s.from()) && (s.to().isEmpty() || !date.isAfter(s.to().get()))) {
                return s;
            }
        }
        throw new TransferTaxException(jurisdiction + ": no " + name + " rates are known for " + date + "; known: "
                + periods(scales.getOrDefault(name, List.of()).stream().map(s -> new Dated(s.from(), s.to(), BigDecimal.ZERO,
                        "")).toList()) + ". The SDK does not guess rates outside the periods it has from official sources.");
    }

    /** The value {@code name} in force on {@code date}, if any version covers it. */
    public Optional<Dated> value(String name, LocalDate date) {
        return values.getOrDefault(name, List.of()).stream().filter(d -> d.covers(date)).findFirst();
    }

    /**
     * The value {@code name} in force on {@code date}.
     *
     * @throws TransferTaxException naming the periods known, if no version covers the date
     */
    public Dated require(String name, LocalDate date) {
        return value(name, date).orElseThrow(() -> new TransferTaxException(jurisdiction + ": no " + name
                + " figure is known for " + date + "; known: " + periods(values.getOrDefault(name, List.of()))
                + ". The SDK does not guess rates outside the periods it has from official sources."));
    }

    /** The periods the value {@code name} is known for, as messages write them. */
    public String periods(String name) {
        return periods(values.getOrDefault(name, List.of()));
    }

    /** The day this jurisdiction's figures were last checked against the official sources. */
    public LocalDate retrieved() {
        return retrieved;
    }

    /**
     * Refuses a date more than {@link #HORIZON} after {@link #retrieved()}.
     *
     * @throws TransferTaxException saying when the rates were checked and what to do
     */
    public void requireWithinHorizon(LocalDate date) {
        LocalDate last = retrieved.plus(HORIZON);
        if (date.isAfter(last)) {
            throw new TransferTaxException(jurisdiction + ": " + date + " is more than one year after " + retrieved
                    + ", when the SDK's rates were last checked against the official sources (the last date computed is "
                    + last + "). Budgets and indexation change rates at least yearly, and the SDK does not guess the"
                    + " rates of " + date + ". Use a newer geo-localization, or give a calculator with current rates"
                    + " through the TransferTaxCalculator SPI (a higher priority() replaces the SDK's).");
        }
    }

    private static String periods(List<Dated> versions) {
        List<String> p = new ArrayList<>();
        for (Dated d : versions) {
            p.add(d.from() + " to " + d.to().map(LocalDate::toString).orElse("now"));
        }
        return p.toString();
    }
}
