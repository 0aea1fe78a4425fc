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
    /** Per style, per currency code: no key is built on the hot path. */
    private final java.util.EnumMap<CurrencyStyle, ConcurrentHashMap<String, LocalizedNumberFormatter>> money =
            perStyle();
    private final java.util.EnumMap<CurrencyStyle, ConcurrentHashMap<String, LocalizedNumberFormatter>> compact =
            perStyle();
    private final ConcurrentHashMap<AreaUnit, LocalizedNumberFormatter> areas = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ZoneId, Recycler<DateFormat>> dateTimes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<AreaKind, AreaDisplay> areaDisplays = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Compiled> messages = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> terms = new ConcurrentHashMap<>();
    private final Recycler<DateFormat> date;
    private final ListFormatter lists;
    private final RelativeDateTimeFormatter relative;

    MarketLocalizer(Localization owner, Market market, Locale locale, List<Bundles.Bundle> chain) {
        this.owner = owner;
        this.market = market;
        this.locale = locale;
        this.ulocale = ULocale.forLocale(locale);
        this.chain = chain;
        this.date = recycler(() -> {
            DateFormat f = DateFormat.getDateInstance(DateFormat.MEDIUM, ulocale);
            f.setTimeZone(TimeZone.GMT_ZONE);
            return f;
        });
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
        int digits = Amounts.digits(amount.getCurrency());
        LocalizedNumberFormatter f = money.get(style).computeIfAbsent(code, k -> moneyFormatter(code, style)
                .precision(Precision.fixedFraction(digits)).roundingMode(Amounts.ROUNDING));
        return f.format(Amounts.rounded(Amounts.value(amount), digits)).toString();
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

    /** {@code amount} in the locale's short compact form, currency as in {@link CurrencyStyle#LOCAL}. */
    public String compact(MonetaryAmount amount) {
        return compact(amount, CurrencyStyle.LOCAL);
    }

    /**
     * {@code amount} in the locale's short compact form: {@code $1.2M} in en-US, {@code 1,2 M $} in fr-CA,
     * {@code CA$1.2M} unambiguous; ICU's compact precision (two significant digits below ten units of the
     * suffix), rounded half to even ({@code $1.25M} shows {@code $1.2M}, {@code $1.35M} {@code $1.4M}).
     */
    public String compact(MonetaryAmount amount, CurrencyStyle style) {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(style, "style");
        String code = amount.getCurrency().getCurrencyCode();
        LocalizedNumberFormatter f = compact.get(style).computeIfAbsent(code, k -> moneyFormatter(code, style)
                .notation(Notation.compactShort()).precision(COMPACT).roundingMode(Amounts.ROUNDING));
        return f.format(Amounts.value(amount)).toString();
    }

    /** ICU's own compact precision, stated: whole units of the suffix, at least two significant digits. */
    private static final Precision COMPACT = Precision.integer().withMinDigits(2);

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
        // Rounded before the amount is made: an amount type with a small scale (FastMoney) or its own
        // rounding (RoundedMoney) never sees the unrounded product.
        BigDecimal value = Amounts.rounded(Amounts.value(amount).multiply(factor), Amounts.digits(target));
        MonetaryAmount converted;
        try {
            converted = amount.getFactory().setCurrency(target).setNumber(value).create();
        } catch (ArithmeticException e) {
            throw new LocalizationException("Cannot hold " + value + " " + target + " in a "
                    + amount.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
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
        List<AreaUnit> units = areaDisplays.computeIfAbsent(kind, k -> owner.areaDisplay(market, k)).unitsFor(area);
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
                .precision(u.displayDigits() == 0 ? Precision.integer() : Precision.maxFraction(u.displayDigits()))
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
            TimeZone tz = icuZone(z);
            return recycler(() -> {
                DateFormat f = DateFormat.getInstanceForSkeleton("yMMMdjmmz", ulocale);
                f.setTimeZone(tz);
                return f;
            });
        });
        Date at = Date.from(instant);
        return formats.apply(f -> f.format(at));
    }

    /**
     * How long ago or ahead {@code instant} is, from the localization's clock, in the largest unit that fits,
     * rounded to the nearest whole unit ({@code 3 days ago}, {@code il y a 3 jours}, {@code in 2 hours},
     * {@code yesterday}, {@code now}). Days are 24-hour spans, months 30 days.
     */
    public String relative(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        Duration d = Duration.between(owner.clock().instant(), instant);
        double seconds = Math.abs(d.getSeconds() + d.getNano() / 1e9);
        int sign = d.isNegative() ? -1 : 1;
        for (int i = 0; i < RELATIVE_UNITS.length; i++) {
            long n = Math.round(seconds / RELATIVE_SECONDS[i]);
            if (i == RELATIVE_UNITS.length - 1 || n < RELATIVE_LIMITS[i]) {
                return relative.format(sign * (double) n, RELATIVE_UNITS[i]);
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private static final RelativeDateTimeFormatter.RelativeDateTimeUnit[] RELATIVE_UNITS = {
        RelativeDateTimeFormatter.RelativeDateTimeUnit.SECOND, RelativeDateTimeFormatter.RelativeDateTimeUnit.MINUTE,
        RelativeDateTimeFormatter.RelativeDateTimeUnit.HOUR, RelativeDateTimeFormatter.RelativeDateTimeUnit.DAY,
        RelativeDateTimeFormatter.RelativeDateTimeUnit.WEEK, RelativeDateTimeFormatter.RelativeDateTimeUnit.MONTH,
        RelativeDateTimeFormatter.RelativeDateTimeUnit.YEAR};
    private static final double[] RELATIVE_SECONDS = {1, 60, 3600, 86_400, 7 * 86_400, 30 * 86_400, 365 * 86_400};
    /** A unit is used while the rounded count stays below its limit; then the next unit. */
    private static final long[] RELATIVE_LIMITS = {60, 60, 24, 7, 5, 12, Long.MAX_VALUE};

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
     * the locale's CLDR plural rules). {@link MonetaryAmount} arguments are written with {@link #money},
     * {@link Area} arguments with {@link #areaIn} in their own unit; {@link Instant}, {@code ZonedDateTime} and
     * {@link LocalDate} arguments can be formatted by the pattern ({@code {d, date, long}}) and are shown in the
     * market's time zone.
     *
     * @throws GeoValidationException if no bundle defines {@code key}, an argument the pattern uses is
     *     missing, or an argument has a type its pattern cannot format
     * @throws MissingTranslationException in strict mode, if the locale's own language lacks it
     */
    public String message(String key, Map<String, ?> arguments) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(arguments, "arguments");
        Compiled compiled = messages.computeIfAbsent(key, this::compile);
        if (!arguments.keySet().containsAll(compiled.arguments())) {
            java.util.Set<String> missing = new java.util.TreeSet<>(compiled.arguments());
            missing.removeAll(arguments.keySet());
            throw new GeoValidationException("Message '" + key + "' needs the argument(s) " + missing + "; got "
                    + new java.util.TreeSet<>(arguments.keySet()) + ".");
        }
        Map<String, Object> args = new HashMap<>(arguments.size() * 2);
        arguments.forEach((name, value) -> args.put(name, argument(value)));
        try {
            return compiled.formats().apply(f -> f.format(args));
        } catch (IllegalArgumentException e) {
            throw new GeoValidationException("Message '" + key + "' cannot format its arguments " + arguments.keySet()
                    + " (" + e.getMessage() + "); pass numbers for plural and number arguments, strings for select.");
        }
    }

    /** Arguments ICU cannot format well become text or a Date in our terms. */
    private Object argument(Object value) {
        if (value instanceof MonetaryAmount m) {
            return money(m);
        }
        if (value instanceof Area a) {
            return areaIn(a, a.unit());
        }
        if (value instanceof Instant i) {
            return Date.from(i);
        }
        if (value instanceof java.time.ZonedDateTime z) {
            return Date.from(z.toInstant());
        }
        if (value instanceof LocalDate d) {
            return Date.from(d.atStartOfDay(market.timeZone()).toInstant());
        }
        return value;
    }

    /** The market's word for a real-estate term ({@code agent}, {@code closing}, ...); see the bundles. */
    public String term(String key) {
        return termIfUsed(key).orElseThrow(() -> new LocalizationException("The term '" + key + "' has no equivalent"
                + " in " + locale.toLanguageTag() + " for market '" + market.id() + "' (for example REALTOR(R) outside"
                + " the US and Canada); use termIfUsed(\"" + key + "\") and leave it out."));
    }

    /**
     * The market's word for a term, or empty where the market has no such thing (its bundle gives the term
     * an empty text: REALTOR(R) in the UK and Australia).
     */
    public java.util.Optional<String> termIfUsed(String key) {
        Objects.requireNonNull(key, "key");
        String text = terms.computeIfAbsent(key, k -> message("term." + k));
        return text.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(text);
    }

    /** A message compiled once: the argument names it uses and recycled formatters. */
    private record Compiled(java.util.Set<String> arguments, Recycler<MessageFormat> formats) {
    }

    private Compiled compile(String key) {
        for (Bundles.Bundle bundle : chain) {
            String text = bundle.texts().get(key);
            if (text == null) {
                continue;
            }
            if (!bundle.ownLanguage()) {
                owner.fellBack(locale, key, bundle.name()); // throws in strict mode
            }
            try {
                java.util.Set<String> names = new java.util.HashSet<>();
                com.ibm.icu.text.MessagePattern pattern = new com.ibm.icu.text.MessagePattern(text);
                for (int i = 0; i < pattern.countParts(); i++) {
                    com.ibm.icu.text.MessagePattern.Part part = pattern.getPart(i);
                    if (part.getType() == com.ibm.icu.text.MessagePattern.Part.Type.ARG_NAME) {
                        names.add(pattern.getSubstring(part));
                    }
                }
                TimeZone zone = icuZone(market.timeZone());
                return new Compiled(java.util.Set.copyOf(names), recycler(() -> {
                    MessageFormat f = new MessageFormat(text, ulocale);
                    // {d, date} and {d, time} arguments are shown in the market's zone, not the JVM's.
                    for (java.text.Format sub : f.getFormats()) {
                        if (sub instanceof DateFormat df) {
                            df.setTimeZone(zone);
                        }
                    }
                    return f;
                }));
            } catch (IllegalArgumentException e) {
                throw new LocalizationException("Message '" + key + "' in bundle " + bundle.name()
                        + " is not a valid ICU MessageFormat pattern: " + e.getMessage(), e);
            }
        }
        throw new GeoValidationException("No message bundle defines '" + key + "'; the keys are those of "
                + "messages_" + Bundles.ROOT_LANGUAGE + ".properties (see Localization.keys()).");
    }

    private static java.util.EnumMap<CurrencyStyle, ConcurrentHashMap<String, LocalizedNumberFormatter>> perStyle() {
        java.util.EnumMap<CurrencyStyle, ConcurrentHashMap<String, LocalizedNumberFormatter>> m =
                new java.util.EnumMap<>(CurrencyStyle.class);
        for (CurrencyStyle style : CurrencyStyle.values()) {
            m.put(style, new ConcurrentHashMap<>());
        }
        return m;
    }

    /** Idle copies kept per formatter: enough for every core to format at once. */
    private static final int IDLE_COPIES = Math.max(2, Runtime.getRuntime().availableProcessors());

    private static <T> Recycler<T> recycler(java.util.function.Supplier<T> factory) {
        return new Recycler<>(factory.get(), factory, IDLE_COPIES);
    }

    /** ICU's zone for {@code zone}; offsets become {@code GMT+hh:mm}; a zone ICU does not know is refused. */
    private static TimeZone icuZone(ZoneId zone) {
        String id = zone instanceof ZoneOffset offset
                ? (offset.getTotalSeconds() == 0 ? "GMT" : "GMT" + offset.getId()) : zone.getId();
        TimeZone tz = TimeZone.getTimeZone(id);
        if (TimeZone.UNKNOWN_ZONE_ID.equals(tz.getID())) {
            throw new GeoValidationException("ICU does not know the time zone '" + zone.getId() + "'; use a region"
                    + " id such as America/Toronto or an offset such as +05:30.");
        }
        return tz;
    }

    /** Builds what first calls would; see {@link Localization#warmUp}. */
    void warmUp(java.util.Set<String> keys) {
        javax.money.MonetaryAmount one = org.javamoney.moneta.Money.of(1, market.currency().getCurrencyCode());
        for (CurrencyStyle style : CurrencyStyle.values()) {
            money(one, style);
            compact(one, style);
        }
        for (AreaUnit unit : AreaUnit.values()) {
            areaIn(Area.of(1, unit), unit);
        }
        date(LocalDate.of(2000, 1, 1));
        dateTime(Instant.EPOCH);
        market.cities().forEach(c -> dateTime(Instant.EPOCH, c.timeZone()));
        relative(owner.clock().instant());
        for (String key : keys) {
            try {
                messages.computeIfAbsent(key, this::compile);
            } catch (MissingTranslationException e) {
                // strict mode: reported when the message is used, not while warming up
            }
        }
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
