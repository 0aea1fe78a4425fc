package com.enterprisehub.geo.mls.internal;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * How long to wait before retrying an HTTP 429 or 503 (RFC 9110 section 10.2.3, {@code Retry-After}: delay-seconds or
 * an HTTP-date). An HTTP-date is read against the response's own {@code Date} header, not this machine's clock, so a
 * server whose clock is off by an hour still gets the wait it asked for. Stateless.
 */
final class HttpRetries {
    private HttpRetries() {
    }

    /**
     * The wait {@code response} asks for, if it says (capped by the caller); {@code ourClock} is used only when the
     * response carries no {@code Date}.
     */
    static Optional<Duration> retryAfter(HttpResponse<?> response, java.time.Clock ourClock) {
        Optional<String> value = response.headers().firstValue("Retry-After").map(String::strip);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String v = value.get();
        if (v.matches("[0-9]{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
            Optional<ZonedDateTime> serverNow = response.headers().firstValue("Date").flatMap(HttpRetries::date);
            ZonedDateTime reference = serverNow.orElse(ZonedDateTime.now(ourClock));
            Duration wait = Duration.between(reference, at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<ZonedDateTime> date(String value) {
        try {
            return Optional.of(ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Exponential back-off for attempt {@code n} (0-based) when the server says nothing: 0.5 s, 1 s, 2 s, ... */
    static Duration backoff(int attempt) {
        return Duration.ofMillis(500L << Math.min(attempt, 10));
    }
}
