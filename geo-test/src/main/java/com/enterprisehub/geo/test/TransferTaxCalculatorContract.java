package com.enterprisehub.geo.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.enterprisehub.geo.core.market.Jurisdiction;
import com.enterprisehub.geo.spi.tax.TaxLine;
import com.enterprisehub.geo.spi.tax.TransferTaxCalculator;
import com.enterprisehub.geo.spi.tax.TransferTaxException;
import com.enterprisehub.geo.spi.tax.TransferTaxRequest;
import com.enterprisehub.geo.spi.tax.TransferTaxResult;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.money.MonetaryAmount;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The contract every {@link TransferTaxCalculator} must pass. Extend it, give the calculator and 3 to 6 realistic
 * requests of its jurisdictions, and run it with JUnit 5:
 *
 * <pre>{@code
 * class WashingtonCalculatorContractTest extends TransferTaxCalculatorContract {
 *     protected TransferTaxCalculator calculator() { return new WashingtonCalculator(); }
 *     protected List<TransferTaxRequest> sampleRequests() {
 *         LocalDate date = LocalDate.of(2026, 3, 2);
 *         return List.of(TransferTaxRequest.builder(Money.of(400_000, "USD"), "US-WA", date).build(),
 *                 TransferTaxRequest.builder(Money.of(3_500_000, "USD"), "US-WA", date).notOwnerOccupier().build());
 *     }
 * }
 * }</pre>
 *
 * <p>It checks that:
 * <ul>
 *   <li>{@code name()} is a provider name (lowercase letters and digits in groups joined by '-');</li>
 *   <li>{@code jurisdictions()} is not empty and holds ISO 3166-2 codes as {@link Jurisdiction#of} writes them;</li>
 *   <li>for each sample request (one dynamic test each): the result's request is the one asked, its total is the sum
 *       of its lines, every amount is in the jurisdiction's currency and not negative, every line names its authority,
 *       tax and source; computing it twice, or from an equal request, gives an equal result, and so does computing
 *       it from 8 threads at once;</li>
 *   <li>a sample dated 1800-01-01, before any regime, is refused with a {@link TransferTaxException} (any other
 *       exception, a {@code NoSuchElementException} say, or a result, fails), and so is such a plain request in
 *       every jurisdiction of a country the samples cover.</li>
 * </ul>
 * A calculator that diverges from the contract in a known way states it in the open, and the kit holds it to the
 * statement: an exception other than {@link TransferTaxException} for a date before every regime
 * ({@link #knownDefectBeforeEveryRegime}: exactly that exception is then expected), or lines that are negative (a
 * refund or an exemption itemized as a line of its own, {@link #knownNegativeLines}: exactly those may be negative).
 * Once the divergence is gone the kit fails and asks for the statement to be removed.
 *
 * <p>Calculators must be immutable and thread-safe; the kit itself is not (JUnit makes one instance per test).
 */
public abstract class TransferTaxCalculatorContract {
    /** A date before any transfer-tax regime a calculator could know. */
    protected static final LocalDate BEFORE_EVERY_REGIME = LocalDate.of(1800, 1, 1);
    private static final Pattern PROVIDER_NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    private static final int THREADS = 8;

    /** The calculator under test; it may be the same instance each time (calculators are immutable). */
    protected abstract TransferTaxCalculator calculator();

    /**
     * Realistic requests (3 to 6) in the calculator's jurisdictions, prices in the jurisdiction's currency: the
     * amounts and dates of the calculator's own tests, with the buyers, cities and reliefs it handles.
     */
    protected abstract List<TransferTaxRequest> sampleRequests();

    /**
     * The exception {@code jurisdiction} is known to throw, instead of a {@link TransferTaxException}, for a date
     * before every regime: a known defect stated in the open. The kit then expects exactly that type. Default: none.
     */
    protected Optional<Class<? extends RuntimeException>> knownDefectBeforeEveryRegime(Jurisdiction jurisdiction) {
        return Optional.empty();
    }

    /**
     * The names ({@link TaxLine#tax()}) of lines known to be negative: a refund or an exemption itemized as a line of
     * its own, which the contract does not allow (it belongs in the line it reduces), stated in the open. The kit then
     * lets exactly these lines be negative (never the total), and fails if no sample shows one of them negative any
     * more. Default: none.
     */
    protected Set<String> knownNegativeLines() {
        return Set.of();
    }

    /** The ISO 4217 currency of {@code jurisdiction}'s country. */
    protected static String currencyOf(Jurisdiction jurisdiction) {
        return Currency.getInstance(new Locale("", jurisdiction.country())).getCurrencyCode();
    }

    /** {@code request} with another transfer date. */
    protected static TransferTaxRequest dated(TransferTaxRequest r, LocalDate date) {
        return new TransferTaxRequest(r.price(), date, r.jurisdiction(), r.city(), r.firstTimeBuyer(),
                r.additionalDwelling(), r.nonResident(), r.ownerOccupier(), r.newHome());
    }

    /** How a sample is named in the test report ("GB-ENG GBP 295000 on 2026-11-24, first-time buyer"). */
    protected static String describe(TransferTaxRequest r) {
        StringBuilder s = new StringBuilder(r.jurisdiction().code()).append(' ')
                .append(r.price().getCurrency().getCurrencyCode()).append(' ')
                .append(r.price().getNumber().numberValue(BigDecimal.class).toPlainString()).append(" on ")
                .append(r.transferDate());
        r.city().ifPresent(c -> s.append(", ").append(c));
        if (r.firstTimeBuyer()) {
            s.append(", first-time buyer");
        }
        if (r.additionalDwelling()) {
            s.append(", additional dwelling");
        }
        if (r.nonResident()) {
            s.append(", non-resident");
        }
        if (!r.ownerOccupier()) {
            s.append(", not owner-occupier");
        }
        if (r.newHome()) {
            s.append(", new home");
        }
        return s.toString();
    }

    private static BigDecimal value(MonetaryAmount amount) {
        return amount.getNumber().numberValue(BigDecimal.class);
    }

    private List<TransferTaxRequest> samples() {
        List<TransferTaxRequest> samples = sampleRequests();
        assertThat(samples).as("sampleRequests()").isNotEmpty().doesNotContainNull();
        return samples;
    }

    private Stream<DynamicTest> perSample(java.util.function.Consumer<TransferTaxRequest> check) {
        return samples().stream().map(r -> DynamicTest.dynamicTest(describe(r), () -> check.accept(r)));
    }

    @Test
    void itsNameIsAProviderName() {
        assertThat(calculator().name()).as("name()").isNotNull().matches(PROVIDER_NAME);
    }

    @Test
    void itsJurisdictionsAreIso31662Codes() {
        Set<String> jurisdictions = calculator().jurisdictions();
        assertThat(jurisdictions).as("jurisdictions()").isNotEmpty().doesNotContainNull();
        for (String code : jurisdictions) {
            assertThat(Jurisdiction.of(code).code()).as("jurisdiction '%s' as Jurisdiction.of writes it", code)
                    .isEqualTo(code);
        }
    }

    @Test
    void theSamplesFitTheCalculator() {
        for (TransferTaxRequest r : samples()) {
            assertThat(calculator().jurisdictions()).as("the jurisdictions, for sample %s", describe(r))
                    .contains(r.jurisdiction().code());
            assertThat(r.price().getCurrency().getCurrencyCode()).as("the price's currency in sample %s", describe(r))
                    .isEqualTo(currencyOf(r.jurisdiction()));
        }
    }

    @TestFactory
    Stream<DynamicTest> eachSampleIsItemizedConsistently() {
        return perSample(r -> {
            TransferTaxResult result = calculator().calculate(r);
            assertThat(result).as("the result").isNotNull();
            assertThat(result.request()).as("the result's request").isEqualTo(r);
            String currency = currencyOf(r.jurisdiction());
            assertThat(result.total().getCurrency().getCurrencyCode()).as("the total's currency").isEqualTo(currency);
            assertThat(result.total().isNegative()).as("the total (%s) is negative", result.total()).isFalse();
            BigDecimal sum = BigDecimal.ZERO;
            for (TaxLine line : result.lines()) {
                assertThat(line.amount().getCurrency().getCurrencyCode()).as("the currency of line '%s'", line.tax())
                        .isEqualTo(currency);
                if (!knownNegativeLines().contains(line.tax())) {
                    assertThat(line.amount().isNegative()).as("line '%s' (%s) is negative: a refund or an exemption"
                            + " belongs in the line it reduces", line.tax(), line.amount()).isFalse();
                }
                assertThat(line.authority()).as("the authority of line '%s'", line.tax()).isNotBlank();
                assertThat(line.tax()).as("the name of a line").isNotBlank();
                assertThat(line.source()).as("the source of line '%s'", line.tax()).isNotBlank();
                sum = sum.add(value(line.amount()));
            }
            assertThat(value(result.total())).as("the total against the sum of the lines %s", result.lines().stream()
                    .map(TaxLine::amount).toList()).isEqualByComparingTo(sum);
        });
    }

    @Test
    void theKnownNegativeLinesStillOccur() {
        Set<String> negative = new java.util.TreeSet<>();
        for (TransferTaxRequest r : samples()) {
            calculator().calculate(r).lines().stream().filter(l -> l.amount().isNegative()).map(TaxLine::tax)
                    .forEach(negative::add);
        }
        assertThat(negative).as("the lines the samples show negative (if one of knownNegativeLines() is missing, it"
                + " is no longer negative, or no sample shows it: remove it from knownNegativeLines(), or add a sample"
                + " that shows it)").containsAll(knownNegativeLines());
    }

    @TestFactory
    Stream<DynamicTest> eachSampleGivesAnEqualResultEachTime() {
        return perSample(r -> {
            TransferTaxResult first = calculator().calculate(r);
            assertThat(calculator().calculate(r)).as("computed again").isEqualTo(first);
            assertThat(calculator().calculate(dated(r, r.transferDate()))).as("computed from an equal request")
                    .isEqualTo(first);
        });
    }

    @TestFactory
    Stream<DynamicTest> eachSampleGivesTheSameResultFromEightThreadsAtOnce() {
        return perSample(r -> {
            TransferTaxResult expected = calculator().calculate(r);
            TransferTaxCalculator calculator = calculator();
            List<List<TransferTaxResult>> results;
            try {
                results = Kits.race(THREADS, () -> {
                    List<TransferTaxResult> mine = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        mine.add(calculator.calculate(r));
                    }
                    return mine;
                });
            } catch (Exception e) {
                throw new AssertionError("computing " + describe(r) + " from " + THREADS + " threads failed: " + e, e);
            }
            for (List<TransferTaxResult> mine : results) {
                assertThat(mine).as("results computed concurrently").allMatch(expected::equals);
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> eachSampleDatedBeforeEveryRegimeIsRefused() {
        return samples().stream().map(r -> DynamicTest.dynamicTest(describe(dated(r, BEFORE_EVERY_REGIME)),
                () -> expectRefused(dated(r, BEFORE_EVERY_REGIME))));
    }

    @TestFactory
    Stream<DynamicTest> aPlainRequestDatedBeforeEveryRegimeIsRefusedInEveryJurisdiction() {
        List<TransferTaxRequest> samples = samples();
        return calculator().jurisdictions().stream().sorted().map(code -> DynamicTest.dynamicTest(code, () -> {
            Jurisdiction jurisdiction = Jurisdiction.of(code);
            Optional<MonetaryAmount> price = samples.stream().map(TransferTaxRequest::price)
                    .filter(p -> p.getCurrency().getCurrencyCode().equals(currencyOf(jurisdiction))).findFirst();
            assumeTrue(price.isPresent(), "no sample is priced in " + currencyOf(jurisdiction));
            MonetaryAmount plain = price.get().getFactory().setNumber(500_000).create();
            expectRefused(new TransferTaxRequest(plain, BEFORE_EVERY_REGIME, jurisdiction, Optional.empty(), false,
                    false, false, true, false));
        }));
    }

    private void expectRefused(TransferTaxRequest early) {
        Throwable thrown = catchThrowable(() -> calculator().calculate(early));
        Optional<Class<? extends RuntimeException>> defect = knownDefectBeforeEveryRegime(early.jurisdiction());
        if (defect.isPresent()) {
            assertThat(thrown).as("%s: the known defect %s (if it now throws TransferTaxException, the defect is"
                    + " fixed: remove the knownDefectBeforeEveryRegime override)", describe(early),
                    defect.get().getSimpleName()).isExactlyInstanceOf(defect.get());
            return;
        }
        assertThat(thrown).as("%s: a date before every regime must be refused with a TransferTaxException (never a"
                + " guess, never another exception)", describe(early)).isInstanceOf(TransferTaxException.class);
        assertThat(thrown.getMessage()).as("the message of the refusal").isNotBlank();
    }
}
