package com.enterprisehub.geo.localization;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.localization.internal.Bundles;
import com.enterprisehub.geo.localization.internal.Recycler;
import com.ibm.icu.number.LocalizedNumberFormatter;
import com.ibm.icu.number.Notation;
import com.ibm.icu.number.NumberFormatter;
import com.ibm.icu.number.Precision;
import com.ibm.icu.text.DateFormat;
import com.ibm.icu.text.DecimalFormat;
import com.ibm.icu.text.DecimalFormatSymbols;
import com.ibm.icu.text.ListFormatter;
import com.ibm.icu.text.MessageFormat;
import com.ibm.icu.text.NumberFormat;
import com.ibm.icu.text.RelativeDateTimeFormatter;
import com.ibm.icu.util.TimeZone;
import com.ibm.icu.util.ULocale;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.money.CurrencyUnit;
import javax.money.MonetaryAmount;
import javax.money.convert.CurrencyConversionException;
import javax.money.convert.ExchangeRate;

/**
 * Formats, words and converts for one market in one of its locales: money, areas, dates and times in
 * the market's time zone, relative times, lists, messages and real-estate terms.
 *
 * <p>Get one from {@link Localization#localizer(Market, Locale)}. Thread-safe: share it. Formatters are
 * built once per currency, unit, zone or message and cached; ICU's formatters that are not thread-safe
 * ({@code MessageFormat}, {@code DateFormat}) are kept as a few recycled copies, each used by one thread
 * at a time, so steady-state calls neither parse nor clone.
 */
public final class MarketLocalizer {
    private final Localization owner;
    private final Market market;
    private final Locale locale;
    private final ULocale ulocale;
    private final List<Bundles.Bundle> chain;
    private final ConcurrentHashMap<String, LocalizedNumberFormatter> money = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LocalizedNumberFormatter> compact = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<AreaUnit, LocalizedNumberFormatter> areas = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ZoneId, Recycler<DateFormat>> dateTimes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Recycler<MessageFormat>> messages = new ConcurrentHashMap<>();
    private final Recycler<DateFormat> date;
    private final ListFormatter lists;
    private final RelativeDateTimeFormatter relative;

    MarketLocalizer(Localization owner, Market market, Locale locale, List<Bundles.Bundle> chain) {
        this.owner = owner;
        this.market = market;
        this.locale = locale;
        this.ulocale = ULocale.forLocale(locale);
        this.chain = chain;
        DateFormat dateFormat = DateFormat.getDateInstance(DateFormat.MEDIUM, ulocale);
        dateFormat.setTimeZone(TimeZone.GMT_ZONE);
        this.date = recycler(dateFormat);
        this.lists = ListFormatter.getInstance(ulocale);
        this.relative = RelativeDateTimeFormatter.getInstance(ulocale);
    }

    /** The market. */
    public Market market() {
        return market;
    }

    /** The locale. */
    public Locale locale() {
        return locale;
    }

    // ---------------------------------------------------------------- money

    /** {@code amount} with the locale's conventions ({@link CurrencyStyle#LOCAL}), rounded with {@link Amounts}. */
    public String money(MonetaryAmount amount) {
        return money(amount, CurrencyStyle.LOCAL);
    }

    /** {@code amount} rounded with {@link Amounts#round} and written in {@code style}. */
    public String money(MonetaryAmount amount, CurrencyStyle style) {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(style, "style");
        String code = amount.getCurrency().getCurrencyCode();
        LocalizedNumberFormatter f = money.computeIfAbsent(style + ":" + code, k -> moneyFormatter(code, style));
        return f.format(Amounts.value(Amounts.round(amount))).toString();
    }

    private LocalizedNumberFormatter moneyFormatter(String code, CurrencyStyle style) {
        com.ibm.icu.util.Currency currency = com.ibm.icu.util.Currency.getInstance(code);
        if (style == CurrencyStyle.UNAMBIGUOUS) {
            String symbol = UnambiguousSymbols.of(locale.getLanguage(), code);
            if (symbol == null) {
                return NumberFormatter.withLocale(ulocale).unit(currency)
                        .unitWidth(NumberFormatter.UnitWidth.ISO_CODE);
            }
            // NumberFormatter takes no symbol override; the classic DecimalFormat does and converts.
            DecimalFormat df = (DecimalFormat) NumberFormat.getInstance(ulocale, NumberFormat.CURRENCYSTYLE);
            df.setCurrency(currency);
            DecimalFormatSymbols symbols = df.getDecimalFormatSymbols();
            symbols.setCurrencySymbol(symbol);
            df.setDecimalFormatSymbols(symbols);
            return df.toNumberFormatter();
        }
        return NumberFormatter.withLocale(ulocale).unit(currency);
    }

