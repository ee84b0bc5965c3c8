package io.jenkins.plugins.inkit.client.watch;

import static io.jenkins.plugins.inkit.client.watch.FinishEstimateTest.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The second look placed by the first look's estimate, on a simulated clock: the server's clock is
 * the true one, answers carry its time in whole seconds, and this machine's clock may be off.
 */
class FirstLookPolicyTest {

    static final Instant CREATED = FinishEstimateTest.CREATED;
    static final long DOCS = 1000;

    /** Settled documents, {@code ms} after creation, working from {@code startMs} for {@code workMs}. */
    static LongUnaryOperator steady(long startMs, long workMs) {
        return ms -> ms <= startMs ? 0 : Math.min(DOCS, DOCS * (ms - startMs) / workMs);
    }

    /** When the wait looked, in ms after creation on the server's clock, until the policy stopped. */
    record Run(List<Long> looks, boolean sawTheEnd) {
        long last() {
            return looks.get(looks.size() - 1);
        }
    }

    static Run run(PollingPolicy policy, LongUnaryOperator settled, long firstLookMs, long skewMs, boolean date)
            throws Exception {
        Instant start = CREATED.plusMillis(firstLookMs + skewMs);
        WatchState state = new WatchState("fb_1", true, start, Duration.ofHours(1));
        List<Long> looks = new ArrayList<>();
        Instant now = start;
        long seen = 0;
        while (true) {
            PollingPolicy.Decision d = policy.decide(state, now);
            if (d.kind() != PollingPolicy.Decision.Kind.LOOK) {
                return new Run(looks, seen >= DOCS);
            }
            assertFalse(d.at().isBefore(now), "never in the past");
            now = d.at();
            Instant server = now.minusMillis(skewMs);
            long t = Duration.between(CREATED, server).toMillis();
            seen = settled.applyAsLong(t);
            looks.add(t);
            state.recordLook(
                    batch(DOCS, seen, CREATED.toString()),
                    now,
                    date ? Instant.ofEpochSecond(server.getEpochSecond()) : null);
            assertTrue(looks.size() < 1000, "runaway");
        }
    }

    @Test
    void aSteadyShortBatchSeenRightAfterItsLaunchCostsTwoLooks() throws Exception {
        Run r = run(PollingPolicy.DEFAULT, steady(0, 20_000), 1500, 0, true);
        assertEquals(2, r.looks().size(), r.looks().toString());
        assertTrue(r.sawTheEnd());
        long late = r.last() - 20_000;
        assertTrue(late >= 0 && late <= 3_000, "noticed " + late + " ms late");
    }

    @Test
    void aBatchThatQueuedBeforeTheFirstLookIsNotTrusted() throws Exception {
        // Created 20 s before the first look, processing began 10 s before it, done 30 s after it.
        Run r = run(PollingPolicy.DEFAULT, steady(10_000, 40_000), 20_000, 0, true);
        assertEquals(25_000L, r.looks().get(1), "the second look after the poll interval: " + r.looks());
        long late = r.last() - 50_000;
        assertTrue(late >= 0 && late <= 6_000, "noticed " + late + " ms late: " + r.looks());
    }

    @Test
    void withoutADateHeaderTheSecondLookIsAfterThePollInterval() throws Exception {
        Run r = run(PollingPolicy.DEFAULT, steady(0, 20_000), 1500, 0, false);
        assertEquals(6_500L, r.looks().get(1));
        assertTrue(r.sawTheEnd());
    }

    @ParameterizedTest
    @ValueSource(longs = {-180_000, -1_500, 1_500, 180_000})
    void aClockThatIsOffDoesNotMoveTheSecondLookPastTheFinish(long skewMs) throws Exception {
        Run r = run(PollingPolicy.DEFAULT, steady(0, 20_000), 1500, skewMs, true);
        assertTrue(r.sawTheEnd());
        assertTrue(r.looks().get(1) <= 20_000, "the second look is not trusted to the end: " + r.looks());
        assertTrue(r.last() - 20_000 <= 3_000, "noticed " + (r.last() - 20_000) + " ms late: " + r.looks());
    }

