package com.enterprisehub.geo.platform.compliance;

import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * One thing a law requires, as a {@link Check} on the configuration, with its source.
 *
 * @param id a unique id ("us-ca.breach-notice")
 * @param law the law it comes from
 * @param check what the configuration must show
 * @param text what the law requires, in plain words
 * @param deadline for breach notification: the statutory deadline, when the law gives a number
 * @param deadlineWording for breach notification: the statute's own words ("without unreasonable delay")
 * @param source the section itself where possible
 * @param effective when the requirement as described took effect
 */
public record Requirement(String id, Law law, Check check, String text, Optional<Duration> deadline,
        Optional<String> deadlineWording, URI source, LocalDate effective) {
    public Requirement {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(law, "law");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(deadlineWording, "deadlineWording");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(effective, "effective");
    }
}
