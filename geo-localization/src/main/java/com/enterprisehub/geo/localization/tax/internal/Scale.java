package com.enterprisehub.geo.localization.tax.internal;

import com.enterprisehub.geo.spi.tax.BandContribution;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A tax scale in force from a date: bands, each taxing the part of the value above its lower bound (in
 * percent, or an amount per unit "or part" of a unit), the band holding the value adding a fixed base when
 * the authority publishes one, or taxing the whole value ({@code whole}). Immutable. Not part of the API.
 *
 * @param from first day in force
 * @param to last day in force; empty while current
 * @param source the official source of the scale
 * @param bands from the lowest
 */
public record Scale(java.time.LocalDate from, Optional<java.time.LocalDate> to, String source, List<Band> bands) {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    public Scale {
        bands = List.copyOf(bands);
    }

    /**
     * One band: up to {@code upTo} (inclusive; empty for the top band), {@code percent} of the excess over the
     * band's lower bound, or {@code perUnit} for every {@code unit} or part of it ({@code majorFraction}: for
     * every unit or major fraction of it, i.e. units rounded half up); {@code base} is the tax at the lower bound
     * when published (else the sum of the bands below); {@code whole} taxes the whole value.
     */
    public record Band(Optional<BigDecimal> upTo, Optional<BigDecimal> percent, Optional<BigDecimal> perUnit,
            Optional<BigDecimal> unit, Optional<BigDecimal> base, boolean whole, boolean majorFraction) {
        String describe() {
            if (percent.isPresent()) {
                return percent.get().stripTrailingZeros().toPlainString() + "%" + (whole ? " of the whole value" : "");
            }
            return perUnit.orElseThrow().toPlainString() + " per " + unit.orElseThrow().toPlainString()
                    + (majorFraction ? " or major fraction" : " or part");
        }

        /** The tax on {@code amount} (an excess over the lower bound, or the whole value). */
        BigDecimal on(BigDecimal amount) {
            if (percent.isPresent()) {
                return amount.multiply(percent.get()).divide(HUNDRED);
            }
            BigDecimal units = amount.divide(unit.orElseThrow(), 0,
                    majorFraction ? RoundingMode.HALF_UP : RoundingMode.CEILING);
            return units.multiply(perUnit.orElseThrow());
        }
    }

    /** The upper bound of the last band, when the scale stops there (a concession's price limit). */
    public Optional<BigDecimal> ceiling() {
        return bands.get(bands.size() - 1).upTo();
    }

    /** The same scale with {@code points} percentage points added to every band (UK surcharges). */
    public Scale plus(BigDecimal points) {
        List<Band> raised = new ArrayList<>();
        for (Band b : bands) {
            if (b.percent().isEmpty() || b.base().isPresent()) {
                throw new IllegalStateException("only a plain percentage scale can take a surcharge");
            }
            raised.add(new Band(b.upTo(), Optional.of(b.percent().get().add(points)), Optional.empty(), Optional.empty(),
                    Optional.empty(), b.whole(), false));
        }
        return new Scale(from, to, source, raised);
    }

    /** The unrounded tax on {@code value} and how each band contributed. */
    public Evaluation evaluate(BigDecimal value) {
        List<BandContribution> parts = new ArrayList<>();
        BigDecimal lower = BigDecimal.ZERO;
        BigDecimal total = BigDecimal.ZERO;
        for (Band b : bands) {
            boolean holds = b.upTo().isEmpty() || value.compareTo(b.upTo().get()) <= 0;
            if (!holds && b.base().isEmpty() && !b.whole()) {
                BigDecimal slice = b.upTo().get().subtract(lower);
                BigDecimal tax = b.on(slice);
                parts.add(new BandContribution(lower, b.upTo(), b.describe(), slice, tax));
                total = total.add(tax);
            }
            if (holds) {
                if (b.whole()) {
                    BigDecimal tax = b.on(value);
                    return new Evaluation(tax, List.of(new BandContribution(lower, b.upTo(), b.describe(), value, tax)));
                }
                if (b.base().isPresent()) {
                    parts.clear();
                    total = b.base().get();
                    if (total.signum() > 0) {
                        parts.add(new BandContribution(BigDecimal.ZERO, Optional.of(lower), "base amount", lower, total));
                    }
                }
                BigDecimal excess = value.subtract(lower);
                BigDecimal tax = b.on(excess);
                parts.add(new BandContribution(lower, b.upTo(), b.describe(), excess, tax));
                return new Evaluation(total.add(tax), parts);
            }
            lower = b.upTo().get();
        }
        throw new IllegalStateException("a scale's last band is open");
    }

    /** An unrounded tax with its band contributions. */
    public record Evaluation(BigDecimal tax, List<BandContribution> bands) {
    }
}