    /**
     * {@code amount} in the locale's short compact form: {@code $1.2M} in en-US, {@code 1,2 M $} in fr-CA,
     * two significant digits below ten units of the suffix (ICU's compact rounding, half to even), with the
     * currency as in {@link CurrencyStyle#LOCAL}.
     */
    public String compact(MonetaryAmount amount) {
        Objects.requireNonNull(amount, "amount");
        String code = amount.getCurrency().getCurrencyCode();
        LocalizedNumberFormatter f = compact.computeIfAbsent(code, k -> NumberFormatter.withLocale(ulocale)
                .notation(Notation.compactShort()).unit(com.ibm.icu.util.Currency.getInstance(code)));
        return f.format(Amounts.value(Amounts.round(amount))).toString();
    }

    /**
     * {@code amount} converted to {@code target} with the localization's offline rates, rounded with
     * {@link Amounts#round}, with the rate's date, source and whether it is stale.
     *
     * @throws LocalizationException if no rates were configured or they do not list a currency
     */
    public ConvertedAmount convert(MonetaryAmount amount, CurrencyUnit target) {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(target, "target");
        OfflineRates rates = owner.rates().orElseThrow(() -> new LocalizationException("No exchange rates are"
                + " configured: build the Localization with rates(OfflineRates.load(file))."));
        ExchangeRate rate;
        try {
            rate = rates.getExchangeRate(amount.getCurrency(), target);
        } catch (CurrencyConversionException e) {
            throw new LocalizationException(e.getMessage(), e);
        }
        BigDecimal factor = rate.getFactor().numberValueExact(BigDecimal.class);
        MonetaryAmount converted = Amounts.round(amount.getFactory().setCurrency(target)
                .setNumber(Amounts.value(amount).multiply(factor)).create());
        boolean stale = owner.isStale(rates.asOf());
        return new ConvertedAmount(converted, amount, factor, rates.asOf(), rates.source(), stale);
    }

    // ---------------------------------------------------------------- areas

    /**
     * {@code area} in the market's customary unit for its kind, converted exactly and formatted by ICU:
     * {@code 1,200 sq ft} in the US, {@code 1 200 pi²} in Québec, {@code 1,200 sq ft (111 m²)} in the UK,
     * {@code 111 m²} in Australia; land switches to acres or hectares from the market's threshold.
     * Square feet and metres are shown whole, acres and hectares to two decimals (half to even).
     */
    public String area(Area area, AreaKind kind) {
        Objects.requireNonNull(area, "area");
        Objects.requireNonNull(kind, "kind");
        List<AreaUnit> units = owner.areaDisplay(market, locale, kind).unitsFor(area.squareMetres());
        String first = areaIn(area, units.get(0));
        if (units.size() == 1) {
            return first;
        }
        return message("format.area.pair", Map.of("primary", first, "secondary", areaIn(area, units.get(1))));
    }

    /** {@code area} converted to {@code unit} and formatted, whatever the market's convention. */
    public String areaIn(Area area, AreaUnit unit) {
        Objects.requireNonNull(area, "area");
        Objects.requireNonNull(unit, "unit");
        LocalizedNumberFormatter f = areas.computeIfAbsent(unit, u -> NumberFormatter.withLocale(ulocale)
                .unit(u.icuUnit()).unitWidth(NumberFormatter.UnitWidth.SHORT)
                .precision(u == AreaUnit.ACRE || u == AreaUnit.HECTARE ? Precision.maxFraction(2)
                        : Precision.integer())
                .roundingMode(java.math.RoundingMode.HALF_EVEN));
        return f.format(area.to(unit).value()).toString();
    }

    // ---------------------------------------------------------------- dates, times, lists

    /** {@code day} in the locale's medium date style ({@code Nov 24, 2026}; {@code 24 nov. 2026}). */
    public String date(LocalDate day) {
        Objects.requireNonNull(day, "day");
        Date at = Date.from(day.atStartOfDay(ZoneOffset.UTC).toInstant());
        return date.apply(f -> f.format(at));
    }

    /** {@code instant} as a date and time in the market's time zone, with the zone named. */
    public String dateTime(Instant instant) {
        return dateTime(instant, market.timeZone());
    }

    /** {@code instant} as a date and time in {@code zone} (a city's, say), with the zone named. */
    public String dateTime(Instant instant, ZoneId zone) {
        Objects.requireNonNull(instant, "instant");
        Objects.requireNonNull(zone, "zone");
        Recycler<DateFormat> formats = dateTimes.computeIfAbsent(zone, z -> {
            DateFormat f = DateFormat.getInstanceForSkeleton("yMMMdjmmz", ulocale);
            f.setTimeZone(TimeZone.getTimeZone(z.getId()));
            return recycler(f);
        });
        Date at = Date.from(instant);
        return formats.apply(f -> f.format(at));
    }

