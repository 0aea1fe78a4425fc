package com.enterprisehub.geo.core.market;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.MarketCatalogException;
import com.enterprisehub.geo.core.UnknownMarketException;
import com.enterprisehub.geo.core.internal.CatalogParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable set of markets, by id. Thread-safe.
 *
 * <p>Load one from a JSON or YAML file with {@link #load(Path)}, take the seed's twelve markets with
 * {@link #defaults()}, or assemble one in code with {@link #of(Collection)}. Loading is strict: an
 * unknown field, currency, time zone, locale or jurisdiction, a duplicate id, a city outside the
 * market's jurisdictions, a negative figure — every such problem is reported at once in a
 * {@link MarketCatalogException} naming the file, the market and the field, and no catalog is
 * returned.
 *
 * <p>The file format is documented in {@code docs/market-catalog.md}; the default catalog
 * ({@code com/enterprisehub/geo/core/market/default-markets.json}) is a complete example.
 */
public final class MarketCatalog {
    private static final String DEFAULT_RESOURCE = "default-markets.json";

    /**
     * The largest catalog {@link #load} reads: 16 MiB (16,777,216 bytes of JSON, or characters of YAML, whose
     * lines may be at most 16,384 characters long). The seed's twelve markets take 20 KB, so this leaves room for
     * thousands of markets while bounding the memory and time a file can make the loader use.
     */
    public static final int MAX_CATALOG_SIZE = 16 * 1024 * 1024;

    private final Map<MarketId, Market> markets;

    private MarketCatalog(Map<MarketId, Market> markets) {
        this.markets = Collections.unmodifiableMap(markets);
    }

    /** A catalog of these markets, in this order; two markets with one id are refused. */
    public static MarketCatalog of(Collection<Market> markets) {
        Map<MarketId, Market> byId = new LinkedHashMap<>();
        for (Market market : markets) {
            Objects.requireNonNull(market, "market");
            if (byId.putIfAbsent(market.id(), market) != null) {
                throw new GeoValidationException("Two markets have the id '" + market.id() + "'; ids must be unique.");
            }
        }
        return new MarketCatalog(byId);
    }

    /** The seed's twelve markets (five tier 1, four tier 2, three international), shipped with the SDK. */
    public static MarketCatalog defaults() {
        return Defaults.CATALOG;
    }

    /**
     * Loads a catalog file; {@code .json} is read as JSON, {@code .yaml} and {@code .yml} as YAML (which
     * needs {@code com.fasterxml.jackson.dataformat:jackson-dataformat-yaml} on the class path).
     *
     * @throws MarketCatalogException listing every problem in the file
     * @throws UncheckedIOException if the file cannot be read
     */
    public static MarketCatalog load(Path file) {
        Objects.requireNonNull(file, "file");
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        Format format = name.endsWith(".yaml") || name.endsWith(".yml") ? Format.YAML : Format.JSON;
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, file.toString(), format);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read market catalog " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads a catalog from a stream, which is read fully but not closed.
     *
     * @param source the name shown in error messages (a file name or URL)
     * @throws MarketCatalogException listing every problem found
     */
    public static MarketCatalog load(InputStream in, String source, Format format) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(format, "format");
        List<Market> parsed = new CatalogParser(source).parse(in, format == Format.YAML);
        return of(parsed);
    }

    /** The markets, in the order they were given. */
    public List<Market> markets() {
        return List.copyOf(markets.values());
    }

    /** The ids of the markets, in order. */
    public List<MarketId> ids() {
        return List.copyOf(markets.keySet());
    }

    /** The market with this id, if there is one. */
    public Optional<Market> find(MarketId id) {
        return Optional.ofNullable(markets.get(Objects.requireNonNull(id, "id")));
    }

    /** The market with this id; throws {@link UnknownMarketException} listing the known ids if there is none. */
    public Market require(MarketId id) {
        Market market = markets.get(Objects.requireNonNull(id, "id"));
        if (market == null) {
            throw new UnknownMarketException(id, markets.keySet());
        }
        return market;
    }

    /** The markets of one tier, in order. */
    public List<Market> inTier(MarketTier tier) {
        return markets.values().stream().filter(m -> m.tier() == tier).toList();
    }

    /** The markets that cover a jurisdiction, in order (usually one). */
    public List<Market> covering(Jurisdiction jurisdiction) {
        return markets.values().stream().filter(m -> m.covers(jurisdiction)).toList();
    }

    /** The number of markets. */
    public int size() {
        return markets.size();
    }

    @Override
    public String toString() {
        return "MarketCatalog" + markets.keySet();
    }

    /** The text formats a catalog can be written in. */
    public enum Format {
        JSON,
        YAML
    }

    private static final class Defaults {
        static final MarketCatalog CATALOG = loadDefaults();

        private static MarketCatalog loadDefaults() {
            try (InputStream in = MarketCatalog.class.getResourceAsStream(DEFAULT_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(DEFAULT_RESOURCE + " is missing from the geo-core jar");
                }
                return load(in, "classpath:com/enterprisehub/geo/core/market/" + DEFAULT_RESOURCE, Format.JSON);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
