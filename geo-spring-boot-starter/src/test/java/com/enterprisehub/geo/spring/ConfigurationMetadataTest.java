package com.enterprisehub.geo.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The configuration metadata the build generates (Boot's annotation processor, merged with
 * {@code additional-spring-configuration-metadata.json}) describes every property {@link GeoProperties} binds, as IDEs
 * show it: a description (plain text, no Javadoc tags), a type, and the default the binder applies. The fields of list
 * elements ({@code geo.endpoints[i].*}), which Boot's metadata format has no entries for, are described in their list's
 * entry. The properties are found by walking {@code GeoProperties} itself, so a new one without metadata fails here.
 */
class ConfigurationMetadataTest {
    private static final String PREFIX = "geo";
    private static Map<String, JsonNode> metadata;
    private static Map<String, JsonNode> hints;

    /** A bound property: a leaf, or a list of records whose element fields are {@code elementFields}. */
    record Bound(String name, RecordComponent component, DefaultValue declared, List<String> elementFields) {
    }

    @BeforeAll
    static void read() throws IOException {
        JsonNode ours = null;
        for (URL url : Collections.list(ConfigurationMetadataTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                JsonNode node = new ObjectMapper().readTree(in);
                for (JsonNode group : node.path("groups")) {
                    if (GeoProperties.class.getName().equals(group.path("type").asText())) {
                        ours = node;
                    }
                }
            }
        }
        assertThat(ours).as("the starter's generated metadata on the class path").isNotNull();
        metadata = new LinkedHashMap<>();
        ours.path("properties").forEach(p -> metadata.put(p.path("name").asText(), p));
        hints = new LinkedHashMap<>();
        ours.path("hints").forEach(h -> hints.put(h.path("name").asText(), h));
    }

    @Test
    void everyBoundPropertyHasADescriptionATypeAndItsDefault() {
        List<Bound> bound = walk(PREFIX, GeoProperties.class);
        assertThat(bound).hasSizeGreaterThan(35);
        for (Bound b : bound) {
            JsonNode entry = metadata.get(b.name());
            assertThat(entry).as("metadata of %s", b.name()).isNotNull();
            String description = entry.path("description").asText();
            assertThat(description).as("description of %s", b.name()).isNotBlank().doesNotContain("{@")
                    .endsWith(".");
            assertThat(Character.isUpperCase(description.charAt(0))).as("%s: %s", b.name(), description).isTrue();
            assertThat(entry.path("type").asText()).as("type of %s", b.name()).isNotBlank();
            DefaultValue declared = b.declared();
            JsonNode shown = entry.get("defaultValue");
            if (declared == null || declared.value().length == 0) {
                assertThat(shown).as("default of %s", b.name()).isNull();
            } else if (declared.value().length == 1 && !List.class.isAssignableFrom(b.component().getType())) {
                assertThat(shown).as("default of %s", b.name()).isNotNull();
                assertThat(shown.asText()).as("default of %s", b.name()).isEqualTo(declared.value()[0]);
            } else {
                assertThat(shown.isArray()).as("default of %s is a JSON array: %s", b.name(), shown).isTrue();
                List<String> values = new ArrayList<>();
                shown.forEach(v -> values.add(v.asText()));
                assertThat(values).as("default of %s", b.name()).containsExactly(declared.value());
            }
            for (String field : b.elementFields()) {
                assertThat(description).as("%s describes its elements' %s", b.name(), field)
                        .containsPattern("(^|[ (;])" + java.util.regex.Pattern.quote(field) + "[ ,;)]");
            }
        }
    }

    @Test
    void nothingElseIsDescribedAndEveryHintNamesABoundProperty() {
        TreeSet<String> names = new TreeSet<>();
        walk(PREFIX, GeoProperties.class).forEach(b -> names.add(b.name()));
        assertThat(new TreeSet<>(metadata.keySet())).isEqualTo(names);
        assertThat(names).containsAll(hints.keySet());
    }

    @Test
    void regionsAreHintedWithEveryDeploymentRegion() {
        List<String> regions = Arrays.stream(com.enterprisehub.geo.core.market.DeploymentRegion.values())
                .map(Enum::name).toList();
        for (String name : List.of("geo.control-plane.region", "geo.secrets.region")) {
            List<String> values = new ArrayList<>();
            hints.get(name).path("values").forEach(v -> values.add(v.path("value").asText()));
            assertThat(values).as(name).containsExactlyElementsOf(regions);
        }
        for (String list : List.of("geo.endpoints", "geo.dedicated-servers")) {
            assertThat(metadata.get(list).path("description").asText()).contains(regions);
        }
    }

    /** The properties a record binds under {@code prefix}: nested records are groups, lists of records elements. */
    private static List<Bound> walk(String prefix, Class<?> record) {
        List<Bound> out = new ArrayList<>();
        RecordComponent[] components = record.getRecordComponents();
        java.lang.reflect.Parameter[] parameters;
        try { // @DefaultValue sits on the canonical constructor's parameters
            parameters = record.getDeclaredConstructor(Arrays.stream(components).map(RecordComponent::getType)
                    .toArray(Class<?>[]::new)).getParameters();
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            DefaultValue declared = parameters[i].getAnnotation(DefaultValue.class);
            String name = prefix + "." + kebab(c.getName());
            Class<?> type = c.getType();
            if (type.isRecord()) {
                out.addAll(walk(name, type));
            } else if (List.class.isAssignableFrom(type) && element(c.getGenericType()).isRecord()) {
                List<String> fields = walk("", element(c.getGenericType())).stream()
                        .map(b -> b.name().substring(1)).toList();
                out.add(new Bound(name, c, declared, fields));
            } else {
                out.add(new Bound(name, c, declared, List.of()));
            }
        }
        return out;
    }

    private static Class<?> element(Type listType) {
        Type argument = ((ParameterizedType) listType).getActualTypeArguments()[0];
        return argument instanceof Class<?> k ? k : Object.class;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
