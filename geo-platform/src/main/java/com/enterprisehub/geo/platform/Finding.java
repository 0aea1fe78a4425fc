package com.enterprisehub.geo.platform;

import java.util.Objects;

/**
 * A blocker or recommendation of a readiness assessment, computed from what was found.
 *
 * @param code a stable code for programs ("residency", "localization.coverage", "compliance.ca-qc.transfer")
 * @param message what was found and what to do, for people
 */
public record Finding(String code, String message) {
    public Finding {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }
}
