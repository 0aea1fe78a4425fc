package com.enterprisehub.geo.platform;

import com.enterprisehub.geo.core.event.PlatformEvent;
import java.time.Instant;
import java.util.Objects;

/**
 * A platform operation or one of its steps started, finished or failed. Type {@code platform.step}.
 *
 * @param at when
 * @param subject what it is about ("market:us-ca", "tenant:acme")
 * @param step the step ("KEY_MATERIAL"), or the operation ("deploy") for its outcome
 * @param status the step's status
 * @param actor who asked for the operation
 * @param detail the evidence or the error
 */
public record PlatformStepEvent(Instant at, String subject, String step, StepStatus status, String actor,
        String detail) implements PlatformEvent {
    public PlatformStepEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String type() {
        return "platform.step";
    }
}
