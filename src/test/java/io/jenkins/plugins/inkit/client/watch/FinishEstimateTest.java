package io.jenkins.plugins.inkit.client.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.TestBatches;
import io.jenkins.plugins.inkit.client.model.Batch;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What one or more looks say about when a batch will finish. */
class FinishEstimateTest {

    static final Instant CREATED = Instant.parse("2026-11-29T12:00:00.250000Z");

    /** A batch of {@code total} documents, {@code settled} of them settled, created as given. */
    static Batch batch(long total, long settled, String createdAt) {
        String created = createdAt == null ? "" : "\"created_at\": \"" + createdAt + "\", ";
        try {
            return TestBatches.parse("{\"id\": \"fb_1\", \"total\": " + total + ", " + created
                    + "\"destinations\": {\"inkit_storage\": {\"count\": " + total + ", \"completed\": " + settled
                    + ", \"failed\": 0, \"in_progress\": " + (total - settled) + "}}}");
        } catch (InkitException e) {
            throw new AssertionError(e);
        }
    }

    static Batch batch(long total, long settled) {
        return batch(total, settled, CREATED.toString());
    }

    /** The Date header of an answer given at {@code t}: whole seconds. */
    static Instant date(Instant t) {
        return Instant.ofEpochSecond(t.getEpochSecond());
    }

    static WatchState state() throws InkitException {
        return new WatchState("fb_1", true, CREATED, Duration.ofHours(1));
    }

