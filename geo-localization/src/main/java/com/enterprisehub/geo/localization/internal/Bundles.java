package com.enterprisehub.geo.localization.internal;

import com.enterprisehub.geo.localization.LocalizationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The message bundles: UTF-8 properties files named {@code <base>_<lang>[_<COUNTRY>].properties}, read
 * once and kept. A locale's chain goes from the most specific bundle to its language's, then to the root
 * language's ({@code fr-CA -> fr -> en}). The root language's bundle defines the key set. Thread-safe. Not
 * part of the API.
 */
public final class Bundles {
    /** The language every chain ends in; its bundle defines which keys exist. */
    public static final String ROOT_LANGUAGE = "en";
    /** The region whose wording the root bundle holds (CLDR's "en" is US English). */
    public static final String ROOT_REGION = "US";

    /**
     * Whether {@code key} is worded per region, not only per language: real-estate terms and listing
     * statuses differ between the US, Canada, the UK and Australia, so a regional locale must state them.
     */
    public static boolean regional(String key) {
        return key.startsWith("term.") || key.equals("listing.status");
    }

    private final String base;
    private final ClassLoader loader;
    private final Map<String, Map<String, String>> files = new ConcurrentHashMap<>();

    public Bundles(String base, ClassLoader loader) {
        this.base = base;
        this.loader = loader;
    }

    /**
     * A bundle with its name ({@code fr_CA}), whether it is in the requested locale's own language, and the
     * region whose wording it holds ({@code CA}; {@code US} for the root bundle; empty for a language's).
     */
    public record Bundle(String name, boolean ownLanguage, String region, Map<String, String> texts) {
    }

    /** The chain for {@code locale}, most specific first; bundles that do not exist are left out. */
    public List<Bundle> chain(Locale locale) {
        List<Bundle> chain = new ArrayList<>(3);
        String language = locale.getLanguage();
        if (!locale.getCountry().isEmpty()) {
            add(chain, language + "_" + locale.getCountry(), true, locale.getCountry());
        }
        add(chain, language, true, language.equals(ROOT_LANGUAGE) ? ROOT_REGION : "");
        if (!language.equals(ROOT_LANGUAGE)) {
            add(chain, ROOT_LANGUAGE, false, ROOT_REGION);
        }
        return chain;
    }

    private void add(List<Bundle> chain, String name, boolean ownLanguage, String region) {
        Map<String, String> texts = file(name);
        if (texts != null) {
            chain.add(new Bundle(name, ownLanguage, region, texts));
        }
    }

    /** Every key of the root language's bundle, sorted. */
    public Set<String> keys() {
        Map<String, String> root = file(ROOT_LANGUAGE);
        if (root == null) {
            throw new LocalizationException("The root message bundle " + base + "_" + ROOT_LANGUAGE
                    + ".properties is missing from the class path.");
        }
        return Collections.unmodifiableSet(new TreeSet<>(root.keySet()));
    }

    private Map<String, String> file(String name) {
        Map<String, String> texts = files.computeIfAbsent(name, this::read);
        return texts.isEmpty() ? null : texts;
    }

    /**
     * The resource from the bundle loader or, on the module path, from this module itself: a named module's
     * resources in its packages are hidden from class loaders, but the module reads its own (the SDK's bundles).
     */
    private InputStream open(String resource) throws IOException {
        InputStream in = loader.getResourceAsStream(resource);
        Module self = Bundles.class.getModule();
        return in != null || !self.isNamed() ? in : self.getResourceAsStream(resource);
    }

    private Map<String, String> read(String name) {
        String resource = base + "_" + name + ".properties";
        try (InputStream in = open(resource)) {
            if (in == null) {
                return Map.of();
            }
            Properties p = new Properties();
            try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            Map<String, String> texts = new LinkedHashMap<>();
            for (String key : new TreeSet<>(p.stringPropertyNames())) {
                texts.put(key, p.getProperty(key));
            }
            return Collections.unmodifiableMap(texts);
        } catch (IOException | IllegalArgumentException e) {
            throw new LocalizationException("Cannot read message bundle " + resource + ": " + e.getMessage(), e);
        }
    }
}
