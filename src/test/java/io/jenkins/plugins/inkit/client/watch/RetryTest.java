package io.jenkins.plugins.inkit.client.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.inkit.client.http.RetryAfter;
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
        assertNull(RetryAfter.parse("٣", now), "only ASCII digits");
    }

    @Test
    void anAbsurdRetryAfterIsReadAsLongerThanAnyWaitWithoutOverflowing() {
        assertEquals(RetryAfter.LONGEST, RetryAfter.parse("99999999999999999", now));
        assertEquals(RetryAfter.LONGEST, RetryAfter.parse("99999999999999999999999", now));
        assertEquals(RetryAfter.LONGEST, RetryAfter.parse("Fri, 31 Dec 9999 23:59:59 GMT", now));
        // What the watch does with it must not overflow either.
        assertTrue(now.plus(RetryAfter.parse("9223372036854775807", now)).isAfter(now));
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
    void theBackoffStaysAtTheCapHoweverLongAnOutageLasts() {
        RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60), 6, () -> 0.999999);
        for (int retry : new int[] {7, 21, 64, 1000, Integer.MAX_VALUE}) {
            Duration d = policy.delayBefore(retry, null);
            assertTrue(
                    d.compareTo(Duration.ofSeconds(30)) >= 0 && d.compareTo(Duration.ofSeconds(60)) < 0,
                    retry + ": " + d);
        }
        assertThrows(IllegalArgumentException.class, () -> policy.delayBefore(0, null));
    }

    @Test
    void retryAfterWinsWhenLonger() {
        RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(10), 3, () -> 0.5);
        assertEquals(Duration.ofSeconds(30), policy.delayBefore(1, Duration.ofSeconds(30)));
        assertEquals(Duration.ofMillis(750), policy.delayBefore(1, Duration.ofMillis(100)));
    }
}
