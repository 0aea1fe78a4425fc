package com.enterprisehub.geo.benchmarks;

import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.localization.Localization;
import com.enterprisehub.geo.localization.MarketLocalizer;
import com.ibm.icu.number.NumberFormatter;
import com.ibm.icu.text.DateFormat;
import com.ibm.icu.text.MessageFormat;
import com.ibm.icu.util.TimeZone;
import com.ibm.icu.util.ULocale;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.money.MonetaryAmount;
import org.javamoney.moneta.Money;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What geo-localization's caching saves: each operation formats one value for the fr-CA Canadian market,
 * either through a shared {@link MarketLocalizer} (formatters built once, cloned or reused per call) or by
 * building the same ICU formatter on every call, as code without a cache does. The pairs are
 * {@code money}/{@code moneyFresh} (a CAD amount), {@code message}/{@code messageFresh} (a plural
 * pattern) and {@code dateTime}/{@code dateTimeFresh} (a date and time in Toronto's zone). Ratios are read
 * within a pair, from one run. Run (about 2 minutes):
 * <pre>{@code
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar LocalizationBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LocalizationBenchmark {
    private static final String PATTERN = "{beds, plural, one {# chambre} other {# chambres}}";
    private static final ULocale FR_CA = ULocale.forLocale(Locale.CANADA_FRENCH);

    private MarketLocalizer localizer;
    private MonetaryAmount price;
    private BigDecimal priceValue;
    private Map<String, Object> beds;
    private Instant when;

    @Setup
    public void setUp() {
        localizer = Localization.defaults().localizer(MarketCatalog.defaults().require(MarketId.of("ca")),
                Locale.CANADA_FRENCH);
        price = Money.of(new BigDecimal("749900.00"), "CAD");
        priceValue = new BigDecimal("749900.00");
        beds = Map.of("beds", 3);
        when = Instant.parse("2026-11-24T18:30:00Z");
    }

    @Benchmark
    public String money() {
        return localizer.money(price);
    }

    @Benchmark
    public String moneyFresh() {
        return NumberFormatter.withLocale(FR_CA).unit(com.ibm.icu.util.Currency.getInstance("CAD")).format(priceValue)
                .toString();
    }

    @Benchmark
    public String message() {
        return localizer.message("listing.bedrooms", beds);
    }

    @Benchmark
    public String messageFresh() {
        return new MessageFormat(PATTERN, FR_CA).format(beds);
    }

    @Benchmark
    public String dateTime() {
        return localizer.dateTime(when);
    }

    @Benchmark
    public String dateTimeFresh() {
        DateFormat f = DateFormat.getInstanceForSkeleton("yMMMdjmmz", FR_CA);
        f.setTimeZone(TimeZone.getTimeZone("America/Toronto"));
        return f.format(Date.from(when));
    }
}
