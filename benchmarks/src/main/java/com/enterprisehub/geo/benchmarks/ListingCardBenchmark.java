package com.enterprisehub.geo.benchmarks;

import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.localization.Area;
import com.enterprisehub.geo.localization.AreaKind;
import com.enterprisehub.geo.localization.AreaUnit;
import com.enterprisehub.geo.localization.Localization;
import com.enterprisehub.geo.localization.MarketLocalizer;
import com.ibm.icu.number.NumberFormatter;
import com.ibm.icu.number.Precision;
import com.ibm.icu.text.DateFormat;
import com.ibm.icu.text.MessageFormat;
import com.ibm.icu.util.MeasureUnit;
import com.ibm.icu.util.TimeZone;
import com.ibm.icu.util.ULocale;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Issue 4's benchmark: render a listing card — price, floor area in the market's unit, a bedrooms plural
 * message, the listed date and two terms — through a shared {@link MarketLocalizer} ({@code cached}), and
 * with every ICU formatter built for the call ({@code perCall}: a {@code NumberFormatter} for the price and
 * for the area unit, a {@code MessageFormat} for the plural and for each term's text, a {@code DateFormat}),
 * as code without a cache does. Same texts, same conversions; one market and locale per parameter.
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar ListingCardBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ListingCardBenchmark {
    @Param({"us-ca:en-US", "ca:en-CA", "ca:fr-CA", "gb:en-GB", "au:en-AU"})
    public String market;

    private MarketLocalizer localizer;
    private ULocale ulocale;
    private MonetaryAmount price;
    private String currency;
    private Area area;
    private AreaUnit unit;
    private Map<String, Object> beds;
    private LocalDate listed;
    private String bedroomsPattern;
    private String closingText;
    private String taxText;

    @Setup
    public void setUp() {
        String[] parts = market.split(":");
        Market m = MarketCatalog.defaults().require(MarketId.of(parts[0]));
        Locale locale = Locale.forLanguageTag(parts[1]);
        localizer = Localization.defaults().localizer(m, locale);
        ulocale = ULocale.forLocale(locale);
        currency = m.currency().getCurrencyCode();
        price = Money.of(new BigDecimal("749900.00"), currency);
        area = Area.of(1450, AreaUnit.SQUARE_FOOT);
        unit = m.id().value().equals("au") ? AreaUnit.SQUARE_METRE : AreaUnit.SQUARE_FOOT;
        beds = Map.of("beds", 3);
        listed = LocalDate.of(2026, 11, 21);
        bedroomsPattern = locale.getLanguage().equals("fr") ? "{beds, plural, one {# chambre} other {# chambres}}"
                : "{beds, plural, one {# bedroom} other {# bedrooms}}";
        closingText = localizer.term("closing");
        taxText = localizer.term("land_transfer_tax");
    }

    @Benchmark
    public String cached() {
        return localizer.money(price) + " · " + localizer.areaIn(area, unit) + " · "
                + localizer.message("listing.bedrooms", beds) + " · " + localizer.date(listed) + " · "
                + localizer.term("closing") + " · " + localizer.term("land_transfer_tax");
    }

    @Benchmark
    public String perCall() {
        String money = NumberFormatter.withLocale(ulocale).unit(com.ibm.icu.util.Currency.getInstance(currency))
                .format(new BigDecimal("749900.00")).toString();
        MeasureUnit icuUnit = unit == AreaUnit.SQUARE_METRE ? MeasureUnit.SQUARE_METER : MeasureUnit.SQUARE_FOOT;
        String areaText = NumberFormatter.withLocale(ulocale).unit(icuUnit)
                .unitWidth(NumberFormatter.UnitWidth.SHORT).precision(Precision.integer())
                .format(area.to(unit).value()).toString();
        String bedrooms = new MessageFormat(bedroomsPattern, ulocale).format(beds);
        DateFormat df = DateFormat.getDateInstance(DateFormat.MEDIUM, ulocale);
        df.setTimeZone(TimeZone.GMT_ZONE);
        String date = df.format(Date.from(listed.atStartOfDay(ZoneOffset.UTC).toInstant()));
        String closing = new MessageFormat(closingText, ulocale).format(Map.of());
        String tax = new MessageFormat(taxText, ulocale).format(Map.of());
        return money + " · " + areaText + " · " + bedrooms + " · " + date + " · " + closing + " · " + tax;
    }
}
