package io.jenkins.plugins.inkit.client.watch;

import static io.jenkins.plugins.inkit.client.LaunchTesting.PII_EMAIL;
import static io.jenkins.plugins.inkit.client.LaunchTesting.PII_NAME;
import static io.jenkins.plugins.inkit.client.LaunchTesting.launched;
import static io.jenkins.plugins.inkit.client.TestClients.HTTP;
import static io.jenkins.plugins.inkit.client.TestClients.TOKEN;
import static io.jenkins.plugins.inkit.client.TestClients.TOKENS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.inkit.client.InkitClient;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.LaunchTesting;
import io.jenkins.plugins.inkit.client.ManualScheduler;
import io.jenkins.plugins.inkit.client.MutableClock;
import io.jenkins.plugins.inkit.client.TestClients;
import io.jenkins.plugins.inkit.client.model.LaunchedBatch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The launch, driven step by step: which failures are tried again, and that a launch is never sent twice. */
class BatchLaunchTest {

    static final RetryPolicy RETRIES = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(8), 3, () -> 0.0);

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));
    final ManualScheduler scheduled = new ManualScheduler(clock);
    final List<String> lines = new ArrayList<>();
    final List<LaunchedBatch> launched = new ArrayList<>();
    final List<InkitException> failed = new ArrayList<>();
    int sendings;
    int notSendings;
    /** What the listener answers before each send: done at once unless a test holds it. */
    CompletionStage<?> ready = CompletableFuture.completedFuture(null);

    boolean throwFromSending;
    MockWebServer server;

    final Scheduler recording = scheduled;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        for (String text : everythingSaid()) {
            assertFalse(text.contains(TOKEN), text);
            assertFalse(text.contains(PII_NAME) || text.contains(PII_EMAIL), text);
        }
    }

    List<String> everythingSaid() {
        List<String> all = new ArrayList<>(lines);
        failed.forEach(e -> all.add(e.getMessage()));
        launched.forEach(b -> all.add(b.toMap().toString()));
        return all;
    }

    BatchLaunch launch(OkHttpClient http, Duration timeout) throws Exception {
        return launch(new InkitClient(http, server.url("/").toString(), clock), timeout);
    }

    BatchLaunch launch(InkitClient client, Duration timeout) throws Exception {
        return new BatchLaunch(
                client,
                TOKENS,
                LaunchTesting.request(),
                clock.instant().plus(timeout),
                RETRIES,
                recording,
                Runnable::run,
                clock,
                new LaunchListener() {
                    @Override
                    public void progress(String line) {
                        lines.add(line);
                    }

                    @Override
                    public CompletionStage<?> beforeSending() {
                        sendings++;
                        if (throwFromSending) {
                            throw new IllegalStateException("cannot save " + TOKEN);
                        }
                        return ready;
                    }

                    @Override
                    public void notSending() {
                        notSendings++;
                    }

                    @Override
                    public void launched(LaunchedBatch batch) {
                        launched.add(batch);
                    }

                    @Override
                    public void failed(InkitException error) {
                        failed.add(error);
                    }
                });
    }

    Duration runNext() {
        return scheduled.runNext();
    }

    void answer(int code, String body) {
        server.enqueue(new MockResponse.Builder().code(code).body(body).build());
    }

    void assertEndedOnce() {
        assertEquals(1, launched.size() + failed.size(), "exactly one end: " + launched + failed);
        assertTrue(scheduled.isEmpty(), "nothing left scheduled");
    }

    @Test
    void launchesAtOnceOnTheExecutor() throws Exception {
        answer(201, launched("fb_new"));
        BatchLaunch launch = launch(HTTP, Duration.ofMinutes(2));
        launch.start();
        assertEquals("fb_new", launched.get(0).id());
        assertEquals(1, sendings);
        assertTrue(launch.isOver());
        assertEndedOnce();
    }

    @Test
    void exactlyOnePostAfterA503() throws Exception {
        answer(503, "{\"detail\": \"try again later\"}");
        answer(201, launched("fb_second"));
        launch(HTTP, Duration.ofMinutes(2)).start();
        assertEquals(InkitException.Kind.LAUNCH_UNCERTAIN, failed.get(0).kind());
        assertTrue(
                failed.get(0).getMessage().contains("Do not simply run this again"),
                failed.get(0).getMessage());
        assertEquals(1, server.getRequestCount());
        assertEquals(1, sendings);
        assertEndedOnce();
    }

    @Test
    void exactlyOnePostAfterATimeoutOnceSent() throws Exception {
        InkitClient limited = new InkitClient(HTTP, server.url("/").toString(), clock, Duration.ofMillis(300));
        server.enqueue(new MockResponse.Builder()
                .code(201)
                .body(launched("fb_late"))
                .headersDelay(5, TimeUnit.SECONDS)
                .build());
        answer(201, launched("fb_second"));
        launch(limited, Duration.ofMinutes(2)).start();
        assertEquals(InkitException.Kind.LAUNCH_UNCERTAIN, failed.get(0).kind());
        assertTrue(
                failed.get(0).getMessage().contains("Inkit did not answer within 300ms"),
                failed.get(0).getMessage());
        assertEquals(1, server.getRequestCount());
        assertEndedOnce();
    }

    @Test
    void exactlyOnePostAfterAConnectionResetOnceSent() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(201)
                .body(launched("fb_lost"))
                .onResponseStart(new SocketEffect.CloseSocket())
                .build());
        answer(201, launched("fb_second"));
        launch(HTTP, Duration.ofMinutes(2)).start();
        assertEquals(InkitException.Kind.LAUNCH_UNCERTAIN, failed.get(0).kind());
        assertEquals(1, server.getRequestCount());
        assertEndedOnce();
    }

    @Test
    void retriedAfterARefusedConnection() throws Exception {
        LaunchTesting.RefusingSockets sockets = new LaunchTesting.RefusingSockets(2);
        answer(201, launched("fb_third_time"));
        launch(HTTP.newBuilder().socketFactory(sockets).build(), Duration.ofMinutes(2))
                .start();
        assertEquals(Duration.ofMillis(500), runNext());
        assertEquals(Duration.ofSeconds(1), runNext());
        assertEquals("fb_third_time", launched.get(0).id());
        assertEquals(3, sockets.attempts.get());
        assertEquals(1, server.getRequestCount(), "only the last attempt reached the server");
        assertEquals(3, sendings, "the listener heard of each attempt");
        assertEquals(2, notSendings, "and that the two refused ones sent nothing");
        assertTrue(
                lines.get(0).contains("the connection was refused")
                        && lines.get(0).endsWith("Nothing was launched; trying again in 500ms (retry 1 of 3)."),
                lines.get(0));
        assertEndedOnce();
    }

    @Test
    void retriedAfter429HonouringRetryAfter() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .addHeader("Retry-After", "3")
                .body("slow down")
                .build());
        answer(201, launched("fb_later"));
        launch(HTTP, Duration.ofMinutes(2)).start();
        assertEquals(Duration.ofSeconds(3), runNext());
        assertEquals("fb_later", launched.get(0).id());
        assertEquals(2, server.getRequestCount());
        assertEquals(1, notSendings, "a 429 launched nothing: until the next try, nothing is on its way");
        assertEquals(
                "Inkit is rate limiting requests (HTTP 429): (its body is not shown: it is not JSON, and may echo the"
                        + " merge parameters) Nothing was launched; trying again in 3s (retry 1 of 3).",
                lines.get(0));
        assertEndedOnce();
    }

    @Test
    void aRetryAfterPastTheDeadlineEndsItAtOnce() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .addHeader("Retry-After", "600")
                .build());
        launch(HTTP, Duration.ofMinutes(2)).start();
        InkitException e = failed.get(0);
        assertEquals(InkitException.Kind.TIMED_OUT, e.kind());
        assertTrue(e.notSent());
        assertTrue(e.getMessage().startsWith("Inkit asked to wait 10m before trying again"), e.getMessage());
        assertEndedOnce();
    }

    @Test
    void refusedConnectionsGiveUpAfterTheRetriesAndNeverPassTheDeadline() throws Exception {
        LaunchTesting.RefusingSockets sockets = new LaunchTesting.RefusingSockets(100);
        launch(HTTP.newBuilder().socketFactory(sockets).build(), Duration.ofMinutes(2))
                .start();
        while (!scheduled.isEmpty()) {
            runNext();
        }
        InkitException e = failed.get(0);
        assertEquals(InkitException.Kind.TRANSIENT, e.kind());
        assertTrue(e.notSent());
        assertTrue(e.getMessage().endsWith("Gave up after 4 attempts in a row; nothing was launched."), e.getMessage());
        assertEquals(4, sockets.attempts.get());
        assertEndedOnce();

        // A short limit: the retries stop before it, each leaving its request time.
        failed.clear();
        Instant start = clock.instant();
        LaunchTesting.RefusingSockets more = new LaunchTesting.RefusingSockets(100);
        launch(HTTP.newBuilder().socketFactory(more).build(), Duration.ofSeconds(2))
                .start();
        while (!scheduled.isEmpty()) {
            runNext();
            assertTrue(
                    clock.instant().isBefore(start.plusSeconds(2)),
                    clock.instant().toString());
        }
        assertEquals(InkitException.Kind.TIMED_OUT, failed.get(0).kind());
        assertTrue(
                failed.get(0).getMessage().startsWith("The time limit of 2s passed before Inkit batch"),
                failed.get(0).getMessage());
    }

    @Test
    void refusalsAndRejectedTokensAreNotRetried() throws Exception {
        answer(422, "{\"detail\": \"flow_id unknown\"}");
        launch(HTTP, Duration.ofMinutes(2)).start();
        assertEquals(InkitException.Kind.REFUSED, failed.get(0).kind());
        assertEndedOnce();
        failed.clear();
        answer(401, "");
        launch(HTTP, Duration.ofMinutes(2)).start();
        assertEquals(InkitException.Kind.TOKEN_REJECTED, failed.get(0).kind());
        assertEndedOnce();
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void anUnknownHostIsTriedOnceMore() throws Exception {
        OkHttpClient noDns = TestClients.unresolvable(new ArrayList<>());
        launch(noDns, Duration.ofMinutes(2)).start();
        runNext();
        assertEquals(InkitException.Kind.UNKNOWN_HOST, failed.get(0).kind());
        assertEquals(2, sendings);
        assertEndedOnce();
    }

    @Test
    void cancelStopsEverythingWithoutAWord() throws Exception {
        LaunchTesting.RefusingSockets sockets = new LaunchTesting.RefusingSockets(1);
        answer(201, launched("fb_never"));
        BatchLaunch launch = launch(HTTP.newBuilder().socketFactory(sockets).build(), Duration.ofMinutes(2));
        launch.start();
        ManualScheduler.Scheduled pending = scheduled.peek();
        launch.cancel();
        assertTrue(pending.isCancelled());
        pending.task().run();
        assertTrue(launched.isEmpty() && failed.isEmpty(), "no call after cancel");
        assertEquals(0, server.getRequestCount());
        assertTrue(launch.isOver());
    }

    @Test
    void whateverThrowsEndsItOnceQuotingNothing() throws Exception {
        throwFromSending = true;
        launch(HTTP, Duration.ofMinutes(2)).start();
        InkitException e = failed.get(0);
        assertEquals(InkitException.Kind.UNEXPECTED, e.kind());
        assertTrue(e.notSent());
        assertEquals(
                "Launching Inkit batch 'November statements' failed unexpectedly (java.lang.IllegalStateException)"
                        + " before anything was sent; the details were logged.",
                e.getMessage());
        assertEquals(0, server.getRequestCount());
        assertEndedOnce();
    }
}
