package com.enterprisehub.geo.localization.tax.internal;

import com.enterprisehub.geo.localization.tax.internal.Lines.Flag;
import com.enterprisehub.geo.spi.tax.Payer;
import com.enterprisehub.geo.spi.tax.TransferTaxCalculator;
import com.enterprisehub.geo.spi.tax.TransferTaxException;
import com.enterprisehub.geo.spi.tax.TransferTaxRequest;
import com.enterprisehub.geo.spi.tax.TransferTaxResult;
import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * US states whose deed taxes are a rate per unit of the whole price: North Carolina, Georgia, Florida (with
 * Miami-Dade's rate), Colorado's documentary fee; and Texas and Arizona, which levy none (said so explicitly).
 * Registered through {@code ServiceLoader}; not part of the API.
 */
public final class UsCalculator implements TransferTaxCalculator {
    private final Regimes nc = Regimes.load("US-NC");
    private final Regimes ga = Regimes.load("US-GA");
    private final Regimes fl = Regimes.load("US-FL");
    private final Regimes co = Regimes.load("US-CO");
    private final Regimes tx = Regimes.load("US-TX");
    private final Regimes az = Regimes.load("US-AZ");
    private final Regimes ny = Regimes.load("US-NY");
    private final Regimes il = Regimes.load("US-IL");
    private final Regimes ca = Regimes.load("US-CA");

    @Override
    public String name() {
        return "us";
    }

    @Override
    public Set<String> jurisdictions() {
        return Set.of("US-NC", "US-GA", "US-FL", "US-CO", "US-TX", "US-AZ", "US-NY", "US-IL", "US-CA");
    }

    @Override
    public TransferTaxResult calculate(TransferTaxRequest r) {
        Regimes regimes = switch (r.jurisdiction().code()) {
            case "US-NC" -> nc;
            case "US-GA" -> ga;
            case "US-FL" -> fl;
            case "US-CO" -> co;
            case "US-TX" -> tx;
            case "US-NY" -> ny;
            case "US-IL" -> il;
            case "US-CA" -> ca;
            default -> az;
        };
        // no deed tax of these states depends on who the buyer is: every buyer flag is named in the notes
        return Lines.calculate(r, regimes, EnumSet.noneOf(Flag.class), () -> compute(r));
    }

    private TransferTaxResult compute(TransferTaxRequest r) {
        BigDecimal v = r.priceValue();
        return switch (r.jurisdiction().code()) {
            case "US-NC" -> perUnit(r, nc, "excise", "North Carolina register of deeds (county)",
                    "Excise tax on conveyances", Payer.SELLER, v);
            case "US-GA" -> perUnit(r, ga, "transfer", "Georgia clerk of superior court (county)",
                    "Real estate transfer tax", Payer.SELLER, v);
            case "US-FL" -> florida(r, v);
            case "US-CO" -> colorado(r, v);
            case "US-TX" -> none(r, tx, "Texas levies no real estate transfer tax");
            case "US-NY" -> newYork(r, v);
            case "US-IL" -> illinois(r, v);
            case "US-CA" -> california(r, v);
            default -> none(r, az, "Arizona levies no real estate transfer tax");
        };
    }

    private static TransferTaxResult perUnit(TransferTaxRequest r, Regimes regimes, String scaleName, String authority,
            String tax, Payer payer, BigDecimal v) {
        Lines.requireCurrency(r, regimes);
        Lines.requireNoCity(r);
        List<com.enterprisehub.geo.spi.tax.TaxLine> lines = new java.util.ArrayList<>();
        add(r, regimes, scaleName, v, authority, tax, payer, lines);
        return Lines.result(r, lines, List.of());
    }

    private TransferTaxResult florida(TransferTaxRequest r, BigDecimal v) {
        Lines.requireCurrency(r, fl);
        Lines.requireNoCityExcept(r, Set.of("miami", "miami-dade"));
        boolean miamiDade = r.city().isPresent();
        Scale scale = fl.scale(miamiDade ? "deeds-miami-dade" : "deeds", r.transferDate());
        Scale.Evaluation e = scale.evaluate(v);
        List<String> notes = miamiDade
                ? List.of("Miami-Dade County: 60 cents per $100; a single-family residence (including a condominium"
                        + " unit) pays no discretionary surtax.", "Customarily paid by the seller.")
                : List.of("Customarily paid by the seller.");
        return Lines.result(r, List.of(Lines.line(r, "Florida Department of Revenue", "Documentary stamp tax on deeds",
                e.tax(), Payer.SELLER, e.bands(), scale.source(), notes)), List.of());
    }

    private TransferTaxResult colorado(TransferTaxRequest r, BigDecimal v) {
        Lines.requireCurrency(r, co);
        Lines.requireNoCity(r);
        Scale scale = co.scale("documentary-fee", r.transferDate());
        // the data's first band (up to $500 at 0%) is the statute's exemption of deeds of $500 or less; above it,
        // one cent per $100 or major fraction of the whole price
        Scale.Evaluation e = scale.evaluate(v);
        return Lines.result(r, List.of(Lines.line(r, "Colorado county clerk and recorder", "Documentary fee", e.tax(),
                Payer.NEGOTIABLE, e.bands(), scale.source(), List.of("Paid by whoever records the deed; a small"
                        + " buyer-side closing item by custom. Some towns (Aspen, Vail, Breckenridge, ...) levy a"
                        + " real estate transfer tax of their own, not modelled."))), List.of());
    }

    private TransferTaxResult newYork(TransferTaxRequest r, BigDecimal v) {
        Lines.requireCurrency(r, ny);
        Lines.requireNoCityExcept(r, Set.of("new york city", "new york"));
        boolean nyc = r.city().isPresent();
        List<com.enterprisehub.geo.spi.tax.TaxLine> lines = new java.util.ArrayList<>();
        add(r, ny, "state", v, "New York State Department of Taxation and Finance", "Real estate transfer tax",
                Payer.SELLER, lines);
        if (nyc) {
            add(r, ny, "state-nyc-additional", v, "New York State Department of Taxation and Finance",
                    "Real estate transfer tax, New York City additional base tax", Payer.SELLER, lines);
        }
        add(r, ny, "mansion", v, "New York State Department of Taxation and Finance", "Mansion tax", Payer.BUYER,
                lines);
        if (nyc) {
            add(r, ny, "nyc-supplemental", v, "New York State Department of Taxation and Finance",
                    "Supplemental (progressive mansion) tax", Payer.BUYER, lines);
            add(r, ny, "nyc-rptt", v, "NYC Department of Finance", "Real property transfer tax", Payer.SELLER, lines);
        }
        return Lines.result(r, lines, List.of());
    }

    private TransferTaxResult illinois(TransferTaxRequest r, BigDecimal v) {
        Lines.requireCurrency(r, il);
        Lines.requireNoCityExcept(r, Set.of("chicago"));
        boolean chicago = r.city().isPresent();
        List<com.enterprisehub.geo.spi.tax.TaxLine> lines = new java.util.ArrayList<>();
        add(r, il, "state", v, "Illinois Department of Revenue (county recorder)", "State real estate transfer tax",
                Payer.SELLER, lines);
        List<String> notes = new java.util.ArrayList<>();
        if (chicago) {
            add(r, il, "cook", v, "Cook County", "County real estate transfer tax", Payer.SELLER, lines);
            add(r, il, "chicago", v, "City of Chicago", "Real property transfer tax", Payer.BUYER, lines);
            add(r, il, "chicago-cta", v, "City of Chicago", "Real property transfer tax, CTA portion", Payer.SELLER,
                    lines);
        } else {
            notes.add("Counties levy up to 25 cents per $500 and some municipalities their own tax: give the city"
                    + " (Chicago is covered) to include them.");
        }
        return Lines.result(r, lines, notes);
    }

    private TransferTaxResult california(TransferTaxRequest r, BigDecimal v) {
        Lines.requireCurrency(r, ca);
        String city = Lines.place(r);
        List<com.enterprisehub.geo.spi.tax.TaxLine> lines = new java.util.ArrayList<>();
        List<String> notes = new java.util.ArrayList<>();
        switch (city) {
            case "los angeles" -> {
                add(r, ca, "county", v, "Los Angeles County Registrar-Recorder", "Documentary transfer tax",
                        Payer.SELLER, lines);
                add(r, ca, "los-angeles", v, "City of Los Angeles", "Real property transfer tax", Payer.SELLER, lines);
                add(r, ca, "los-angeles-ula", v, "City of Los Angeles", "Measure ULA (homelessness and housing"
                        + " solutions tax)", Payer.SELLER, lines);
            }
            case "san francisco" -> add(r, ca, "san-francisco", v, "City and County of San Francisco",
                    "Real property transfer tax", Payer.SELLER, lines);
            case "" -> {
                add(r, ca, "county", v, "County recorder", "Documentary transfer tax", Payer.SELLER, lines);
                notes.add("Some charter cities levy a transfer tax of their own (Los Angeles and San Francisco are"
                        + " covered): give the city to include it.");
            }
            default -> throw new com.enterprisehub.geo.core.GeoValidationException("The city transfer tax of '"
                    + r.city().get() + "' is not in the SDK's data; covered: Los Angeles, San Francisco, or no city"
                    + " for the county tax alone.");
        }
        return Lines.result(r, lines, notes);
    }

    /** Adds the tax of scale {@code name} when it is not zero. */
    private static void add(TransferTaxRequest r, Regimes regimes, String name, BigDecimal v, String authority,
            String tax, Payer payer, List<com.enterprisehub.geo.spi.tax.TaxLine> lines) {
        Scale scale = regimes.scale(name, r.transferDate());
        Scale.Evaluation e = scale.evaluate(v);
        BigDecimal amount = Lines.cents(e.tax());
        if (amount.signum() > 0) {
            lines.add(Lines.line(r, authority, tax, amount, payer, e.bands(), scale.source(),
                    List.of("Customarily paid by the " + payer.name().toLowerCase(java.util.Locale.ROOT) + ".")));
        }
    }

    private static TransferTaxResult none(TransferTaxRequest r, Regimes regimes, String statement) {
        Lines.requireCurrency(r, regimes);
        Lines.requireNoCity(r);
        Regimes.Dated none = regimes.value("none", r.transferDate()).orElseThrow(() -> new TransferTaxException(
                r.jurisdiction().code() + ": the SDK's official source that no transfer tax is levied covers "
                        + regimes.periods("none") + "; " + r.transferDate() + " is outside it. The SDK does not guess"
                        + " rates outside the periods it has from official sources."));
        return Lines.result(r, List.of(), List.of(statement + " (" + none.source() + "). County recording fees"
                + " are not a transfer tax and are not included."));
    }
}
