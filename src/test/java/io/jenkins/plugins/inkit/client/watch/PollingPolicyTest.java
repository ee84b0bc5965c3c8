package io.jenkins.plugins.inkit.client.watch;

import static io.jenkins.plugins.inkit.client.TestBatches.batch;
import static io.jenkins.plugins.inkit.client.TestBatches.dest;
import static io.jenkins.plugins.inkit.client.TestBatches.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.model.Batch;
import io.jenkins.plugins.inkit.client.text.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PollingPolicyTest {

    static final Instant START = Instant.parse("2026-11-29T12:00:00Z");
    static final int DOCS = 500;

    /** A batch of {@link #DOCS} documents, settled as a function of the seconds since the start. */
    static Batch at(long settled) {
        try {
            long s = Math.min(settled, DOCS);
            return parse(batch("fb_1", DOCS, dest("inkit_storage", DOCS, s, 0, DOCS - s)));
        } catch (InkitException e) {
            throw new AssertionError(e);
        }
    }

    static LongFunction<Batch> steady(long finishSeconds) {
        return t -> at(t >= finishSeconds ? DOCS : DOCS * t / finishSeconds);
    }

    static LongFunction<Batch> allAtTheEnd(long finishSeconds) {
        return t -> at(t >= finishSeconds ? DOCS : 0);
    }

    /** The times (seconds from the start) at which the policy looks, until it stops. */
    static List<Long> looks(PollingPolicy policy, LongFunction<Batch> shape, Duration timeout) throws Exception {
        WatchState state = new WatchState("fb_1", true, START, timeout);
        List<Long> looks = new ArrayList<>();
        Instant now = START;
        while (true) {
            PollingPolicy.Decision d = policy.decide(state, now);
            if (d.kind() != PollingPolicy.Decision.Kind.LOOK) {
                return looks;
            }
            assertFalse(d.at().isBefore(now), "never in the past");
            now = d.at();
            long t = Duration.between(START, now).toSeconds();
            looks.add(t);
            state.recordLook(shape.apply(t), now);
            assertTrue(looks.size() < 10_000, "runaway");
        }
    }

    @Test
    void looksAtOnceThenAfterTheMinimumInterval() throws Exception {
        List<Long> looks = looks(PollingPolicy.DEFAULT, allAtTheEnd(3600), Duration.ofHours(2));
        assertEquals(0L, looks.get(0));
        assertEquals(5L, looks.get(1));
    }

    @Test
    void backsOffWhileNothingMoves() throws Exception {
        List<Long> looks = looks(PollingPolicy.DEFAULT, allAtTheEnd(100_000), Duration.ofHours(1));
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < 8; i++) {
            gaps.add(looks.get(i) - looks.get(i - 1));
        }
        assertEquals(List.of(5L, 10L, 20L, 40L, 80L, 160L, 300L), gaps);
    }

    @ParameterizedTest
    @ValueSource(longs = {10, 60, 300, 1800, 7200})
    void neverMoreThanTheMaximumIntervalApartNorPastTheDeadline(long finish) throws Exception {
        PollingPolicy policy = new PollingPolicy(Duration.ofSeconds(5), Duration.ofSeconds(120));
        Duration timeout = Duration.ofHours(1);
        for (LongFunction<Batch> shape : List.of(steady(finish), allAtTheEnd(finish))) {
            List<Long> looks = looks(policy, shape, timeout);
            for (int i = 1; i < looks.size(); i++) {
                long gap = looks.get(i) - looks.get(i - 1);
                assertTrue(gap <= 120, "gap " + gap + " at look " + i);
            }
            long last = looks.get(looks.size() - 1);
            assertTrue(last <= timeout.toSeconds(), "looked at " + last + " s, after the deadline");
            if (finish < timeout.toSeconds()) {
                assertTrue(last >= finish, "stopped before the batch finished");
                assertTrue(last - finish <= 120, "detected " + (last - finish) + " s late");
            } else {
                assertTrue(
                        last >= timeout.minus(PollingPolicy.FINAL_LOOK_LEAD).toSeconds() - 1,
                        "a last look near the deadline: " + last);
            }
        }
    }

    @Test
    void aSteadyBatchCostsFarFewerRequestsThanAFixedShortInterval() throws Exception {
        List<Long> looks = looks(PollingPolicy.DEFAULT, steady(1800), Duration.ofHours(1));
        long fixedTenSeconds = 1800 / 10 + 1;
        assertTrue(looks.size() * 10 < fixedTenSeconds, looks.size() + " looks: " + looks);
        long last = looks.get(looks.size() - 1);
        assertTrue(last >= 1800 && last - 1800 <= 15, "detected within 15 s: " + looks);
    }

    @Test
    void theDeadlineEndsAWaitOnABatchThatNeverFinishes() throws Exception {
        WatchState state = new WatchState("fb_1", true, START, Duration.ofMinutes(10));
        Instant now = START;
        PollingPolicy.Decision d;
        while ((d = PollingPolicy.DEFAULT.decide(state, now)).kind() == PollingPolicy.Decision.Kind.LOOK) {
            now = d.at();
            state.recordLook(at(0), now);
        }
        assertEquals(PollingPolicy.Decision.Kind.DEADLINE_PASSED, d.kind());
        assertEquals(
                START.plus(Duration.ofMinutes(10)).minus(PollingPolicy.FINAL_LOOK_LEAD),
                state.lastLook(),
                "the final look");
    }

    @Test
    void aSingleCheckIsDoneAfterOneAnswerAndAFinishedBatchEndsTheWait() throws Exception {
        WatchState check = new WatchState("fb_1", false, START, Duration.ofMinutes(1));
        check.recordLook(at(0), START);
        assertEquals(
                PollingPolicy.Decision.Kind.DONE,
                PollingPolicy.DEFAULT.decide(check, START).kind());

        WatchState wait = new WatchState("fb_1", true, START, Duration.ofMinutes(1));
        wait.recordLook(at(DOCS), START);
        assertEquals(
                PollingPolicy.Decision.Kind.DONE,
                PollingPolicy.DEFAULT.decide(wait, START).kind());
    }

    @Test
    void resumingLateLooksAtOnce() throws Exception {
        WatchState state = new WatchState("fb_1", true, START, Duration.ofHours(1));
        state.recordLook(at(0), START);
        Instant afterRestart = START.plus(Duration.ofMinutes(20));
        PollingPolicy.Decision d = PollingPolicy.DEFAULT.decide(state, afterRestart);
        assertEquals(afterRestart, d.at());
        assertEquals(
                PollingPolicy.Decision.Kind.DEADLINE_PASSED,
                PollingPolicy.DEFAULT
                        .decide(state, START.plus(Duration.ofHours(2)))
                        .kind());
    }

    @Test
    void userSettingsAreChecked() throws Exception {
        assertEquals(
                Duration.ofSeconds(30),
                PollingPolicy.of(Duration.ofSeconds(30), null).minInterval());
        assertEquals(
                Duration.ofMinutes(10),
                PollingPolicy.of(Duration.ofMinutes(10), null).maxInterval(),
                "max follows a longer min");
        InkitException tooShort =
                assertThrows(InkitException.class, () -> PollingPolicy.of(Duration.ofMillis(200), null));
        assertEquals("The poll interval is 200ms; it must be at least 1 second.", tooShort.getMessage());
        InkitException inverted = assertThrows(
                InkitException.class, () -> PollingPolicy.of(Duration.ofMinutes(2), Duration.ofMinutes(1)));
        assertEquals(
                "The maximum poll interval (1m) is shorter than the poll interval (2m); make it at least as long.",
                inverted.getMessage());
    }

    @Test
    void durationsReadLikePeopleWriteThem() {
        assertEquals("0s", Durations.format(Duration.ZERO));
        assertEquals("45s", Durations.format(Duration.ofSeconds(45)));
        assertEquals("1m 30s", Durations.format(Duration.ofSeconds(90)));
        assertEquals("2h", Durations.format(Duration.ofHours(2)));
        assertEquals("1h 1m 1s", Durations.format(Duration.ofSeconds(3661)));
    }
}
