package com.enterprisehub.geo.platform.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tenant configuration as JSON that reads back equal to what was written: integers that fit an {@code int}
 * and doubles are plain JSON numbers; {@code Long}, {@code BigInteger} and {@code BigDecimal} values are
 * tagged ({@code {"$long":"5"}}), because plain JSON would read them back as another type. Configuration
 * keys are lowercase words, so a '$' key cannot clash with one. Thread-safe. Not part of the API.
 */
public final class ConfigJson {
    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ConfigJson() {
    }

    public static String write(Map<String, ?> map) {
        try {
            return MAPPER.writeValueAsString(node(map));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Configuration could not be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static Map<String, Object> readMap(String json) {
        try {
            return map(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored configuration is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode node(Object value) {
        if (value instanceof Map<?, ?> map) {
            ObjectNode node = NODES.objectNode();
            map.forEach((k, v) -> node.set((String) k, node(v)));
            return node;
        }
        if (value instanceof List<?> list) {
            var array = NODES.arrayNode();
            list.forEach(v -> array.add(node(v)));
            return array;
        }
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (value instanceof Double d) {
            return NODES.numberNode(d);
        }
        if (value instanceof Long l) {
            return NODES.objectNode().put("$long", l.toString());
        }
        if (value instanceof BigInteger b) {
            return NODES.objectNode().put("$bigint", b.toString());
        }
        if (value instanceof BigDecimal d) {
            return NODES.objectNode().put("$decimal", d.toString());
        }
        throw new IllegalArgumentException("not a configuration value: " + value);
    }

    private static Map<String, Object> map(JsonNode node) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            map.put(e.getKey(), value(e.getValue()));
        }
        return map;
    }

    private static Object value(JsonNode node) {
        if (node.isObject()) {
            if (node.size() == 1) {
                if (node.has("$long")) {
                    return Long.valueOf(node.get("$long").asText());
                }
                if (node.has("$bigint")) {
                    return new BigInteger(node.get("$bigint").asText());
                }
                if (node.has("$decimal")) {
                    return new BigDecimal(node.get("$decimal").asText());
                }
            }
            return map(node);
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(v -> list.add(value(v)));
            return list;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isInt()) {
            return node.intValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        throw new IllegalStateException("Stored configuration holds an unexpected JSON value: " + node);
    }
}
