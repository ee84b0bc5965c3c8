package io.jenkins.plugins.inkit.client.watch;

import static io.jenkins.plugins.inkit.client.LaunchTesting.launched;
import static io.jenkins.plugins.inkit.client.TestClients.HTTP;
import static io.jenkins.plugins.inkit.client.TestClients.TOKENS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.inkit.client.InkitClient;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.LaunchTesting;
import io.jenkins.plugins.inkit.client.ManualScheduler;
import io.jenkins.plugins.inkit.client.MutableClock;
import io.jenkins.plugins.inkit.client.model.LaunchedBatch;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The send waits for what the listener prepares (the Jenkins step saves that a request may be in
 * flight) without holding a thread, and whether a request may have been sent is known exactly.
 */
class LaunchPreparationTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final List<LaunchedBatch> launchedBatches = new ArrayList<>();
    final List<InkitException> failed = new ArrayList<>();
    final List<Runnable> io = new ArrayList<>();
    CompletableFuture<Void> saved = new CompletableFuture<>();
    int preparations;
    MockWebServer server;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    BatchLaunch launch(java.util.concurrent.Executor executor) throws Exception {
        return new BatchLaunch(
                new InkitClient(HTTP, server.url("/").toString(), clock),
                TOKENS,
                LaunchTesting.request(),
                clock.instant().plus(Duration.ofMinutes(2)),
                new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(8), 3, () -> 0.0),
                scheduler,
                executor,
                clock,
                new LaunchListener() {
                    @Override
                    public CompletionStage<?> beforeSending() {
                        preparations++;
                        return saved;
                    }

                    @Override
                    public void launched(LaunchedBatch batch) {
                        launchedBatches.add(batch);
                    }

                    @Override
                    public void failed(InkitException error) {
                        failed.add(error);
                    }
                });
    }

    /** Runs what was handed to the I/O executor so far, and what that hands on. */
    void drainIo() {
        while (!io.isEmpty()) {
            io.remove(0).run();
        }
    }

    @Test
    void nothingIsSentUntilTheStateIsSavedAndNoThreadWaitsMeanwhile() throws Exception {
        server.enqueue(
                new MockResponse.Builder().code(201).body(launched("fb_saved")).build());
        BatchLaunch launch = launch(io::add);
        launch.start();
        drainIo();
        assertEquals(1, preparations);
        assertTrue(io.isEmpty(), "no thread is held while the save is pending");
        assertEquals(0, server.getRequestCount());
        assertFalse(launch.mayHaveSent());
        saved.complete(null);
        drainIo();
        assertEquals(1, server.getRequestCount());
        assertEquals("fb_saved", launchedBatches.get(0).id());
        assertTrue(scheduler.isEmpty());
    }

    @Test
    void aSaveThatFailsSendsNothingAndSaysSo() throws Exception {
        BatchLaunch launch = launch(io::add);
        launch.start();
        drainIo();
        saved.completeExceptionally(new IOException("disk full"));
        drainIo();
        assertEquals(0, server.getRequestCount());
        assertEquals(1, failed.size());
        InkitException e = failed.get(0);
        assertTrue(e.notSent());
        assertTrue(e.getMessage().endsWith("nothing was launched."), e.getMessage());
        assertFalse(e.getMessage().contains("disk full"), "a library's words are not quoted");
        assertFalse(launch.mayHaveSent());
    }

    @Test
    void aSaveThatNeverEndsMeetsTheDeadlineWithNothingSent() throws Exception {
        BatchLaunch launch = launch(io::add);
        launch.start();
        drainIo();
        scheduler.runNext(); // the backstop
        assertEquals(1, failed.size());
        InkitException e = failed.get(0);
        assertEquals(InkitException.Kind.TIMED_OUT, e.kind());
        assertTrue(e.getMessage().contains("nothing was launched"), e.getMessage());
        assertFalse(launch.mayHaveSent());
        saved.complete(null); // too late: nothing goes out
        drainIo();
        assertEquals(0, server.getRequestCount());
        assertEquals(1, failed.size());
    }

    @Test
    void whileInkitHoldsThePostItMayHaveBeenSent() throws Exception {
        saved.complete(null);
        server.enqueue(new MockResponse.Builder()
                .code(201)
                .body(launched("fb_slow"))
                .headersDelay(2, TimeUnit.SECONDS)
                .build());
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            BatchLaunch launch = launch(thread);
            assertFalse(launch.mayHaveSent());
            launch.start();
            assertNotNull(server.takeRequest(10, TimeUnit.SECONDS), "the POST went out");
            assertTrue(launch.mayHaveSent(), "Ctrl-C now would leave the launch uncertain");
            thread.shutdown();
            assertTrue(thread.awaitTermination(10, TimeUnit.SECONDS));
            assertEquals("fb_slow", launchedBatches.get(0).id());
        } finally {
            thread.shutdownNow();
        }
    }
}
