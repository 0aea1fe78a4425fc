package com.enterprisehub.geo.models;

import com.enterprisehub.geo.core.GeoValidationException;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The names of a model's input features, in the order of the vector it reads. A model is only ever given vectors of
 * the schema it was trained on: serving compares the encoder's schema with the artifact's and refuses a mismatch.
 *
 * @param names the feature names, unique, at least one
 */
public record FeatureSchema(List<String> names) {
    public FeatureSchema {
        names = List.copyOf(Objects.requireNonNull(names, "names"));
        if (names.isEmpty()) {
            throw new GeoValidationException("A feature schema needs at least one feature.");
        }
        if (new HashSet<>(names).size() != names.size()) {
            throw new GeoValidationException("Feature names must be unique; got " + names + ".");
        }
        for (String n : names) {
            if (n.isBlank() || n.indexOf('\n') >= 0 || n.indexOf(',') >= 0) {
                throw new GeoValidationException("A feature name must be non-blank, without commas or line breaks;"
                        + " got '" + n + "'.");
            }
        }
    }

    /** How many features a vector of this schema has. */
    public int size() {
        return names.size();
    }

    /** The position of {@code name}, or -1. */
    public int indexOf(String name) {
        return names.indexOf(name);
    }
}
