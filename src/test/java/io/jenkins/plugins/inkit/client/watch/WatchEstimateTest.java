package io.jenkins.plugins.inkit.client.watch;

import static io.jenkins.plugins.inkit.client.watch.FinishEstimateTest.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.inkit.client.InkitClient;
import io.jenkins.plugins.inkit.client.ManualScheduler;
import io.jenkins.plugins.inkit.client.MutableClock;
import io.jenkins.plugins.inkit.client.TestClients;
import io.jenkins.plugins.inkit.client.model.Batch;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/** The estimate through the watch: the answer's Date header in, the second look and the progress line out. */
class WatchEstimateTest {

    static final Instant CREATED = FinishEstimateTest.CREATED;

    /**
     * A {@link WatchState} as the class was before the estimate (two looks: 10 of 500 settled at
     * 12:00:00, 60 at 12:00:05), serialised by that class: what a Jenkins restarted on the new
     * version finds in a running build.
     */
    static final String SAVED_BEFORE_THE_ESTIMATE =
            "rO0ABXNyADBpby5qZW5raW5zLnBsdWdpbnMuaW5raXQuY2xpZW50LndhdGNoLldhdGNoU3RhdGUAAAAAAAAAAQMADUkAE2Nv"
                    + "bnNlY3V0aXZlRmFpbHVyZXNKAA5kZWFkbGluZU1pbGxpc0oADmxhc3RMb29rTWlsbGlzSQAFbG9va3NKABJwcmV2aW91c0xv"
                    + "b2tNaWxsaXNaABRwcm9ncmVzc2VkQXRMYXN0TG9va0oAEHJhdGVGcm9tRXhwZWN0ZWRKAA5yYXRlRnJvbU1pbGxpc0oAD3Jh"
                    + "dGVGcm9tU2V0dGxlZEoAC3N0YXJ0TWlsbGlzWgAHd2FpdGluZ0wAB2JhdGNoSWR0ABJMamF2YS9sYW5nL1N0cmluZztMAAls"
                    + "YXN0QmF0Y2h0AC1MaW8vamVua2lucy9wbHVnaW5zL2lua2l0L2NsaWVudC9tb2RlbC9CYXRjaDt4cAAAAAAAAAGiJ2QUgAAA"
                    + "AaInLTmIAAAAAgAAAaInLSYAAQAAAAAAAAH0AAABoictJgAAAAAAAAAACgAAAaInLSYAAXQABGZiXzFzcgAraW8uamVua2lu"
                    + "cy5wbHVnaW5zLmlua2l0LmNsaWVudC5tb2RlbC5CYXRjaAAAAAAAAAABAgAGTAAJY3JlYXRlZEF0cQB+AAFMAAxkZXN0aW5h"
                    + "dGlvbnN0ABlMamF2YS91dGlsL0xpbmtlZEhhc2hNYXA7TAACaWRxAH4AAUwABG5hbWVxAH4AAUwABnN0YXR1c3EAfgABTAAF"
                    + "dG90YWx0ABBMamF2YS9sYW5nL0xvbmc7eHB0ABsyMDI2LTExLTI5VDExOjU5OjU4LjUwMDAwMFpzcgAXamF2YS51dGlsLkxp"
                    + "bmtlZEhhc2hNYXA0wE5cEGzA+wIAAVoAC2FjY2Vzc09yZGVyeHIAEWphdmEudXRpbC5IYXNoTWFwBQfawcMWYNEDAAJGAAps"
                    + "b2FkRmFjdG9ySQAJdGhyZXNob2xkeHA/QAAAAAAAAXcIAAAAAgAAAAF0AA1pbmtpdF9zdG9yYWdlc3IAMWlvLmplbmtpbnMu"
                    + "cGx1Z2lucy5pbmtpdC5jbGllbnQubW9kZWwuRGVzdGluYXRpb24AAAAAAAAAAQIABkoACWNvbXBsZXRlZEoABWNvdW50SgAG"
                    + "ZmFpbGVkSgAKaW5Qcm9ncmVzc0wABG5hbWVxAH4AAUwABnN0YXR1c3EAfgABeHAAAAAAAAAAPAAAAAAAAAH0AAAAAAAAAAAA"
                    + "AAAAAAABuHEAfgANcHgAdAAEZmJfMXQAClRlc3QgYmF0Y2h0AApQcm9jZXNzaW5nc3IADmphdmEubGFuZy5Mb25nO4vkkMyP"
                    + "I98CAAFKAAV2YWx1ZXhyABBqYXZhLmxhbmcuTnVtYmVyhqyVHQuU4IsCAAB4cAAAAAAAAAH0eA==";

