package com.enterprisehub.geo.platform;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of a market deployment or a tenant's provisioning or offboarding, as the journal holds it.
 *
 * @param subject what the step belongs to ("market:us-ca", "tenant:acme")
 * @param step the step's name ("KEY_MATERIAL")
 * @param ordinal its position in the operation
 * @param status started, done or failed
 * @param attempts how many times it was started
 * @param startedAt when the last attempt started
 * @param finishedAt when it finished or failed
 * @param duration how long the last attempt took
 * @param evidence what the step made or found (a key id, an object's digest, a server version)
 * @param error why the last attempt failed
 */
public record StepRecord(String subject, String step, int ordinal, StepStatus status, int attempts,
        Instant startedAt, Optional<Instant> finishedAt, Optional<Duration> duration, String evidence,
        Optional<String> error) {
    public StepRecord {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(evidence, "evidence");
        Objects.requireNonNull(error, "error");
    }
}
