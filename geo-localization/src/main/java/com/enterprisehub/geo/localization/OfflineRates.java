package com.enterprisehub.geo.localization;

import com.enterprisehub.geo.core.GeoValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import javax.money.CurrencyUnit;
import javax.money.Monetary;
import javax.money.UnknownCurrencyException;
import javax.money.convert.ConversionContext;
import javax.money.convert.ConversionQuery;
import javax.money.convert.CurrencyConversionException;
import javax.money.convert.ExchangeRate;
import javax.money.convert.ProviderContextBuilder;
import javax.money.convert.RateType;
import org.javamoney.moneta.spi.AbstractRateProvider;
import org.javamoney.moneta.spi.DefaultNumberValue;

/**
 * A JavaMoney {@code ExchangeRateProvider} fed from a rates file: no network, ever. Moneta's ECB and IMF
 * providers fetch rates at start-up and, offline, fail only after about 30 s (jsr354-ri issue 431); this
 * one reads what it is given. Immutable and thread-safe.
 *
 * <p>The file is UTF-8 properties:
 * <pre>
 * source=European Central Bank, euro foreign exchange reference rates
 * as-of=2026-11-20
 * base=EUR
 * USD=1.0512
 * CAD=1.4720
 * </pre>
 * Each {@code CODE=value} line gives how many units of that currency one unit of {@code base} buys. Any
 * pair of listed currencies (and the base) converts, through the base; the factor is computed to 16
 * significant digits.
 */
public final class OfflineRates extends AbstractRateProvider {
    /** The provider name in JavaMoney contexts. */
    public static final String PROVIDER = "GEO-OFFLINE";
    private static final MathContext FACTOR_PRECISION = MathContext.DECIMAL64;

    private final LocalDate asOf;
    private final String source;
    private final CurrencyUnit base;
    private final Map<String, BigDecimal> perBase;
    private final ConversionContext context;

    private OfflineRates(LocalDate asOf, String source, CurrencyUnit base, Map<String, BigDecimal> perBase) {
        super(ProviderContextBuilder.of(PROVIDER, RateType.HISTORIC)
                .set("source", source).set("asOf", asOf).build());
        this.asOf = asOf;
        this.source = source;
        this.base = base;
        this.perBase = perBase;
        this.context = ConversionContext.of(PROVIDER, RateType.HISTORIC).toBuilder().set("asOf", asOf)
                .set("source", source).build();
    }

    /**
     * Rates as of {@code asOf} from {@code source}: one {@code base} buys {@code rates.get(code)} of each
     * currency.
     */
    public static OfflineRates of(LocalDate asOf, String source, String base, Map<String, BigDecimal> rates) {
        Objects.requireNonNull(asOf, "asOf");
        if (source == null || source.isBlank()) {
            throw new GeoValidationException("Exchange rates need a source (who published them); got none.");
        }
        CurrencyUnit baseUnit = currency(base);
        Map<String, BigDecimal> perBase = new TreeMap<>();
        rates.forEach((code, rate) -> {
            CurrencyUnit unit = currency(code);
            if (rate == null || rate.signum() <= 0) {
                throw new GeoValidationException("The rate of " + code + " must be a positive number; got " + rate + ".");
            }
            perBase.put(unit.getCurrencyCode(), rate);
        });
        BigDecimal baseRate = perBase.put(baseUnit.getCurrencyCode(), BigDecimal.ONE);
        if (baseRate != null && baseRate.compareTo(BigDecimal.ONE) != 0) {
            throw new GeoValidationException("The base currency " + baseUnit + " must have the rate 1 (or none);"
                    + " got " + baseRate + ".");
        }
        return new OfflineRates(asOf, source.strip(), baseUnit, Collections.unmodifiableMap(perBase));
    }