    static WatchState roundTrip(WatchState state) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(state);
        }
        return read(bytes.toByteArray());
    }

    static WatchState read(byte[] bytes) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return (WatchState) in.readObject();
        }
    }

    @Test
    void aStateSavedBeforeTheEstimateResumesWithoutOne() throws Exception {
        WatchState old = read(Base64.getDecoder().decode(SAVED_BEFORE_THE_ESTIMATE));
        Instant second = Instant.parse("2026-11-29T12:00:05Z");
        assertEquals(2, old.looks());
        assertEquals(second, old.lastLook());
        FinishEstimate e = old.estimate();
        assertEquals(FinishEstimate.Basis.LOOKS, e.basis(), "two looks give a pace; the creation is unknown");
        // 50 documents in 5 s, 440 to go: 44 s.
        assertTrue(Math.abs(e.left(second).toMillis() - 44_000) < 1_000, e.toString());
        PollingPolicy.Decision d = PollingPolicy.DEFAULT.decide(old, second);
        assertEquals(PollingPolicy.Decision.Kind.LOOK, d.kind());
        assertTrue(!d.at().isAfter(second.plusSeconds(47)), "no later than the old policy: " + d);

        // The next answer carries a Date: the creation becomes known, and nothing breaks.
        Instant third = second.plusSeconds(40);
        old.recordLook(
                batch(500, 450, "2026-11-29T11:59:58.500000Z"), third, Instant.ofEpochSecond(third.getEpochSecond()));
        assertNotNull(old.estimate().age());
    }

    @Test
    void whatIsNewIsSavedToo() throws Exception {
        Instant look = CREATED.plusMillis(1500);
        WatchState state = new WatchState("fb_1", true, look, Duration.ofHours(1));
        state.recordLook(batch(1000, 75), look, Instant.ofEpochSecond(look.getEpochSecond()));
        WatchState restored = roundTrip(state);
        assertEquals(state.estimate().toString(), restored.estimate().toString());
        assertEquals(
                PollingPolicy.DEFAULT.decide(state, look).at(),
                PollingPolicy.DEFAULT.decide(restored, look).at());
    }

    @Test
    void theWatchPassesTheDateHeaderOnAndSaysHowLongIsLeft() throws Exception {
        Instant look = CREATED.plusMillis(1500);
        MutableClock clock = new MutableClock(look);
        ManualScheduler scheduled = new ManualScheduler(clock);
        List<String> lines = new ArrayList<>();
        List<Batch> finished = new ArrayList<>();
        List<FinishEstimate> estimates = new ArrayList<>();
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(answer(batch(1000, 75), look));
            server.enqueue(answer(batch(1000, 1000), CREATED.plusSeconds(20)));
            InkitClient client =
                    new InkitClient(TestClients.HTTP, server.url("/").toString(), clock);
            WatchState state = new WatchState("fb_1", true, look, Duration.ofMinutes(10));
            new BatchWatch(
                            client,
                            TestClients.TOKENS,
                            state,
                            PollingPolicy.DEFAULT,
                            RetryPolicy.DEFAULT,
                            scheduled,
                            Runnable::run,
                            clock,
                            new WatchListener() {
                                @Override
                                public void progress(String line) {
                                    lines.add(line);
                                }

                                @Override
                                public void estimated(FinishEstimate estimate) {
                                    estimates.add(estimate);
                                }

                                @Override
                                public void finished(Batch batch) {
                                    finished.add(batch);
                                }

                                @Override
                                public void failed(io.jenkins.plugins.inkit.client.InkitException error) {
                                    throw new AssertionError(error);
                                }
                            })
                    .start();
            assertEquals(Duration.ZERO, scheduled.runNext());
            assertTrue(lines.get(0).endsWith("75/1000 settled [inkit_storage 75/1000], about 20 s left"), lines.get(0));
            assertEquals(1, estimates.size(), "the listener hears the estimate after the look");
            assertEquals(state.estimate().finish(), estimates.get(0).finish());
            Duration second = scheduled.runNext();
            assertTrue(
                    second.compareTo(Duration.ofMillis(18_500)) >= 0 && second.compareTo(Duration.ofSeconds(21)) <= 0,
                    "the second look at the estimated end, not after the poll interval: " + second);
            assertEquals(1, finished.size());
            assertEquals(2, estimates.size());
            assertNull(estimates.get(1), "a finished batch has nothing left to estimate");
            assertTrue(lines.get(1).endsWith("1000/1000 settled [inkit_storage 1000/1000]"), lines.get(1));
            assertEquals(2, server.getRequestCount());
            assertNull(state.estimate());
        }
    }

    static MockResponse answer(Batch batch, Instant serverTime) {
        String json = "{\"id\": \"" + batch.id() + "\", \"total\": " + batch.total() + ", \"created_at\": \""
                + batch.createdAt() + "\", \"destinations\": {\"inkit_storage\": {\"count\": " + batch.total()
                + ", \"completed\": " + batch.settledDocuments() + ", \"failed\": 0, \"in_progress\": "
                + (batch.total() - batch.settledDocuments()) + "}}}";
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(serverTime.atOffset(ZoneOffset.UTC));
        return new MockResponse.Builder()
                .code(200)
                .body(json)
                .addHeader("Date", date)
                .build();
    }
}