    @Test
    void theJumpNeverPassesTheMaximumIntervalNorTheDeadline() throws Exception {
        PollingPolicy policy = new PollingPolicy(Duration.ofSeconds(5), Duration.ofSeconds(10));
        Run r = run(policy, steady(0, 20_000), 1500, 0, true);
        for (int i = 1; i < r.looks().size(); i++) {
            assertTrue(
                    r.looks().get(i) - r.looks().get(i - 1) <= 10_000, r.looks().toString());
        }
        assertTrue(r.sawTheEnd());

        Instant start = CREATED.plusMillis(1500);
        WatchState shortWait = new WatchState("fb_1", true, start, Duration.ofSeconds(8));
        shortWait.recordLook(batch(DOCS, 75, CREATED.toString()), start, Instant.ofEpochSecond(start.getEpochSecond()));
        assertTrue(PollingPolicy.trusts(shortWait.estimate()));
        PollingPolicy.Decision d = PollingPolicy.DEFAULT.decide(shortWait, start);
        assertEquals(start.plusSeconds(6), d.at(), "the final look, 2 s (a quarter) before the deadline");
    }

    @Test
    void laterLooksLandOnASteadyFinishWithoutTheOldSlack() throws Exception {
        // 30 minutes of steady work: the looks 5 minutes apart measure the pace ever better.
        Run r = run(PollingPolicy.DEFAULT, steady(0, 1_800_000), 1500, 0, true);
        long late = r.last() - 1_800_000;
        assertTrue(late >= 0 && late <= 3_000, "noticed " + late + " ms late: " + r.looks());
        for (int i = 1; i < r.looks().size(); i++) {
            assertTrue(
                    r.looks().get(i) - r.looks().get(i - 1) <= 300_000,
                    r.looks().toString());
        }
    }

    @Test
    void aBatchThatSlowsDownIsLookedAtWhenItCanFinishAtTheSoonest() throws Exception {
        // 50 documents a second, then one a second: the last interval is clearly slower, so no
        // steady pace bounds the end, and the old guess (the rate since the first look, 2 % and
        // 2 s past it) may be far too soon or far too late. The look goes to the soonest end.
        Instant t = CREATED.plusSeconds(10);
        WatchState state = new WatchState("fb_1", true, t, Duration.ofHours(1));
        state.recordLook(batch(DOCS, 100, null), t);
        state.recordLook(batch(DOCS, 600, null), t.plusSeconds(10));
        state.recordLook(batch(DOCS, 610, null), t.plusSeconds(20));
        FinishEstimate e = state.estimate();
        assertNull(e.latest(), "slowing down: " + e);
        assertTrue(PollingPolicy.isWide(e));
        double rate = 510.0 / 20_000;
        Duration oldGuess = Duration.ofMillis((long) (390 / rate * PollingPolicy.ESTIMATE_SLACK) + 2_000);
        Duration interval = PollingPolicy.DEFAULT.interval(state);
        assertEquals(Duration.between(t.plusSeconds(20), e.earliest()), interval);
        assertTrue(interval.compareTo(oldGuess) < 0, interval + " against " + oldGuess);
    }

    @Test
    void aWideRangeIsLookedAtFromItsStartAndANarrowOneJustPastItsEnd() throws Exception {
        // 10 documents a minute with 980 to go, and a maximum interval long enough to wait for
        // them: the end is known only to within about 20 minutes, so the look goes to its start.
        PollingPolicy patient = new PollingPolicy(Duration.ofSeconds(5), Duration.ofHours(3));
        Instant t = CREATED.plusSeconds(10);
        WatchState wide = new WatchState("fb_1", true, t, Duration.ofHours(6));
        wide.recordLook(batch(DOCS, 10, null), t);
        wide.recordLook(batch(DOCS, 20, null), t.plusSeconds(60));
        FinishEstimate far = wide.estimate();
        assertTrue(PollingPolicy.isWide(far), far.toString());
        assertEquals(far.earliest(), patient.decide(wide, t.plusSeconds(60)).at());
        // 900 of 1,000 settled in 100 s: the end is known to within a second, and the look goes
        // just past its latest.
        WatchState narrow = new WatchState("fb_1", true, t, Duration.ofHours(6));
        narrow.recordLook(batch(DOCS, 0, null), t);
        narrow.recordLook(batch(DOCS, 900, null), t.plusSeconds(100));
        FinishEstimate near = narrow.estimate();
        assertFalse(PollingPolicy.isWide(near), near.toString());
        assertEquals(
                near.latest().plus(PollingPolicy.LATEST_MARGIN),
                patient.decide(narrow, t.plusSeconds(100)).at());
    }
}
