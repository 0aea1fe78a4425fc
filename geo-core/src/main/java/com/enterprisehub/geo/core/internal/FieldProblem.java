package com.enterprisehub.geo.core.internal;

/** A problem with one field of a value being built. Not part of the API. */
public record FieldProblem(String field, String message) {
}
