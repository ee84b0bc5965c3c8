package io.jenkins.plugins.inkit.client.watch;

import static io.jenkins.plugins.inkit.client.TestBatches.batch;
import static io.jenkins.plugins.inkit.client.TestBatches.dest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.inkit.client.InkitClient;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.ManualScheduler;
import io.jenkins.plugins.inkit.client.MockInkitTest;
import io.jenkins.plugins.inkit.client.TestClients;
import io.jenkins.plugins.inkit.client.TestRuns;
import io.jenkins.plugins.inkit.client.TokenSource;
import io.jenkins.plugins.inkit.client.model.Batch;
import io.jenkins.plugins.inkit.client.model.FailedDocument;
import io.jenkins.plugins.inkit.client.model.FailedDocuments;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;

/** The watch, driven step by step: a scheduler that only records, a clock moved by hand. */
class BatchWatchTest extends MockInkitTest {

    static final String ID = "fb_w1";
    static final RetryPolicy RETRIES = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(8), 3, () -> 0.0);

    final ManualScheduler scheduled = new ManualScheduler(clock);
    final List<String> lines = new ArrayList<>();
    final List<Batch> finished = new ArrayList<>();
    final List<InkitException> failed = new ArrayList<>();
    /** What {@link WatchListener#finished(Batch, FailedDocuments)} was given, {@code null} included. */
    final List<FailedDocuments> named = new ArrayList<>();

    int stateChanges;

    /** Set by a test whose listener must throw when told of a failure. */
    boolean throwFromFailed;

    /** Records what it is given, and runs nothing: {@link #runNext()} does. */
    final Scheduler recording = scheduled;

    BatchWatch watch(WatchState state) {
        return watch(state, TestClients.TOKENS, recording, Runnable::run, clock);
    }

    /** A watch whose listener records everything into this test's lists. */
    BatchWatch watch(
            WatchState state,
            TokenSource tokens,
            Scheduler scheduler,
            java.util.concurrent.Executor io,
            java.time.Clock time) {
        return new BatchWatch(
                client, tokens, state, PollingPolicy.DEFAULT, RETRIES, scheduler, io, time, new WatchListener() {
                    @Override
                    public void progress(String line) {
                        lines.add(line);
                    }

                    @Override
                    public void stateChanged() {
                        stateChanges++;
                    }

                    @Override
                    public void finished(Batch batch) {
                        finished.add(batch);
                    }

                    @Override
                    public void finished(Batch batch, FailedDocuments failedDocuments) {
                        named.add(failedDocuments);
                        finished(batch);
                    }

                    @Override
                    public void failed(InkitException error) {
                        failed.add(error);
                        if (throwFromFailed) {
                            throw new IllegalStateException("a listener that throws must not undo the end");
                        }
                    }
                });
    }

    WatchState state(boolean waiting, Duration timeout) throws InkitException {
        return new WatchState(ID, waiting, clock.instant(), timeout);
    }

    /** Moves the clock to the next scheduled task and runs it; returns its delay. */
    Duration runNext() {
        return scheduled.runNext();
    }

    void answer(int code, String body) {
        server.enqueue(new MockResponse.Builder().code(code).body(body).build());
    }

    @Test
    void aSingleCheckReadsOnceAndFinishesEvenIfTheBatchIsNot() throws Exception {
        answer(200, batch(ID, 4, dest("box", 4, 1, 0, 3)));
        watch(state(false, Duration.ofMinutes(1))).start();
        assertEquals(Duration.ZERO, runNext());
        assertEquals(1, finished.size());
        assertFalse(finished.get(0).isFinished());
        assertTrue(scheduled.isEmpty());
        assertEquals(1, server.getRequestCount());
        assertEquals(1, lines.size(), "the first answer is reported");
    }

    @Test
    void waitsOverSeveralLooksReportingOnlyChanges() throws Exception {
        answer(200, batch(ID, 4, dest("box", 4, 0, 0, 4)));
        answer(200, batch(ID, 4, dest("box", 4, 0, 0, 4)));
        answer(200, batch(ID, 4, dest("box", 4, 2, 0, 2)));
        answer(200, batch(ID, 4, dest("box", 4, 3, 1, 0)));
        // The batch finished with a failed document: which one is looked up at the end.
        answer(200, TestRuns.page(1, 1, List.of(TestRuns.run("rend_1", ID, CREATED, "failed"))));
        WatchState state = state(true, Duration.ofMinutes(30));
        watch(state).start();
        for (int i = 0; i < 4; i++) {
            runNext();
        }
        assertEquals(1, finished.size());
        assertTrue(finished.get(0).isFinished());
        assertEquals(3, lines.size(), "no line for the look that saw no change: " + lines);
        assertTrue(lines.get(2).contains("4/4 settled, 1 failed"), lines.get(2));
        assertEquals(4, state.looks());
        assertEquals(3, stateChanges, "the look that saw nothing new is not worth saving");
        assertTrue(scheduled.isEmpty());
        assertTrue(failed.isEmpty());
    }

    @Test
    void retriesTransientFailuresThenCarriesOn() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(503)
                .addHeader("Retry-After", "3")
                .build());
        answer(429, "slow down");
        answer(200, batch(ID, 1, dest("box", 1, 1, 0, 0)));
        watch(state(true, Duration.ofMinutes(5))).start();
        runNext();
        assertEquals(Duration.ofSeconds(3), runNext(), "Retry-After honoured");
        assertEquals(Duration.ofSeconds(1), runNext(), "second retry: backoff of 2 s with the lowest jitter");
        assertEquals(1, finished.size());
        assertTrue(
                lines.get(0).contains("HTTP 503")
                        && lines.get(0).contains("Trying again in 3s (retry 1, until the time limit)"),
                lines.get(0));
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void aSingleCheckGivesUpWhenTheRetriesAreUsedUp() throws Exception {
        for (int i = 0; i < 4; i++) {
            answer(502, "bad gateway");
        }
        watch(state(false, Duration.ofMinutes(5))).start();
        for (int i = 0; i < 4; i++) {
            runNext();
        }
        assertEquals(1, failed.size());
        assertEquals(InkitException.Kind.TRANSIENT, failed.get(0).kind());
        assertTrue(
                failed.get(0).getMessage().endsWith("Gave up after 4 attempts in a row."),
                failed.get(0).getMessage());
        assertTrue(scheduled.isEmpty());
    }

    @Test
    void doesNotRetryARejectedToken() throws Exception {
        answer(401, "");
        watch(state(true, Duration.ofMinutes(5))).start();
        runNext();
        assertEquals(InkitException.Kind.TOKEN_REJECTED, failed.get(0).kind());
        assertTrue(scheduled.isEmpty());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void aRetryThatWouldPassTheDeadlineEndsTheWaitWithTheLastError() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .addHeader("Retry-After", "600")
                .build());
        watch(state(true, Duration.ofMinutes(5))).start();
        runNext();
        InkitException e = failed.get(0);
        assertEquals(InkitException.Kind.TIMED_OUT, e.kind());
        assertTrue(e.getMessage().contains("Last error: Inkit is rate limiting requests (HTTP 429)"), e.getMessage());
    }

    @Test
    void theDeadlineEndsAWaitAndTheMessageGivesTheLastCounts() throws Exception {
        for (int i = 0; i < 100; i++) {
            answer(200, batch(ID, 10, dest("inkit_storage", 10, 4, 1, 5)));
        }
        watch(state(true, Duration.ofMinutes(10))).start();
        while (!scheduled.isEmpty()) {
            runNext();
        }
        assertTrue(finished.isEmpty());
        InkitException e = failed.get(0);
        assertEquals(InkitException.Kind.TIMED_OUT, e.kind());
        assertEquals(
                "Inkit batch fb_w1 did not finish within 10m. Last seen: 5 of 10 document generations settled;"
                        + " inkit_storage: 4 completed, 1 failed, 5 in progress of 10.",
                e.getMessage());
        assertTrue(server.getRequestCount() < 15, "backed off: " + server.getRequestCount());
    }

    @Test
    void cancelStopsEverything() throws Exception {
        answer(200, batch(ID, 4, dest("box", 4, 0, 0, 4)));
        BatchWatch watch = watch(state(true, Duration.ofMinutes(30)));
        watch.start();
        runNext();
        ManualScheduler.Scheduled pending = scheduled.peek();
        watch.cancel();
        assertTrue(pending.isCancelled());
        pending.task().run();
        assertTrue(finished.isEmpty() && failed.isEmpty(), "no call after cancel");
        assertEquals(1, server.getRequestCount());
        assertTrue(watch.isOver());
    }

    @Test
    void aNewWatchOnTheSavedStateContinuesTowardTheSameDeadline() throws Exception {
        answer(200, batch(ID, 4, dest("box", 4, 1, 0, 3)));
        WatchState state = state(true, Duration.ofMinutes(30));
        watch(state).start();
        runNext();

        // What Jenkins does on restart: the state goes through serialisation, a new watch picks it up.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(state);
        }
        assertFalse(bytes.toString(java.nio.charset.StandardCharsets.ISO_8859_1).contains(TestClients.TOKEN));
        WatchState restored;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            restored = (WatchState) in.readObject();
        }
        assertEquals(state.deadline(), restored.deadline());
        assertEquals(1, restored.looks());

        scheduled.clear();
        clock.advance(Duration.ofMinutes(2));
        answer(200, batch(ID, 4, dest("box", 4, 4, 0, 0)));
        watch(restored).start();
        assertEquals(Duration.ZERO, runNext(), "overdue, so at once");
        assertEquals(1, finished.size());
        assertNull(scheduled.peek());
    }

    @Test
    void aWaitRidesOutAnOutageLongerThanTheSingleCheckRetries() throws Exception {
        for (int i = 0; i < 20; i++) {
            answer(503, "redeploying");
        }
        answer(200, batch(ID, 1, dest("box", 1, 1, 0, 0)));
        watch(state(true, Duration.ofMinutes(60))).start();
        Duration longest = Duration.ZERO;
        for (int i = 0; i < 21; i++) {
            Duration d = runNext();
            longest = d.compareTo(longest) > 0 ? d : longest;
        }
        assertEquals(1, finished.size(), "failed instead: " + failed);
        assertEquals(21, server.getRequestCount());
        assertEquals(Duration.ofSeconds(4), longest, "backoff capped (8 s with the lowest jitter)");
        assertTrue(lines.get(19).contains("(retry 20, until the time limit)"), lines.get(19));
    }

    @Test
    void anOutageToTheDeadlineEndsTheWaitThereWithTheLastError() throws Exception {
        for (int i = 0; i < 200; i++) {
            answer(503, "down");
        }
        WatchState state = state(true, Duration.ofMinutes(2));
        watch(state).start();
        while (!scheduled.isEmpty()) {
            runNext();
            assertTrue(clock.instant().isBefore(state.deadline()), "never scheduled past the deadline");
        }
        assertEquals(1, failed.size());
        InkitException e = failed.get(0);
        assertEquals(InkitException.Kind.TIMED_OUT, e.kind());
        assertTrue(e.getMessage().startsWith("Inkit batch fb_w1 did not finish within 2m."), e.getMessage());
        assertTrue(
                e.getMessage().contains("Last error: Inkit had a server error (HTTP 503): down"),
                e.getMessage() + " " + lines + " at " + clock.instant() + " requests " + server.getRequestCount());
    }

    @Test
    void aRetryAfterBeyondAnyTimeEndsTheWaitAtOnceSayingSo() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .addHeader("Retry-After", "99999999999999999")
                .build());
        watch(state(true, Duration.ofMinutes(60))).start();
        runNext();
        assertTrue(scheduled.isEmpty(), "nothing left scheduled");
        assertEquals(1, failed.size());
        InkitException e = failed.get(0);
        assertEquals(InkitException.Kind.TIMED_OUT, e.kind());
        assertTrue(
                e.getMessage()
                        .startsWith("Inkit asked to wait 87600h before trying again (Retry-After), longer than"
                                + " the 1h left before the time limit of 1h."),
                e.getMessage());
        assertFalse(e.getMessage().contains("could not be read within"), e.getMessage());
    }

    @Test
    void aHostThatDoesNotResolveIsTriedTwiceAtMost() throws Exception {
        List<String> lookups = new ArrayList<>();
        client = new InkitClient(TestClients.unresolvable(lookups), "https://inkit.example.invalid", clock);
        watch(state(true, Duration.ofMinutes(60))).start();
        while (!scheduled.isEmpty()) {
            runNext();
        }
        assertEquals(List.of("inkit.example.invalid", "inkit.example.invalid"), lookups);
        InkitException e = failed.get(0);
        assertEquals(InkitException.Kind.UNKNOWN_HOST, e.kind());
        assertTrue(e.getMessage().contains("'inkit.example.invalid' does not resolve"), e.getMessage());
        assertTrue(e.getMessage().endsWith("Gave up after 2 attempts in a row."), e.getMessage());
    }

    @Test
    void anythingThrownEndsTheWaitOnceWithoutItsText() throws Exception {
        TokenSource broken = new TokenSource() {
            @Override
            public String token() {
                throw new IllegalStateException("header value " + TestClients.TOKEN);
            }

            @Override
            public String description() {
                return "a broken source";
            }
        };
        throwFromFailed = true;
        BatchWatch watch = watch(state(true, Duration.ofMinutes(5)), broken, recording, Runnable::run, clock);
        watch.start();
        runNext();
        assertTrue(watch.isOver());
        assertEquals(1, failed.size());
        assertTrue(finished.isEmpty());
        InkitException e = failed.get(0);
        assertEquals(InkitException.Kind.UNEXPECTED, e.kind());
        assertEquals(
                "Reading Inkit batch fb_w1 failed unexpectedly (java.lang.IllegalStateException); the details were"
                        + " logged.",
                e.getMessage());
        assertNull(e.getCause(), "nothing that could quote a secret travels with it");
        assertTrue(scheduled.isEmpty());
        assertEquals(0, server.getRequestCount());
    }

    @Test
    void anExecutorThatRefusesTheRequestEndsTheWait() throws Exception {
        BatchWatch watch = watch(
                state(true, Duration.ofMinutes(5)),
                TestClients.TOKENS,
                recording,
                task -> {
                    throw new java.util.concurrent.RejectedExecutionException("shut down");
                },
                clock);
        watch.start();
        runNext();
        assertEquals(1, failed.size());
        assertTrue(
                failed.get(0).getMessage().contains("could not be queued"),
                failed.get(0).getMessage());
    }

    @Test
    void cancelFreesTheRequestThreadWhileAServerTrickles() throws Exception {
        // Headers at once, then the body at one byte every two seconds: read timeouts never fire.
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .body(batch(ID, 1, dest("box", 1, 1, 0, 0)))
                .throttleBody(1, 2, java.util.concurrent.TimeUnit.SECONDS)
                .build());
        java.util.concurrent.ExecutorService io = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            BatchWatch watch = watch(
                    new WatchState(ID, true, java.time.Instant.now(), Duration.ofMinutes(30)),
                    TestClients.TOKENS,
                    (task, delay) -> {
                        task.run();
                        return () -> {};
                    },
                    io,
                    java.time.Clock.systemUTC());
            watch.start();
            assertNotNull(
                    server.takeRequest(10, java.util.concurrent.TimeUnit.SECONDS), "the request went out: " + failed);
            watch.cancel();
            java.util.concurrent.CountDownLatch free = new java.util.concurrent.CountDownLatch(1);
            io.execute(free::countDown);
            assertTrue(free.await(1, java.util.concurrent.TimeUnit.SECONDS), "the request thread is free again");
            assertTrue(finished.isEmpty() && failed.isEmpty(), "a cancelled watch tells nothing");
        } finally {
            io.shutdownNow();
        }
    }

    /** The paths requested so far, in order. */
    List<String> paths() throws InterruptedException {
        List<String> paths = new ArrayList<>();
        for (; taken < server.getRequestCount(); taken++) {
            paths.add(server.takeRequest(1, java.util.concurrent.TimeUnit.SECONDS)
                    .getUrl()
                    .encodedPath());
        }
        return paths;
    }

    /** Requests {@link #paths()} has taken. */
    int taken;

    static final String BATCH_PATH = "/v1/invoke/batch/" + ID;
    static final Instant CREATED = Instant.parse("2026-11-29T10:00:00Z");

    @Test
    void aBatchWithoutFailedDocumentsEndsWithoutLookingUpRuns() throws Exception {
        answer(200, batch(ID, 2, dest("box", 2, 2, 0, 0)));
        watch(state(false, Duration.ofMinutes(1))).start();
        runNext();
        assertEquals(1, finished.size());
        assertEquals(java.util.Arrays.asList((FailedDocuments) null), named, "nothing looked up");
        assertEquals(List.of(BATCH_PATH), paths());
    }

    @Test
    void aWaitNamesTheFailedDocumentsOnceFinishedNeverWhilePolling() throws Exception {
        answer(200, batch(ID, 4, dest("box", 4, 1, 1, 2)));
        answer(200, batch(ID, 4, dest("box", 4, 2, 1, 1)));
        answer(200, batch(ID, 4, dest("box", 4, 3, 1, 0)));
        answer(
                200,
                TestRuns.page(
                        1,
                        1,
                        List.of(
                                TestRuns.ok("rend_2", ID, CREATED.plusSeconds(2)),
                                TestRuns.run(
                                        "rend_1",
                                        ID,
                                        CREATED.plusSeconds(1),
                                        "failed",
                                        "\"box\": {\"status\":" + " \"failed\", \"error\": \"quota exceeded\"}"))));
        watch(state(true, Duration.ofMinutes(30))).start();
        runNext();
        runNext();
        assertTrue(finished.isEmpty());
        assertEquals(List.of(BATCH_PATH, BATCH_PATH), paths(), "failures seen while waiting: no look-up yet");
        runNext();
        assertTrue(scheduled.isEmpty());
        assertEquals(List.of(BATCH_PATH, "/v1/invoke"), paths());
        assertEquals(1, finished.size());
        assertTrue(failed.isEmpty());
        FailedDocuments f = named.get(0);
        assertTrue(f.complete(), f.toString());
        assertEquals(
                List.of(new FailedDocument(
                        "rend_1",
                        "flow_1",
                        "Monthly statement",
                        CREATED.plusSeconds(1).toString(),
                        java.util.Map.of("box", "quota exceeded"))),
                f.documents());
    }

    @Test
    void aSingleCheckNamesTheFailuresItSeesInAnUnfinishedBatch() throws Exception {
        answer(200, batch(ID, 4, dest("box", 4, 1, 1, 2)));
        answer(200, TestRuns.page(1, 1, List.of(TestRuns.run("rend_1", ID, CREATED, "failed", "\"box\": \"failed\""))));
        watch(state(false, Duration.ofMinutes(1))).start();
        runNext();
        assertEquals(List.of(BATCH_PATH, "/v1/invoke"), paths());
        assertFalse(finished.get(0).isFinished());
        assertEquals(1, named.get(0).documents().size());
    }

    @Test
    void aRunListThatCannotBeReadLeavesTheBatchAsItIs() throws Exception {
        answer(200, batch(ID, 3, dest("salesforce", 3, 1, 2, 0)));
        answer(403, "forbidden");
        watch(state(false, Duration.ofMinutes(1))).start();
        runNext();
        assertTrue(failed.isEmpty(), "the look-up's failure is not the watch's");
        assertEquals(1, finished.size());
        assertEquals(2, finished.get(0).failedDocuments(), "the verdict stands");
        FailedDocuments f = named.get(0);
        assertFalse(f.complete());
        assertTrue(f.documents().isEmpty());
        assertTrue(f.why().contains("(HTTP 403)"), f.why());
    }

    @Test
    void aLookUpRetryWaitsOnTheSchedulerAndACancelThenEndsItSilently() throws Exception {
        answer(200, batch(ID, 3, dest("salesforce", 3, 1, 2, 0)));
        answer(503, "down");
        BatchWatch watch = watch(state(false, Duration.ofMinutes(5)));
        watch.start();
        runNext();
        ManualScheduler.Scheduled retry = scheduled.peek();
        assertNotNull(retry, "the retry is scheduled, not slept");
        assertEquals(Duration.ofMillis(500), retry.delay());
        assertTrue(lines.get(lines.size() - 1).startsWith("Listing workflow runs to name the failed documents:"));
        watch.cancel();
        assertTrue(retry.isCancelled());
        retry.task().run();
        assertTrue(finished.isEmpty() && failed.isEmpty() && named.isEmpty(), "no call after cancel");
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void noTimeLeftWhenTheBatchIsReadMeansNoLookUp() throws Exception {
        server.setDispatcher(new mockwebserver3.Dispatcher() {
            @Override
            public MockResponse dispatch(mockwebserver3.RecordedRequest request) {
                // The batch took nearly all of the minute to be read.
                clock.advance(Duration.ofMillis(58_500));
                return new MockResponse.Builder()
                        .code(200)
                        .body(batch(ID, 3, dest("salesforce", 3, 1, 2, 0)))
                        .build();
            }
        });
        watch(state(false, Duration.ofMinutes(1))).start();
        runNext();
        assertEquals(1, finished.size());
        assertEquals(FailedDocuments.incomplete(List.of(), "no time was left to look them up."), named.get(0));
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void aListenerThatKnowsOnlyTheOldMethodStillHearsTheEndOnce() throws Exception {
        answer(200, batch(ID, 3, dest("salesforce", 3, 1, 2, 0)));
        answer(200, TestRuns.page(1, 1, List.of()));
        List<Batch> ends = new ArrayList<>();
        new BatchWatch(
                        client,
                        TestClients.TOKENS,
                        state(false, Duration.ofMinutes(1)),
                        PollingPolicy.DEFAULT,
                        RETRIES,
                        (task, delay) -> {
                            task.run();
                            return () -> {};
                        },
                        Runnable::run,
                        clock,
                        new WatchListener() {
                            @Override
                            public void finished(Batch batch) {
                                ends.add(batch);
                            }

                            @Override
                            public void failed(InkitException error) {
                                failed.add(error);
                            }
                        })
                .start();
        assertEquals(1, ends.size());
        assertTrue(failed.isEmpty());
    }

    @Test
    void cancelDuringTheLookUpFreesTheThreadAndTellsNothing() throws Exception {
        answer(200, batch(ID, 3, dest("salesforce", 3, 1, 2, 0)));
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .body(TestRuns.page(1, 1, List.of()))
                .headersDelay(30, java.util.concurrent.TimeUnit.SECONDS)
                .build());
        java.util.concurrent.ExecutorService io = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.CountDownLatch told = new java.util.concurrent.CountDownLatch(1);
            BatchWatch watch = new BatchWatch(
                    client,
                    TestClients.TOKENS,
                    new WatchState(ID, false, Instant.now(), Duration.ofMinutes(30)),
                    PollingPolicy.DEFAULT,
                    RETRIES,
                    (task, delay) -> {
                        task.run();
                        return () -> {};
                    },
                    io,
                    java.time.Clock.systemUTC(),
                    new WatchListener() {
                        @Override
                        public void finished(Batch batch) {
                            told.countDown();
                        }

                        @Override
                        public void failed(InkitException error) {
                            told.countDown();
                        }
                    });
            watch.start();
            java.util.concurrent.TimeUnit s = java.util.concurrent.TimeUnit.SECONDS;
            assertEquals(BATCH_PATH, server.takeRequest(10, s).getUrl().encodedPath());
            assertEquals("/v1/invoke", server.takeRequest(10, s).getUrl().encodedPath(), "the look-up began");
            watch.cancel();
            java.util.concurrent.CountDownLatch free = new java.util.concurrent.CountDownLatch(1);
            io.execute(free::countDown);
            assertTrue(free.await(2, s), "the request thread is free again");
            // The look-up's last step ran before the marker, on the same single thread: had it told
            // anything, it would have by now.
            assertEquals(1, told.getCount(), "a cancelled watch tells nothing");
            assertTrue(watch.isOver());
        } finally {
            io.shutdownNow();
        }
    }

    @Test
    void whileWaitingA404InTheFirst30SecondsMeansNotVisibleYet() throws Exception {
        answer(404, "{\"detail\": \"Batch not found\"}");
        answer(404, "{\"detail\": \"Batch not found\"}");
        answer(200, batch(ID, 1, dest("box", 1, 1, 0, 0)));
        watch(state(true, Duration.ofMinutes(5))).start();
        runNext();
        assertEquals(Duration.ofMillis(500), runNext(), "backoff as for transient failures");
        assertEquals(Duration.ofSeconds(1), runNext());
        assertEquals(1, finished.size(), failed.toString());
        assertEquals("Inkit does not show batch " + ID + " yet; looking again in 500ms.", lines.get(0));
        assertEquals("Inkit does not show batch " + ID + " yet; looking again in 1s.", lines.get(1));
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void aSingleCheckStillFailsAtOnceOn404() throws Exception {
        answer(404, "{\"detail\": \"Batch not found\"}");
        watch(state(false, Duration.ofMinutes(5))).start();
        runNext();
        assertEquals(InkitException.Kind.BATCH_NOT_FOUND, failed.get(0).kind());
        assertTrue(scheduled.isEmpty());
        assertTrue(lines.isEmpty(), lines.toString());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void aBatchStillNotShownAfter30SecondsEndsTheWaitAs404() throws Exception {
        for (int i = 0; i < 20; i++) {
            answer(404, "{\"detail\": \"Batch not found\"}");
        }
        Instant start = clock.instant();
        watch(state(true, Duration.ofMinutes(30))).start();
        while (!scheduled.isEmpty()) {
            runNext();
            assertFalse(
                    clock.instant().isAfter(start.plus(BatchWatch.NOT_VISIBLE_GRACE)),
                    "no look later than the grace: " + clock.instant());
        }
        assertEquals(1, failed.size());
        InkitException e = failed.get(0);
        assertEquals(InkitException.Kind.BATCH_NOT_FOUND, e.kind());
        assertTrue(e.getMessage().startsWith("Inkit has no batch 'fb_w1' (HTTP 404)"), e.getMessage());
        assertEquals(start.plus(BatchWatch.NOT_VISIBLE_GRACE), clock.instant(), "the last look is at the grace's end");
        assertTrue(server.getRequestCount() <= 12, "backed off: " + server.getRequestCount());
    }

    @Test
    void a404AfterTheGraceEndsAWaitAtOnce() throws Exception {
        answer(200, batch(ID, 4, dest("box", 4, 0, 0, 4)));
        answer(404, "{\"detail\": \"Batch not found\"}");
        watch(state(true, Duration.ofMinutes(30))).start();
        runNext();
        clock.advance(Duration.ofSeconds(40));
        runNext();
        assertEquals(InkitException.Kind.BATCH_NOT_FOUND, failed.get(0).kind());
        assertTrue(scheduled.isEmpty());
    }
}
