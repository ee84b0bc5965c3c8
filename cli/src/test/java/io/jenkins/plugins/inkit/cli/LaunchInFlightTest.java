package io.jenkins.plugins.inkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.inkit.cli.network.ConnectionOptions;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.TokenSource;
import io.jenkins.plugins.inkit.client.json.PipelineFlows;
import io.jenkins.plugins.inkit.client.model.LaunchRequest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the launch says when the command stops or fails while it is in flight: "may or may not have been
 * launched" exactly when a request may have reached Inkit, as the core's launch tells it.
 */
class LaunchInFlightTest {

    static final TokenSource TOKEN = TokenSource.of("lif-SECRET-token", "the test token");

    MockWebServer server;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static LaunchRequest request() throws InkitException {
        return PipelineFlows.read(
                        List.of(Map.of("flowId", "flow_1", "mergeParameters", List.of(Map.of("customer", "Zed Q")))))
                .withName("Held launch");
    }

    LaunchInFlight launch(String url, Consumer<String> progress) throws InkitException {
        return LaunchInFlight.start(
                url, ConnectionOptions.http(), TOKEN, request(), Duration.ofMinutes(5), progress, "test", null);
    }

    @Test
    void whileThePostIsHeldTheBatchMayOrMayNotHaveBeenLaunched() throws Exception {
        CountDownLatch received = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                received.countDown();
                release.await(60, TimeUnit.SECONDS);
                return new MockResponse.Builder().code(503).build();
            }
        });
        try (LaunchInFlight inFlight = launch(server.url("/").toString(), line -> {})) {
            assertTrue(received.await(30, TimeUnit.SECONDS), "the POST arrived");
            assertTrue(inFlight.uncertain());
            assertEquals(
                    "stopped. Inkit batch 'Held launch' may or may not have been launched (the command was stopped"
                            + " while launching). Do not simply run this again: look for it in Inkit's batch list (by"
                            + " its name) first.",
                    inFlight.stopMessage());

            InkitException e = inFlight.failure(new OutOfMemoryError("Java heap space"));
            assertEquals(InkitException.Kind.LAUNCH_UNCERTAIN, e.kind());
            assertEquals(ExitCode.LAUNCH_UNCERTAIN, ExitCode.of(e));
            assertTrue(
                    e.getMessage()
                            .startsWith("Inkit batch 'Held launch' may or may not have been launched (the"
                                    + " command failed: out of memory, with a heap of at most "),
                    e.getMessage());
            assertTrue(
                    e.getMessage()
                            .endsWith("give the JVM more with -Xmx, such as java -Xmx2g -jar"
                                    + " inkit-batch-status.jar ..., or use a smaller file."),
                    e.getMessage());
            assertFalse(e.getMessage().contains("Java heap space"), "no throwable's text");
        } finally {
            release.countDown();
        }
    }

    @Test
    void betweenRefusedConnectionsNothingWasLaunched() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        CompletableFuture<LaunchInFlight> self = new CompletableFuture<>();
        CompletableFuture<String> stopMessage = new CompletableFuture<>();
        CompletableFuture<InkitException> failure = new CompletableFuture<>();
        // Read on the launch's own thread as it announces the retry: the moment is the backoff, not a guess.
        Consumer<String> progress = line -> {
            LaunchInFlight inFlight = self.join();
            if (!stopMessage.isDone()) {
                stopMessage.complete(inFlight.uncertain() + " " + inFlight.stopMessage());
                StackOverflowError error = new StackOverflowError();
                error.setStackTrace(new StackTraceElement[0]);
                failure.complete(inFlight.failure(error));
            }
        };
        try (LaunchInFlight inFlight = launch("http://127.0.0.1:" + closed, progress)) {
            self.complete(inFlight);
            assertEquals(
                    "false stopped. The command was stopped while launching; nothing was launched: no request to"
                            + " launch Inkit batch 'Held launch' reached Inkit.",
                    stopMessage.get(30, TimeUnit.SECONDS));
            InkitException e = failure.get(5, TimeUnit.SECONDS);
            assertEquals(ExitCode.API_FAILURE, ExitCode.of(e));
            assertEquals(
                    "The command failed: unexpected error (java.lang.StackOverflowError); nothing was launched: no"
                            + " request to launch Inkit batch 'Held launch' reached Inkit. Please report it; its"
                            + " message is not shown, as it may quote a secret.",
                    e.getMessage());
        }
    }

    @Test
    void aLaunchedBatchIsNamedWhateverFailsAfterIt() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(201)
                .body("{\"id\":\"fb_new\",\"name\":\"Held launch\",\"flows_data\":[{\"id\":\"rend_1\","
                        + "\"document_id\":\"doc_1\"}]}")
                .build());
        try (LaunchInFlight inFlight = launch(server.url("/").toString(), line -> {})) {
            LaunchInFlight.Outcome outcome = inFlight.await();
            assertEquals("fb_new", outcome.batch().id());
            assertFalse(inFlight.uncertain());
            assertEquals("stopped; Inkit batch 'Held launch' (fb_new) was launched.", inFlight.stopMessage());
            InkitException e = inFlight.failure(new OutOfMemoryError());
            assertEquals(ExitCode.API_FAILURE, ExitCode.of(e));
            assertTrue(
                    e.getMessage()
                            .startsWith("Inkit batch 'Held launch' (fb_new) was launched, but then the command failed:"
                                    + " out of memory"),
                    e.getMessage());
        }
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void howTheLaunchEndedDecidesNotWhetherItWasSent() throws Exception {
        // Both were sent; a 503 leaves the launch uncertain, a 422 is Inkit refusing it: nothing launched.
        server.enqueue(new MockResponse.Builder().code(503).build());
        server.enqueue(new MockResponse.Builder()
                .code(422)
                .body("{\"detail\":\"flows: field required\"}")
                .build());
        try (LaunchInFlight unavailable = launch(server.url("/").toString(), line -> {})) {
            assertEquals(
                    InkitException.Kind.LAUNCH_UNCERTAIN,
                    unavailable.await().error().kind());
            assertTrue(unavailable.uncertain());
            assertEquals(ExitCode.LAUNCH_UNCERTAIN, ExitCode.of(unavailable.failure(new InternalError())));
        }
        try (LaunchInFlight refused = launch(server.url("/").toString(), line -> {})) {
            assertEquals(InkitException.Kind.REFUSED, refused.await().error().kind());
            assertFalse(refused.uncertain());
            InkitException e = refused.failure(new InternalError());
            assertEquals(ExitCode.API_FAILURE, ExitCode.of(e));
            assertTrue(e.getMessage().contains("nothing was launched"), e.getMessage());
        }
    }
}
