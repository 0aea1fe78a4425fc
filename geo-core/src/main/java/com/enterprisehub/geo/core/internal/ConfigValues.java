package com.enterprisehub.geo.core.internal;

import com.enterprisehub.geo.core.ConfigKeys;
import com.enterprisehub.geo.core.GeoValidationException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks and deep-copies JSON-like configuration values. Not part of the API. */
public final class ConfigValues {
    private static final int MAX_DEPTH = 16;

    private ConfigValues() {
    }

    /** An unmodifiable deep copy of a configuration map; refuses values that are not JSON-like. */
    public static Map<String, Object> copyMap(Map<String, ?> map, String path) {
        return copyMap(map, path, 0);
    }

    private static Map<String, Object> copyMap(Map<?, ?> map, String path, int depth) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (!(k instanceof String key)) {
                throw new GeoValidationException(path + ": keys must be text; got " + k + ".");
            }
            ConfigKeys.check(key, "configuration");
            copy.put(key, copy(v, path + "." + key, depth + 1));
        });
        return Collections.unmodifiableMap(copy);
    }

    private static Object copy(Object value, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new GeoValidationException(path + ": configuration is nested more than " + MAX_DEPTH + " deep.");
        }
        if (value instanceof String || value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof BigInteger || value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                throw new GeoValidationException(path + ": numbers must be finite; got " + d + ".");
            }
            return d;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                copy.add(copy(list.get(i), path + "[" + i + "]", depth + 1));
            }
            return Collections.unmodifiableList(copy);
        }
        if (value instanceof Map<?, ?> map) {
            return copyMap(map, path, depth);
        }
        throw new GeoValidationException(path + ": a configuration value is text, a boolean, an integer, a decimal,"
                + " or a list or map of them; got " + (value == null ? "null" : value.getClass().getName()) + ".");
    }
}
