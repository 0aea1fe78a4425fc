package com.enterprisehub.geo.core.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ISO 3166-2 codes the SDK knows, read once from {@code iso-3166-2.tsv} (which cites its source).
 * Not part of the API.
 */
public final class Subdivisions {
    private static final Map<String, String> NAMES = load();
    private static final Set<String> COUNTRIES = countriesOf(NAMES);

    private Subdivisions() {
    }

    public static boolean isKnown(String code) {
        return NAMES.containsKey(code);
    }

    /** The English name of a known code. */
    public static String name(String code) {
        String name = NAMES.get(code);
        if (name == null) {
            throw new IllegalArgumentException("unknown subdivision " + code);
        }
        return name;
    }

    /** The ISO 3166-1 codes of the countries whose subdivisions are known, sorted. */
    public static Set<String> countries() {
        return COUNTRIES;
    }

    private static Map<String, String> load() {
        Map<String, String> names = new LinkedHashMap<>();
        try (InputStream in = Subdivisions.class.getResourceAsStream("iso-3166-2.tsv")) {
            if (in == null) {
                throw new IllegalStateException("iso-3166-2.tsv is missing from the geo-core jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\t", 2);
                names.put(parts[0].trim(), parts[1].trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Collections.unmodifiableMap(names);
    }

    private static Set<String> countriesOf(Map<String, String> names) {
        Set<String> countries = new TreeSet<>();
        names.keySet().forEach(code -> countries.add(code.substring(0, 2)));
        return Collections.unmodifiableSet(countries);
    }
}