    @Test
    void theFirstLookEstimatesFromTheCreationOnTheServersClock() throws Exception {
        // 75 of 1,000 settled 1.5 s after creation, counted by Inkit halfway through an 80 ms
        // exchange: a 20 s batch, 18.5 s to go.
        Instant look = CREATED.plusMillis(1500);
        WatchState state = state();
        state.recordLook(batch(1000, 75), look.minusMillis(40), look.plusMillis(40), date(look));
        FinishEstimate e = state.estimate();
        assertEquals(FinishEstimate.Basis.CREATION, e.basis());
        Instant finish = CREATED.plusSeconds(20);
        assertFalse(e.earliest().isAfter(finish), e.toString());
        assertFalse(e.latest().isBefore(finish), e.toString());
        assertTrue(Duration.between(e.earliest(), e.latest()).compareTo(Duration.ofSeconds(2)) <= 0, e.toString());
        // The later end of the age: the answer's arrival, and the clocks' agreement.
        assertEquals(Duration.ofMillis(1500 + 40).plus(FinishEstimate.CLOCK_AGREEMENT), e.age());
        long left = e.left(look).toMillis();
        assertTrue(left > 17_500 && left < 19_500, left + " ms");
        assertTrue(PollingPolicy.trusts(e));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 500, 999})
    void aSlowAnswerIsDatedByItsWholeExchange(long intoTheSecond) throws Exception {
        // Inkit counted 75 of 1,000 1.5 s after creation, as the request arrived, and took 2 s to
        // answer: when during those 2 s it counted is unknown here, so the range holds the finish
        // wherever in the exchange the counting was, and is too wide to aim a look at.
        Instant read = CREATED.plusMillis(1500)
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .plusMillis(intoTheSecond);
        Duration sinceCreation = Duration.between(CREATED, read);
        long settled = 1000 * sinceCreation.toMillis() / 20_000;
        Instant finish = CREATED.plusSeconds(20);
        WatchState state = state();
        state.recordLook(batch(1000, settled), read.minusMillis(40), read.plusMillis(2040), date(read));
        FinishEstimate e = state.estimate();
        assertFalse(e.earliest().isAfter(finish), e.toString());
        assertFalse(e.latest().isBefore(finish), e.toString());
        assertFalse(PollingPolicy.trusts(e), e.toString());
    }

    @Test
    void aClockSetBackDuringTheExchangeGivesARangeThatStillHoldsTheFinish() throws Exception {
        // Inkit counted 1.1 s after creation and answered 0.5 s later. This clock was 3 s ahead
        // when the request left and was set right before the answer came: the answer "arrived"
        // before the request left, and only the Date's whole second says when the counting was.
        Instant read = CREATED.plusMillis(1100);
        Instant sent = read.minusMillis(500).plusSeconds(3);
        Instant arrived = read.plusMillis(500);
        long settled = 1000 * 1100 / 20_000;
        WatchState state = state();
        state.recordLook(batch(1000, settled), sent, arrived, date(read));
        FinishEstimate e = state.estimate();
        Instant finish = CREATED.plusSeconds(20);
        assertFalse(e.earliest().isAfter(finish), e.toString());
        assertFalse(e.latest().isBefore(finish), e.toString());
        assertFalse(PollingPolicy.trusts(e), "a whole second is too wide to aim a look at: " + e);
    }

    @Test
    void aClockMinutesOffIsCorrectedByTheDateHeader() throws Exception {
        Instant serverNow = CREATED.plusMillis(1500);
        for (long skew : new long[] {180_000, -180_000}) {
            Instant here = serverNow.plusMillis(skew);
            WatchState state = state();
            state.recordLook(batch(1000, 75), here, date(serverNow));
            FinishEstimate e = state.estimate();
            // Only the Date's second is known: the range is wide, but it is about the right batch age.
            assertTrue(
                    e.age().compareTo(Duration.ofMillis(1500)) >= 0 && e.age().compareTo(Duration.ofMillis(2500)) <= 0,
                    "age " + e.age());
            Instant finish = here.plusMillis(18_500);
            assertFalse(e.earliest().isAfter(finish), e.toString());
            assertFalse(e.latest().isBefore(finish), e.toString());
            assertFalse(PollingPolicy.trusts(e), "a range of whole seconds is too wide to trust: " + e);
        }
    }

    @Test
    void thereIsNoEstimateWhileNothingHasSettledOrOnceFinished() throws Exception {
        Instant look = CREATED.plusSeconds(2);
        WatchState none = state();
        none.recordLook(batch(1000, 0), look, date(look));
        assertNull(none.estimate());
        WatchState done = state();
        done.recordLook(batch(1000, 1000), look, date(look));
        assertNull(done.estimate());
        WatchState empty = state();
        empty.recordLook(batch(0, 0), look, date(look));
        assertNull(empty.estimate());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "yesterday",
                "2026-11-29T12:00:00", // no zone
                "2026-11-29T12:00:05.000000Z", // after the answer: a server whose clocks disagree
                "1970-01-01T00:00:00Z", // absurdly old
                "+999999999-12-31T23:59:59Z"
            })
    void aCreationTimeThatCannotBeBelievedGivesNoFirstLookEstimate(String createdAt) throws Exception {
        Instant look = CREATED.plusMillis(1500);
        WatchState state = state();
        state.recordLook(batch(1000, 75, createdAt), look, date(look));
        assertNull(state.estimate());
        assertNull(FinishEstimate.creation(createdAt, look, look, look, date(look)));
        state.recordLook(batch(1000, 325, createdAt), look.plusSeconds(5), date(look.plusSeconds(5)));
        assertEquals(FinishEstimate.Basis.LOOKS, state.estimate().basis(), "two looks still give one");
    }

    @Test
    void withoutCreationOrDateTheFirstLookGivesNone() throws Exception {
        Instant look = CREATED.plusMillis(1500);
        WatchState noDate = state();
        noDate.recordLook(batch(1000, 75), look);
        assertNull(noDate.estimate());
        WatchState noCreation = state();
        noCreation.recordLook(batch(1000, 75, null), look, date(look));
        assertNull(noCreation.estimate());
    }

    @Test
    void twoLooksBoundASteadyBatchsFinishAndTheCreationNarrowsIt() throws Exception {
        // 40 documents a second from creation; looks at 1.5 s and 6.5 s.
        WatchState state = state();
        state.recordLook(batch(1000, 60), CREATED.plusMillis(1500), date(CREATED.plusMillis(1500)));
        state.recordLook(batch(1000, 260), CREATED.plusMillis(6500), date(CREATED.plusMillis(6500)));
        FinishEstimate e = state.estimate();
        assertEquals(FinishEstimate.Basis.LOOKS, e.basis());
        Instant finish = CREATED.plusSeconds(25);
        assertFalse(e.earliest().isAfter(finish), e.toString());
        assertFalse(e.latest().isBefore(finish), e.toString());
        assertTrue(Duration.between(finish, e.latest()).toMillis() < 500, e.toString());
        assertTrue(Math.abs(Duration.between(finish, e.finish()).toMillis()) < 500, e.toString());
    }

    @Test
    void aBatchThatSlowsDownHasNoLatestFinishAndTheRecentPaceIsTheGuess() throws Exception {
        Instant t = CREATED.plusMillis(1500);
        WatchState state = state();
        state.recordLook(batch(1000, 100), t);
        state.recordLook(batch(1000, 600), t.plusSeconds(10));
        state.recordLook(batch(1000, 610), t.plusSeconds(20)); // from 50 a second to 1
        FinishEstimate e = state.estimate();
        assertNull(e.latest());
        long left = e.left(t.plusSeconds(20)).toSeconds();
        assertTrue(left > 300, "390 documents at about one a second: " + left + " s");
    }

    @Test
    void timeLeftIsNeverNegative() throws Exception {
        Instant look = CREATED.plusMillis(1500);
        WatchState state = state();
        state.recordLook(batch(1000, 75), look, date(look));
        FinishEstimate e = state.estimate();
        assertEquals(Duration.ZERO, e.left(look.plus(Duration.ofDays(1))));
        assertNotNull(e.toString());
    }
}