    /**
     * How long ago or ahead {@code instant} is, from the localization's clock, in the largest unit that fits
     * ({@code 3 days ago}, {@code il y a 3 jours}, {@code in 2 hours}).
     */
    public String relative(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        Duration d = Duration.between(owner.clock().instant(), instant);
        long s = Math.abs(d.getSeconds());
        int sign = d.isNegative() ? -1 : 1;
        RelativeDateTimeFormatter.RelativeDateTimeUnit unit;
        long n;
        if (s < 60) {
            unit = RelativeDateTimeFormatter.RelativeDateTimeUnit.SECOND;
            n = s;
        } else if (s < 3600) {
            unit = RelativeDateTimeFormatter.RelativeDateTimeUnit.MINUTE;
            n = s / 60;
        } else if (s < 86_400) {
            unit = RelativeDateTimeFormatter.RelativeDateTimeUnit.HOUR;
            n = s / 3600;
        } else if (s < 7 * 86_400) {
            unit = RelativeDateTimeFormatter.RelativeDateTimeUnit.DAY;
            n = s / 86_400;
        } else if (s < 30 * 86_400) {
            unit = RelativeDateTimeFormatter.RelativeDateTimeUnit.WEEK;
            n = s / (7 * 86_400);
        } else if (s < 365 * 86_400) {
            unit = RelativeDateTimeFormatter.RelativeDateTimeUnit.MONTH;
            n = s / (30 * 86_400);
        } else {
            unit = RelativeDateTimeFormatter.RelativeDateTimeUnit.YEAR;
            n = s / (365 * 86_400);
        }
        synchronized (relative) { // ICU does not document this class as thread-safe
            return relative.formatNumeric(sign * (double) n, unit);
        }
    }

    /** {@code items} as a list in the locale's style ({@code a, b, and c}; {@code a, b et c}). */
    public String list(Collection<String> items) {
        Objects.requireNonNull(items, "items");
        return lists.format(items);
    }

    // ---------------------------------------------------------------- messages and terms

    /** The text of a message that takes no arguments. */
    public String message(String key) {
        return message(key, Map.of());
    }

    /**
     * The message {@code key} formatted with ICU MessageFormat (named arguments, plurals and selects with
     * the locale's CLDR plural rules). {@link MonetaryAmount} arguments are written with {@link #money} and
     * {@link Area} arguments with {@link #areaIn} in square metres unless the pattern formats them itself.
     *
     * @throws GeoValidationException if no bundle defines {@code key}
     * @throws MissingTranslationException in strict mode, if the locale's own language lacks it
     */
    public String message(String key, Map<String, ?> arguments) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(arguments, "arguments");
        Recycler<MessageFormat> formats = messages.computeIfAbsent(key, k -> recycler(compile(k)));
        Map<String, Object> args = new HashMap<>(arguments.size() * 2);
        arguments.forEach((name, value) -> args.put(name, value instanceof MonetaryAmount m ? money(m) : value));
        return formats.apply(f -> f.format(args));
    }

    /** The market's word for a real-estate term ({@code agent}, {@code closing}, ...); see the bundles. */
    public String term(String key) {
        return message("term." + Objects.requireNonNull(key, "key"));
    }

    private MessageFormat compile(String key) {
        for (Bundles.Bundle bundle : chain) {
            String text = bundle.texts().get(key);
            if (text == null) {
                continue;
            }
            if (!bundle.ownLanguage()) {
                owner.fellBack(locale, key, bundle.name()); // throws in strict mode
            }
            try {
                return new MessageFormat(text, ulocale);
            } catch (IllegalArgumentException e) {
                throw new LocalizationException("Message '" + key + "' in bundle " + bundle.name()
                        + " is not a valid ICU MessageFormat pattern: " + e.getMessage(), e);
            }
        }
        throw new GeoValidationException("No message bundle defines '" + key + "'; the keys are those of "
                + "messages_" + Bundles.ROOT_LANGUAGE + ".properties (see Localization.keys()).");
    }

    /** Idle copies kept per formatter: enough for every core to format at once. */
    private static final int IDLE_COPIES = Math.max(2, Runtime.getRuntime().availableProcessors());

    @SuppressWarnings("unchecked")
    private static <T extends java.text.Format> Recycler<T> recycler(T prototype) {
        return new Recycler<>(prototype, p -> (T) p.clone(), IDLE_COPIES);
    }

    @Override
    public String toString() {
        return "MarketLocalizer[" + market.id() + ", " + locale.toLanguageTag() + "]";
    }

    /** The symbols of {@link CurrencyStyle#UNAMBIGUOUS}. */
    private static final class UnambiguousSymbols {
        // English: CLDR's international-English (en-001) symbols. French: Translation Bureau of Canada,
        // "$ CA" and "$ US" (Clefs du français pratique, "dollar canadien (symbole)" / "dollar américain
        // (symbole)", https://www.noslangues-ourlanguages.gc.ca), "$ AU" built the same way.
        private static final Map<String, String> EN = Map.of("USD", "US$", "CAD", "CA$", "AUD", "A$", "GBP", "£");
        private static final Map<String, String> FR = Map.of("USD", "$\u00a0US", "CAD", "$\u00a0CA", "AUD", "$\u00a0AU", "GBP", "£");

        static String of(String language, String code) {
            return (language.equals("fr") ? FR : EN).get(code);
        }
    }
}
