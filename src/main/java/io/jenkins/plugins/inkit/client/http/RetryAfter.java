package io.jenkins.plugins.inkit.client.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads a {@code Retry-After} header, which is either a number of seconds or an HTTP date. */
public final class RetryAfter {

    private RetryAfter() {}

    /** Longer than any wait: a larger number is read as this, so that no arithmetic on it can overflow. */
    public static final Duration LONGEST = Duration.ofDays(3650);

    /**
     * The delay asked for, never negative and never more than {@link #LONGEST}, or {@code null}
     * when the header is absent or unreadable.
     */
    public static Duration parse(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip();
        if (value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // More digits than a long holds still means "longer than anybody waits".
            if (value.length() > 12) {
                return LONGEST;
            }
            Duration asked = Duration.ofSeconds(Long.parseLong(value));
            return asked.compareTo(LONGEST) > 0 ? LONGEST : asked;
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
            Duration delay = Duration.between(now, at);
            return delay.isNegative() ? Duration.ZERO : delay.compareTo(LONGEST) > 0 ? LONGEST : delay;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
