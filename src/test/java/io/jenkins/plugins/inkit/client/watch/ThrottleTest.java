package io.jenkins.plugins.inkit.client.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.inkit.client.ManualScheduler;
import io.jenkins.plugins.inkit.client.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Saves of one build at most every few seconds, the last state always saved. */
class ThrottleTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final List<String> ran = new ArrayList<>();
    final Throttle throttle = new Throttle(
            scheduler,
            Runnable::run,
            Duration.ofSeconds(5),
            () -> clock.instant().toEpochMilli() * 1_000_000);

    @Test
    void theFirstRequestRunsAtOnceAndABurstAfterItOnceWhenTheIntervalIsOver() {
        throttle.request("build 1", () -> ran.add("v1"));
        assertEquals(List.of("v1"), ran, "nothing ran before: at once");
        for (int i = 2; i <= 100; i++) {
            String v = "v" + i;
            throttle.request("build 1", () -> ran.add(v));
        }
        assertEquals(List.of("v1"), ran, "the burst waits");
        assertEquals(Duration.ofSeconds(5), scheduler.peek().delay());
        Instant first = clock.instant();
        while (!scheduler.isEmpty()) {
            scheduler.runNext();
        }
        assertEquals(List.of("v1", "v100"), ran, "once, with the latest task");
        assertTrue(clock.instant().isBefore(first.plusSeconds(11)), "not later than the interval allows");
    }

    @Test
    void keysAreIndependentAndForgottenOnceQuiet() {
        throttle.request("build 1", () -> ran.add("a"));
        throttle.request("build 2", () -> ran.add("b"));
        assertEquals(List.of("a", "b"), ran);
        assertEquals(2, throttle.size());
        while (!scheduler.isEmpty()) {
            scheduler.runNext();
        }
        assertEquals(0, throttle.size(), "nothing is kept for builds that stopped changing");
        clock.advance(Duration.ofMinutes(1));
        throttle.request("build 1", () -> ran.add("c"));
        assertEquals(List.of("a", "b", "c"), ran, "long after: at once again");
    }

    @Test
    void aResetForgetsARunThatTheSchedulerDropped() {
        throttle.request("build 1", () -> ran.add("first"));
        throttle.request("build 1", () -> ran.add("dropped")); // waits for the interval
        scheduler.clear(); // the scheduler stopped, as Jenkins' timer does at shutdown
        throttle.request("build 1", () -> ran.add("never"));
        assertEquals(List.of("first"), ran, "still waiting for the dropped run");
        throttle.reset();
        throttle.request("build 1", () -> ran.add("after the reset"));
        assertEquals(List.of("first", "after the reset"), ran);
    }

    @Test
    void aRunThatNeverCameIsNotWaitedForForever() {
        throttle.request("build 1", () -> ran.add("first"));
        throttle.request("build 1", () -> ran.add("dropped"));
        scheduler.clear(); // dropped, and nobody reset the throttle
        clock.advance(Duration.ofSeconds(5).plus(Throttle.STALE).plusSeconds(1));
        throttle.request("build 1", () -> ran.add("later"));
        while (!scheduler.isEmpty()) {
            scheduler.runNext();
        }
        assertEquals(List.of("first", "later"), ran, "a stale pending run does not hold the key");
    }

    @Test
    void aTaskThatThrowsDoesNotStopLaterRuns() {
        try {
            throttle.request("build 1", () -> {
                throw new IllegalStateException("disk full");
            });
        } catch (IllegalStateException expected) {
            // the executor here runs inline, so the task's failure reaches the caller
        }
        throttle.request("build 1", () -> ran.add("after"));
        while (!scheduler.isEmpty()) {
            scheduler.runNext();
        }
        assertTrue(ran.contains("after"), ran.toString());
    }
}
