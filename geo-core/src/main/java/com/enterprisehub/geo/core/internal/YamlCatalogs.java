package com.enterprisehub.geo.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The YAML side of the catalog loader, in a class of its own so that jackson-dataformat-yaml (an optional
 * dependency) is loaded only when a YAML catalog is read. Not part of the API.
 */
final class YamlCatalogs {
    private YamlCatalogs() {
    }

    /**
     * A YAML factory whose reader stops at {@code maxCodePoints} (SnakeYAML's own default is 3 MB) and at
     * {@code constraints}; duplicate keys are refused.
     */
    static JsonFactory factory(int maxCodePoints, StreamReadConstraints constraints) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setCodePointLimit(maxCodePoints);
        options.setMaxAliasesForCollections(0); // aliases are refused anyway (see refusingAliases)
        options.setNestingDepthLimit(constraints.getMaxNestingDepth());
        return YAMLFactory.builder().loaderOptions(options).streamReadConstraints(constraints).build();
    }

    /**
     * {@code parser} refusing YAML aliases ({@code *name}). jackson-dataformat-yaml reads an alias as the text of
     * its anchor's name, so {@code id: *dup} would silently become the id "dup"; a catalog spells every value out.
     */
    static JsonParser refusingAliases(JsonParser parser) {
        if (!(parser instanceof YAMLParser yaml)) {
            return parser;
        }
        return new JsonParserDelegate(parser) {
            @Override
            public JsonToken nextToken() throws IOException {
                JsonToken token = super.nextToken();
                if (yaml.isCurrentAlias()) {
                    throw new JsonParseException(this, "a YAML alias (*" + yaml.getText() + ") is not allowed in a"
                            + " market catalog: write the value out in full");
                }
                return token;
            }

            // Every other way of advancing goes through nextToken, so no alias slips past.
            @Override
            public JsonToken nextValue() throws IOException {
                JsonToken t = nextToken();
                return t == JsonToken.FIELD_NAME ? nextToken() : t;
            }

            @Override
            public String nextFieldName() throws IOException {
                return nextToken() == JsonToken.FIELD_NAME ? currentName() : null;
            }

            @Override
            public boolean nextFieldName(SerializableString str) throws IOException {
                return nextToken() == JsonToken.FIELD_NAME && str.getValue().equals(currentName());
            }

            @Override
            public String nextTextValue() throws IOException {
                return nextToken() == JsonToken.VALUE_STRING ? getText() : null;
            }

            @Override
            public int nextIntValue(int defaultValue) throws IOException {
                return nextToken() == JsonToken.VALUE_NUMBER_INT ? getIntValue() : defaultValue;
            }

            @Override
            public long nextLongValue(long defaultValue) throws IOException {
                return nextToken() == JsonToken.VALUE_NUMBER_INT ? getLongValue() : defaultValue;
            }

            @Override
            public Boolean nextBooleanValue() throws IOException {
                JsonToken t = nextToken();
                return t == JsonToken.VALUE_TRUE ? Boolean.TRUE : t == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
            }
        };
    }
}
