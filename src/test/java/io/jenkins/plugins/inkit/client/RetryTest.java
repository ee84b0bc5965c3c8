package io.jenkins.plugins.inkit.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryTest {

    final Instant now = Instant.parse("2026-11-29T12:00:00Z");

    @Test
    void retryAfterInSeconds() {
        assertEquals(Duration.ofSeconds(120), RetryAfter.parse("120", now));
        assertEquals(Duration.ZERO, RetryAfter.parse("0", now));
    }

    @Test
    void retryAfterAsAnHttpDate() {
        assertEquals(Duration.ofSeconds(90), RetryAfter.parse("Sun, 29 Nov 2026 12:01:30 GMT", now));
        assertEquals(Duration.ZERO, RetryAfter.parse("Sun, 29 Nov 2026 11:00:00 GMT", now), "a past date means now");
    }

    @Test
    void unreadableRetryAfterIsIgnored() {
        assertNull(RetryAfter.parse(null, now));
        assertNull(RetryAfter.parse("soon", now));
        assertNull(RetryAfter.parse("-5", now));
        assertNull(RetryAfter.parse("99999999999999999999999", now));
    }

    @Test
    void backoffDoublesWithJitterUpToTheCap() {
        RetryPolicy lowest = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(10), 6, () -> 0.0);
        RetryPolicy highest = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(10), 6, () -> 0.999999);
        long[] ceilings = {1000, 2000, 4000, 8000, 10000, 10000};
        for (int retry = 1; retry <= 6; retry++) {
            long ceiling = ceilings[retry - 1];
            assertEquals(ceiling / 2, lowest.delayBefore(retry, null).toMillis(), "retry " + retry);
            long high = highest.delayBefore(retry, null).toMillis();
            assertTrue(high < ceiling && high >= ceiling - 1, "retry " + retry + ": " + high);
        }
    }

    @Test
    void retriesAreBounded() {
        RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(10), 3, () -> 0.5);
        assertNull(policy.delayBefore(4, null));
        assertNull(policy.delayBefore(0, null));
    }

    @Test
    void retryAfterWinsWhenLonger() {
        RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(10), 3, () -> 0.5);
        assertEquals(Duration.ofSeconds(30), policy.delayBefore(1, Duration.ofSeconds(30)));
        assertEquals(Duration.ofMillis(750), policy.delayBefore(1, Duration.ofMillis(100)));
    }
}
