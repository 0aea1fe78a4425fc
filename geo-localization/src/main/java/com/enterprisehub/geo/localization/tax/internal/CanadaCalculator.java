package com.enterprisehub.geo.localization.tax.internal;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.localization.tax.internal.Lines.Flag;
import com.enterprisehub.geo.spi.tax.Payer;
import com.enterprisehub.geo.spi.tax.TaxLine;
import com.enterprisehub.geo.spi.tax.TransferTaxCalculator;
import com.enterprisehub.geo.spi.tax.TransferTaxRequest;
import com.enterprisehub.geo.spi.tax.TransferTaxResult;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Ontario (land transfer tax, first-time homebuyer refund, non-resident speculation tax) with Toronto's
 * municipal land transfer tax, rebate and non-resident tax; British Columbia (property transfer tax, first
 * time home buyers' exemption, additional property transfer tax in its specified areas). Residential land
 * with one or two single-family residences. Registered through {@code ServiceLoader}; not part of the API.
 */
public final class CanadaCalculator implements TransferTaxCalculator {
    /**
     * Municipalities of BC's specified areas for the additional property transfer tax (Metro Vancouver,
     * Fraser Valley, Capital, Central Okanagan and Nanaimo regional districts): the main ones; another place
     * must be named by its regional district.
     */
    private static final Set<String> BC_SPECIFIED = Set.of("vancouver", "burnaby", "surrey", "richmond", "coquitlam",
            "north vancouver", "west vancouver", "new westminster", "delta", "langley", "port moody", "maple ridge",
            "white rock", "abbotsford", "chilliwack", "mission", "victoria", "saanich", "langford", "kelowna",
            "west kelowna", "nanaimo", "parksville", "metro vancouver", "fraser valley", "capital regional district",
            "central okanagan", "regional district of nanaimo");
    private static final Set<String> BC_ELSEWHERE = Set.of("kamloops", "prince george", "vernon", "penticton",
            "fort st. john", "cranbrook", "elsewhere in bc");
    private static final Set<String> BC_PLACES = java.util.stream.Stream.concat(BC_SPECIFIED.stream(),
            BC_ELSEWHERE.stream()).collect(java.util.stream.Collectors.toUnmodifiableSet());
    private final Regimes ontario = Regimes.load("CA-ON");
    private final Regimes bc = Regimes.load("CA-BC");
    private final Regimes quebec = Regimes.load("CA-QC");
    private final Regimes alberta = Regimes.load("CA-AB");

    @Override
    public String name() {
        return "ca";
    }

    @Override
    public Set<String> jurisdictions() {
        return Set.of("CA-ON", "CA-BC", "CA-QC", "CA-AB");
    }

    @Override
    public TransferTaxResult calculate(TransferTaxRequest r) {
        // the buyer flags each province has a rule for; the others are named in the result's notes
        return switch (r.jurisdiction().code()) {
            case "CA-ON" -> Lines.calculate(r, ontario, EnumSet.of(Flag.FIRST_TIME_BUYER, Flag.NON_RESIDENT),
                    () -> ontario(r));
            case "CA-QC" -> Lines.calculate(r, quebec, EnumSet.noneOf(Flag.class), () -> quebec(r));
            case "CA-AB" -> Lines.calculate(r, alberta, EnumSet.noneOf(Flag.class), () -> alberta(r));
            default -> Lines.calculate(r, bc, r.firstTimeBuyer() ? EnumSet.of(Flag.FIRST_TIME_BUYER,
                    Flag.NON_RESIDENT, Flag.NOT_OWNER_OCCUPIER) : EnumSet.of(Flag.FIRST_TIME_BUYER, Flag.NON_RESIDENT),
                    () -> britishColumbia(r));
        };
    }

    private TransferTaxResult ontario(TransferTaxRequest r) {
        Lines.requireCurrency(r, ontario);
        LocalDate d = r.transferDate();
        BigDecimal v = r.priceValue();
        Lines.requireNoCityExcept(r, Set.of("toronto"));
        boolean toronto = r.city().isPresent();
        List<TaxLine> lines = new ArrayList<>();
        Scale scale = ontario.scale("ontario", d);
        Scale.Evaluation e = scale.evaluate(v);
        lines.add(Lines.line(r, "Ontario Ministry of Finance", "Land transfer tax", Lines.cents(e.tax()), Payer.BUYER,
                e.bands(), scale.source(), List.of("Marginal brackets for land with one or two single-family"
                        + " residences.")));
        if (r.firstTimeBuyer()) {
            refund(r, "ontario-first-time-refund-max", "Ontario Ministry of Finance", "First-time homebuyer refund",
                    e.tax(), " (Canadian citizens and permanent residents).", lines);
        }
        if (toronto) {
            Scale mltt = ontario.scale("toronto", d);
            Scale.Evaluation m = mltt.evaluate(v);
            lines.add(Lines.line(r, "City of Toronto", "Municipal land transfer tax", Lines.cents(m.tax()), Payer.BUYER,
                    m.bands(), mltt.source(), List.of("Marginal brackets; the rates in force on the registration"
                            + " date.")));
            if (r.firstTimeBuyer()) {
                refund(r, "toronto-first-time-rebate-max", "City of Toronto", "First-time purchaser rebate", m.tax(),
                        ".", lines);
            }
        }
        if (r.nonResident()) {
            flat(r, ontario, "Ontario Ministry of Finance", "Non-resident speculation tax", "nrst-percent", v, lines);
            if (toronto) {
                flat(r, ontario, "City of Toronto", "Municipal non-resident speculation tax", "toronto-mnrst-percent",
                        v, lines);
            }
        }
        return Lines.result(r, lines, List.of());
    }

    private TransferTaxResult britishColumbia(TransferTaxRequest r) {
        Lines.requireCurrency(r, bc);
        LocalDate d = r.transferDate();
        BigDecimal v = r.priceValue();
        Scale scale = bc.scale("general", d);
        Scale.Evaluation e = scale.evaluate(v);
        List<TaxLine> lines = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (r.firstTimeBuyer() && !r.ownerOccupier()) {
            notes.add("No first time home buyers' exemption: it requires the buyer to live in the home (the request"
                    + " says the buyer will not).");
        }
        lines.add(Lines.line(r, "Government of British Columbia", "Property transfer tax", Lines.cents(e.tax()), Payer.BUYER,
                e.bands(), scale.source(), List.of("On fair market value; the further 2% applies to a residential"
                        + " property's value over $3,000,000.")));
        if (r.firstTimeBuyer() && r.ownerOccupier()) {
            BigDecimal full = bc.require("fthb-full-up-to", d).value();
            BigDecimal fixedTo = bc.require("fthb-fixed-up-to", d).value();
            BigDecimal noneFrom = bc.require("fthb-none-from", d).value();
            BigDecimal atFull = scale.evaluate(full).tax();
            BigDecimal exemption;
            String note;
            if (v.compareTo(full) <= 0) {
                exemption = e.tax();
                note = "Full exemption up to $" + full.toPlainString() + ".";
            } else if (v.compareTo(fixedTo) <= 0) {
                exemption = atFull;
                note = "Exemption of the tax on the first $" + full.toPlainString() + " up to $" + fixedTo.toPlainString()
                        + ".";
            } else if (v.compareTo(noneFrom) < 0) {
                exemption = atFull.multiply(noneFrom.subtract(v)).divide(noneFrom.subtract(fixedTo), 2,
                        RoundingMode.HALF_UP);
                note = "Exemption reduced in proportion between $" + fixedTo.toPlainString() + " and $"
                        + noneFrom.toPlainString() + " (linear reduction assumed: the official formula was not"
                        + " available).";
            } else {
                exemption = BigDecimal.ZERO;
                note = "No first time home buyers' exemption from $" + noneFrom.toPlainString() + ".";
            }
            if (exemption.signum() > 0) {
                lines.add(Lines.line(r, "Government of British Columbia", "First time home buyers' exemption",
                        Lines.cents(exemption).negate(), Payer.BUYER, List.of(),
                        bc.require("fthb-full-up-to", d).source(), List.of(note)));
            }
        }
        if (r.nonResident()) {
            String city = r.city().map(c -> Lines.place(r)).orElseThrow(() -> new GeoValidationException(
                    "British Columbia's additional property transfer tax depends on the area: give the city (e.g."
                            + " 'Vancouver', 'Kelowna') or 'Elsewhere in BC'."));
            if (BC_SPECIFIED.contains(city)) {
                flat(r, bc, "Government of British Columbia", "Additional property transfer tax", "aptt-percent", v,
                        lines);
            } else if (!BC_ELSEWHERE.contains(city)) {
                throw new GeoValidationException("Unknown British Columbian place '" + r.city().get() + "': name its"
                        + " regional district (Metro Vancouver, Fraser Valley, Capital Regional District, Central"
                        + " Okanagan, Regional District of Nanaimo) or 'Elsewhere in BC'.");
            }
        } else {
            Lines.requireNoCityExcept(r, BC_PLACES);
        }
        return Lines.result(r, lines, notes);
    }

    private TransferTaxResult quebec(TransferTaxRequest r) {
        Lines.requireCurrency(r, quebec);
        String city = Lines.place(r);
        String scaleName = switch (city) {
            case "" -> "province";
            case "montreal" -> "montreal";
            case "dollard-des-ormeaux" -> "dollard-des-ormeaux";
            default -> throw new GeoValidationException("The transfer duties of '" + r.city().get() + "' are not in the"
                    + " SDK's data: municipalities may set their own rates above $500,000. Covered: Montréal,"
                    + " Dollard-des-Ormeaux, or no city for the provincial schedule.");
        };
        Scale scale = quebec.scale(scaleName, r.transferDate());
        Scale.Evaluation e = scale.evaluate(r.priceValue());
        List<String> notes = new ArrayList<>();
        notes.add("The base is the greatest of the consideration and the market value (roll value times the"
                + " comparative factor); the price is used here.");
        if (scaleName.equals("province")) {
            notes.add("Provincial schedule only: the municipality may levy a higher rate on the part over $500,000"
                    + " (up to 3%, Montréal without limit); give the city.");
        }
        String authority = switch (scaleName) {
            case "montreal" -> "Ville de Montréal";
            case "dollard-des-ormeaux" -> "Ville de Dollard-des-Ormeaux";
            default -> "Municipality (Québec)";
        };
        return Lines.result(r, List.of(Lines.line(r, authority, "Duties on transfers of immovables (welcome tax)",
                Lines.cents(e.tax()), Payer.BUYER, e.bands(), scale.source(), notes)), List.of());
    }

    private TransferTaxResult alberta(TransferTaxRequest r) {
        Lines.requireCurrency(r, alberta);
        Lines.requireNoCity(r);
        Scale scale = alberta.scale("transfer", r.transferDate());
        Scale.Evaluation e = scale.evaluate(r.priceValue());
        return Lines.result(r, List.of(Lines.line(r, "Alberta Land Titles", "Transfer of land registration levy",
                Lines.cents(e.tax()), Payer.BUYER, e.bands(), scale.source(), List.of("A mortgage registration levies $50 +"
                        + " $5 per $5,000 of principal as well; not included (the request has no mortgage)."))),
                List.of("Alberta levies no land transfer tax; only land titles registration fees."));
    }

    /** A first-time buyer refund of the tax, up to the maximum in force under {@code key}: a negative line. */
    private void refund(TransferTaxRequest r, String key, String authority, String name, BigDecimal tax,
            String condition, List<TaxLine> lines) {
        Regimes.Dated max = ontario.require(key, r.transferDate());
        lines.add(Lines.line(r, authority, name, Lines.cents(tax).min(max.value()).negate(), Payer.BUYER, List.of(),
                max.source(), List.of("Up to $" + max.value().toPlainString() + condition)));
    }

    private static void flat(TransferTaxRequest r, Regimes regimes, String authority, String name, String key,
            BigDecimal value, List<TaxLine> lines) {
        Lines.surcharge(r, regimes, authority, name, key, value, Lines::cents,
                "Foreign nationals, foreign corporations and taxable trustees.", lines);
    }
}