    /** Reads a rates file (see the class comment). */
    public static OfflineRates load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, file.toString());
        } catch (IOException e) {
            throw new LocalizationException("Cannot read the rates file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a rates file from a stream; {@code name} appears in error messages. */
    public static OfflineRates load(InputStream in, String name) {
        Properties p = new Properties();
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new LocalizationException("Cannot read the rates file " + name + ": " + e.getMessage(), e);
        }
        String asOf = required(p, "as-of", name);
        String source = required(p, "source", name);
        String base = required(p, "base", name);
        Map<String, BigDecimal> rates = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            if (key.equals("as-of") || key.equals("source") || key.equals("base")) {
                continue;
            }
            try {
                rates.put(key, new BigDecimal(p.getProperty(key).strip()));
            } catch (NumberFormatException e) {
                throw new GeoValidationException("Rates file " + name + ": the rate of " + key + " is not a number ("
                        + p.getProperty(key) + ").");
            }
        }
        try {
            return of(LocalDate.parse(asOf.strip()), source, base.strip(), rates);
        } catch (DateTimeParseException e) {
            throw new GeoValidationException("Rates file " + name + ": as-of must be a date like 2026-11-20; got '"
                    + asOf + "'.");
        }
    }

    private static String required(Properties p, String key, String name) {
        String value = p.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new GeoValidationException("Rates file " + name + " has no '" + key + "=' line; add it.");
        }
        return value;
    }

    private static CurrencyUnit currency(String code) {
        try {
            return Monetary.getCurrency(Objects.requireNonNull(code, "currency code").strip());
        } catch (UnknownCurrencyException e) {
            throw new GeoValidationException("'" + code + "' is not an ISO 4217 currency code.");
        }
    }

    /** The day the rates were published for. */
    public LocalDate asOf() {
        return asOf;
    }

    /** Who published them. */
    public String source() {
        return source;
    }

    /** The currency the rates are quoted against. */
    public CurrencyUnit base() {
        return base;
    }

    /** The currencies this provider converts between (the base included). */
    public java.util.Set<String> currencies() {
        return perBase.keySet();
    }

    @Override
    public ExchangeRate getExchangeRate(ConversionQuery query) {
        Objects.requireNonNull(query, "query");
        CurrencyUnit from = query.getBaseCurrency();
        CurrencyUnit to = query.getCurrency();
        BigDecimal fromPerBase = perBase.get(from.getCurrencyCode());
        BigDecimal toPerBase = perBase.get(to.getCurrencyCode());
        if (fromPerBase == null || toPerBase == null) {
            throw new CurrencyConversionException(from, to, getExchangeContext("default"),
                    "The rates of " + source + " as of " + asOf + " do not list " + (fromPerBase == null ? from : to)
                            + "; they list " + perBase.keySet() + ".");
        }
        LocalDate wanted = query.get(LocalDate.class);
        if (wanted != null && !wanted.equals(asOf)) {
            throw new CurrencyConversionException(from, to, getExchangeContext("default"), "These rates are those of "
                    + asOf + " (" + source + "); there are none for " + wanted + ".");
        }
        BigDecimal factor = from.equals(to) ? BigDecimal.ONE : toPerBase.divide(fromPerBase, FACTOR_PRECISION);
        return new Rate(context, from, to, factor);
    }

    /** An exchange rate of this provider. */
    private record Rate(ConversionContext context, CurrencyUnit baseCurrency, CurrencyUnit currency, BigDecimal factor)
            implements ExchangeRate {
        @Override
        public ConversionContext getContext() {
            return context;
        }

        @Override
        public CurrencyUnit getBaseCurrency() {
            return baseCurrency;
        }

        @Override
        public CurrencyUnit getCurrency() {
            return currency;
        }

        @Override
        public javax.money.NumberValue getFactor() {
            return new DefaultNumberValue(factor);
        }

        @Override
        public List<ExchangeRate> getExchangeRateChain() {
            return List.of(this);
        }
    }

    @Override
    public String toString() {
        return "OfflineRates[" + source + ", as of " + asOf + ", base " + base + ", " + perBase.keySet() + "]";
    }
}
