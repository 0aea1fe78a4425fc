package com.enterprisehub.geo.isolation.migration;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What migrating one schema did.
 *
 * @param target the schema (or tenant) migrated
 * @param applied the versions applied by this run, in order (empty when it was up to date)
 * @param failure why it stopped, if it failed; versions applied before the failure stay applied
 */
public record MigrationResult(String target, List<Integer> applied, Optional<String> failure) {
    public MigrationResult {
        Objects.requireNonNull(target, "target");
        applied = List.copyOf(applied);
        Objects.requireNonNull(failure, "failure");
    }

    public boolean succeeded() {
        return failure.isEmpty();
    }
}
