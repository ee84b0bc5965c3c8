package io.jenkins.plugins.inkit.client;

import static io.jenkins.plugins.inkit.client.LaunchTesting.PII_EMAIL;
import static io.jenkins.plugins.inkit.client.LaunchTesting.PII_NAME;
import static io.jenkins.plugins.inkit.client.LaunchTesting.launched;
import static io.jenkins.plugins.inkit.client.LaunchTesting.request;
import static io.jenkins.plugins.inkit.client.TestClients.HTTP;
import static io.jenkins.plugins.inkit.client.TestClients.TOKEN;
import static io.jenkins.plugins.inkit.client.TestClients.TOKENS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.inkit.client.json.PipelineFlows;
import io.jenkins.plugins.inkit.client.model.LaunchRequest;
import io.jenkins.plugins.inkit.client.model.LaunchedBatch;
import io.jenkins.plugins.inkit.client.model.LaunchedDocument;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** One launch, {@code POST /v1/invoke/batch}: what is sent, and which failures say "not sent" or "uncertain". */
class InkitClientLaunchTest extends MockInkitTest {

    static final Duration BUDGET = Duration.ofSeconds(10);

    void answer(int code, String body) {
        server.enqueue(new MockResponse.Builder().code(code).body(body).build());
    }

    /** Queued after a failure: taken only if the launch were sent again. */
    void anotherLaunchWouldSucceed() {
        answer(201, launched("fb_second"));
    }

    InkitException failure() {
        return failure(client);
    }

    static InkitException failure(InkitClient c) {
        InkitException e =
                assertThrows(InkitException.class, () -> c.launchBatch(request(), TOKENS, BUDGET, new Cancellation()));
        assertFalse(e.getMessage().contains(TOKEN), e.getMessage());
        assertFalse(e.getMessage().contains(PII_NAME) || e.getMessage().contains(PII_EMAIL), e.getMessage());
        return e;
    }

    static void assertUncertain(InkitException e, String what) {
        assertEquals(InkitException.Kind.LAUNCH_UNCERTAIN, e.kind());
        assertFalse(e.notSent());
        assertFalse(e.isRetryable());
        assertEquals(
                "Inkit batch 'November statements' may or may not have been launched (" + what + "). Do not simply"
                        + " run this again: look for it in Inkit's batch list (by its name) first.",
                e.getMessage());
    }

    @Test
    void postsTheBodyWithTheTokenAndReadsTheBatch() throws Exception {
        answer(201, launched("fb_new1"));
        LaunchRequest request = request();
        LaunchedBatch b = client.launchBatch(request, TOKENS, BUDGET, new Cancellation());
        assertEquals("fb_new1", b.id());
        assertEquals("November statements", b.name());
        assertNull(b.description());
        assertEquals(
                List.of("rend_1", "rend_2", "rend_3"),
                b.documents().stream().map(LaunchedDocument::id).toList());
        assertEquals("doc_3", b.documents().get(2).documentId());
        RecordedRequest r = server.takeRequest();
        assertEquals("POST", r.getMethod());
        assertEquals("/v1/invoke/batch", r.getUrl().encodedPath());
        assertEquals(TOKEN, r.getHeaders().get("X-Inkit-API-Token"));
        assertTrue(r.getHeaders().get("Content-Type").startsWith("application/json"));
        assertArrayEquals(request.body(), r.getBody().toByteArray());
        Map<String, Object> map = b.toMap();
        assertEquals("fb_new1", map.get("id"));
        assertEquals(Map.of("id", "rend_1", "documentId", "doc_1"), ((List<?>) map.get("documents")).get(0));
        // Serialisable for the plugin, and without personal data.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(b);
        }
        LaunchedBatch back =
                (LaunchedBatch) new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject();
        assertEquals(b.documents(), back.documents());
        assertFalse(b.toString().contains(PII_NAME));
    }

    @Test
    void anAnswerThatEchoesUnknownFieldsIsReadWithoutThem() throws Exception {
        answer(
                200,
                "{\"id\": \"fb_x\", \"flows\": [{\"merge_parameters\": [{\"n\": \"" + PII_NAME + "\"}]}],"
                        + " \"flows_data\": [{\"id\": \"rend_1\", \"document_id\": \"doc_1\", \"merge_parameters\":"
                        + " {\"email\": \"" + PII_EMAIL + "\"}}], \"name\": \"a " + TOKEN + "\"}");
        LaunchedBatch b = client.launchBatch(request(), TOKENS, BUDGET, new Cancellation());
        assertEquals("fb_x", b.id());
        assertEquals("a ****", b.name());
        assertEquals(List.of(new LaunchedDocument("rend_1", "doc_1")), b.documents());
        assertFalse(
                b.toMap().toString().contains(PII_NAME) || b.toMap().toString().contains(PII_EMAIL));
    }

    @Test
    void exactlyOnePostAfterA503EvenWithRetryAfterZero() {
        server.enqueue(new MockResponse.Builder()
                .code(503)
                .addHeader("Retry-After", "0")
                .body("{\"detail\": \"Service Unavailable\"}")
                .build());
        anotherLaunchWouldSucceed();
        InkitException e = failure();
        assertUncertain(e, "Inkit answered HTTP 503: {\"detail\":\"Service Unavailable\"}");
        assertEquals(503, e.httpStatus());
        assertEquals(1, server.getRequestCount(), "OkHttp did not resend it either");
    }

    @Test
    void serverErrorsAnd408AreUncertain() {
        for (int code : new int[] {500, 502, 504, 408}) {
            answer(code, "oops");
            InkitException e = failure();
            assertEquals(InkitException.Kind.LAUNCH_UNCERTAIN, e.kind(), "HTTP " + code);
            assertTrue(
                    e.getMessage()
                            .contains("(Inkit answered HTTP " + code + ": (its body is not shown: it is not JSON"),
                    e.getMessage());
        }
        assertEquals(4, server.getRequestCount());
    }

    @Test
    void exactlyOnePostAfterAReadTimeoutOnceSent() throws Exception {
        InkitClient limited = new InkitClient(HTTP, server.url("/").toString(), clock, Duration.ofMillis(500));
        server.enqueue(new MockResponse.Builder()
                .code(201)
                .body(launched("fb_late"))
                .headersDelay(5, TimeUnit.SECONDS)
                .build());
        anotherLaunchWouldSucceed();
        InkitException e = failure(limited);
        assertUncertain(e, "Inkit did not answer within 500ms");
        assertEquals(1, server.getRequestCount());
        assertNotNull(server.takeRequest(1, TimeUnit.SECONDS), "the request had been received");
    }

    @Test
    void exactlyOnePostAfterTheConnectionIsResetOnceSent() {
        server.enqueue(new MockResponse.Builder()
                .code(201)
                .body(launched("fb_lost"))
                .onResponseStart(new SocketEffect.CloseSocket())
                .build());
        anotherLaunchWouldSucceed();
        InkitException e = failure();
        assertEquals(InkitException.Kind.LAUNCH_UNCERTAIN, e.kind());
        assertTrue(e.getMessage().contains("may or may not have been launched (the connection"), e.getMessage());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void aConnectionLostWhileTheBodyIsWrittenIsUncertainToo() {
        server.enqueue(new MockResponse.Builder()
                .onRequestStart(new SocketEffect.CloseSocket())
                .build());
        anotherLaunchWouldSucceed();
        InkitException e = failure();
        assertEquals(InkitException.Kind.LAUNCH_UNCERTAIN, e.kind(), e.getMessage());
        assertFalse(e.notSent());
    }

    @Test
    void aSuccessWithoutABatchIdOrUnreadableIsUncertain() {
        answer(201, "{\"name\": \"November statements\"}");
        assertUncertain(failure(), "Inkit answered HTTP 201, but it has no batch ID");
        answer(200, "<html>ok</html>");
        assertUncertain(failure(), "Inkit answered HTTP 200, but it is not valid JSON");
        answer(200, "[\"fb_1\"]");
        assertUncertain(failure(), "Inkit answered HTTP 200, but it is not a JSON object");
        answer(200, "{\"id\": \"fb_1\", \"flows_data\": [");
        assertUncertain(failure(), "Inkit answered HTTP 200, but it is not valid JSON");
        answer(200, "{\"id\": \"../admin\"}");
        assertUncertain(
                failure(),
                "Inkit answered HTTP 200, but its batch ID is not one (it may hold only letters, digits, '_' and '-')");
    }

    @Test
    void withoutANameTheMessageSaysWhereToLook() throws Exception {
        answer(500, "");
        LaunchRequest unnamed =
                PipelineFlows.read(List.of(Map.of("flowId", "flow_1", "mergeParameters", List.of(Map.of("a", "b")))));
        InkitException e = assertThrows(
                InkitException.class, () -> client.launchBatch(unnamed, TOKENS, BUDGET, new Cancellation()));
        assertEquals(
                "The Inkit batch (launched without a name) may or may not have been launched (Inkit answered HTTP"
                        + " 500: (empty body)). Do not simply run this again: look for it in Inkit's batch list (among"
                        + " the newest batches, as it has no name) first.",
                e.getMessage());
    }

    @Test
    void refusalsQuoteInkitWithoutThePersonalDataItEchoes() {
        answer(
                422,
                "{\"detail\": [{\"loc\": [\"body\", \"flows\", 0, \"merge_parameters\", 0, \"email\"], \"msg\":"
                        + " \"value is not a valid email address: " + PII_EMAIL
                        + "\", \"input\": {\"customer_name\": \""
                        + PII_NAME + "\"}}]}");
        InkitException e = failure();
        assertEquals(InkitException.Kind.REFUSED, e.kind());
        assertEquals(422, e.httpStatus());
        assertFalse(e.isRetryable());
        assertEquals(
                "Inkit refused to launch the batch 'November statements' (HTTP 422): {\"detail\":[{\"loc\":"
                        + "[\"body\",\"flows\",[number],\"merge_parameters\",[number],\"email\"],\"msg\":\"value is not a"
                        + " valid email address: [personal data]\"}]} Nothing was launched; correct the flows and launch"
                        + " again.",
                e.getMessage());
        answer(400, "bad request for " + PII_NAME + " with " + TOKEN);
        InkitException bad = failure();
        assertEquals(InkitException.Kind.REFUSED, bad.kind());
        assertTrue(
                bad.getMessage()
                        .contains("(HTTP 400): (its body is not shown: it is not JSON, and may echo the merge"
                                + " parameters)"),
                bad.getMessage());
        // Echoed escaped or in another case, a value is still a merge parameter.
        answer(
                422,
                "{\"detail\": \"no such person: "
                        + PII_NAME.toUpperCase(java.util.Locale.ROOT).replace(" ", "\\u0020") + "\"}");
        InkitException echoed = failure();
        assertTrue(
                echoed.getMessage().contains("no such person: [personal data] [personal data]"), echoed.getMessage());
        anotherLaunchWouldSucceed();
        assertEquals(3, server.getRequestCount(), "none was sent again");
    }

    @Test
    void aRejectedTokenAndARateLimit() {
        answer(401, "");
        assertEquals(InkitException.Kind.TOKEN_REJECTED, failure().kind());
        answer(403, "");
        InkitException forbidden = failure();
        assertTrue(forbidden.getMessage().contains("may launch workflow batches"), forbidden.getMessage());
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .addHeader("Retry-After", "7")
                .body("slow down")
                .build());
        InkitException limited = failure();
        assertEquals(InkitException.Kind.TRANSIENT, limited.kind());
        assertEquals(429, limited.httpStatus());
        assertEquals(Duration.ofSeconds(7), limited.retryAfter());
        assertEquals(
                "Inkit is rate limiting requests (HTTP 429): (its body is not shown: it is not JSON, and may echo the"
                        + " merge parameters)",
                limited.getMessage());
        assertFalse(limited.notSent(), "it was sent, and answered");
    }

    @Test
    void aRedirectIsNotFollowed() throws Exception {
        try (MockWebServer elsewhere = new MockWebServer()) {
            elsewhere.start();
            server.enqueue(new MockResponse.Builder()
                    .code(307)
                    .addHeader("Location", elsewhere.url("/v1/invoke/batch").toString())
                    .build());
            InkitException e = failure();
            assertEquals(InkitException.Kind.UNTRUSTED_RESPONSE, e.kind());
            assertTrue(
                    e.getMessage().contains("redirect (HTTP 307)")
                            && e.getMessage().contains("not followed"),
                    e.getMessage());
            assertEquals(0, elsewhere.getRequestCount());
        }
        server.enqueue(new MockResponse.Builder()
                .code(308)
                .addHeader("Location", "/elsewhere/v1/invoke/batch")
                .build());
        assertEquals(InkitException.Kind.UNTRUSTED_RESPONSE, failure().kind());
        assertEquals(2, server.getRequestCount(), "not even within the origin");
    }

    @Test
    void aRefusedConnectionIsMarkedNotSent() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        InkitClient nobody = new InkitClient(HTTP, "http://127.0.0.1:" + port, clock);
        InkitException e = failure(nobody);
        assertEquals(InkitException.Kind.TRANSIENT, e.kind());
        assertTrue(e.notSent());
        assertTrue(e.getMessage().contains("the connection was refused"), e.getMessage());

        LaunchTesting.RefusingSockets sockets = new LaunchTesting.RefusingSockets(1);
        InkitClient refusing = new InkitClient(
                HTTP.newBuilder().socketFactory(sockets).build(),
                server.url("/").toString(),
                clock);
        InkitException refused = failure(refusing);
        assertTrue(refused.notSent());
        assertEquals(0, server.getRequestCount());
        answer(201, launched("fb_after"));
        assertEquals(
                "fb_after",
                refusing.launchBatch(request(), TOKENS, BUDGET, new Cancellation())
                        .id());
    }

    @Test
    void anUnknownHostAndABadTokenAreMarkedNotSent() {
        OkHttpClient noDns = TestClients.unresolvable(new ArrayList<>());
        InkitClient unknown;
        try {
            unknown = new InkitClient(noDns, "https://inkit.example.invalid", clock);
        } catch (InkitException e) {
            throw new AssertionError(e);
        }
        InkitException e = failure(unknown);
        assertEquals(InkitException.Kind.UNKNOWN_HOST, e.kind());
        assertTrue(e.notSent());

        InkitException token = assertThrows(
                InkitException.class,
                () -> client.launchBatch(
                        request(), TokenSource.of("a b", "the variable X"), BUDGET, new Cancellation()));
        assertEquals(InkitException.Kind.INVALID_INPUT, token.kind());
        assertTrue(token.notSent());
        InkitException noTime = assertThrows(
                InkitException.class, () -> client.launchBatch(request(), TOKENS, Duration.ZERO, new Cancellation()));
        assertEquals(InkitException.Kind.TIMED_OUT, noTime.kind());
        assertTrue(noTime.notSent());
        assertEquals(0, server.getRequestCount());
    }

    @Test
    void cancellingASentLaunchIsUncertain() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(201)
                .body(launched("fb_slow"))
                .headersDelay(30, TimeUnit.SECONDS)
                .build());
        Cancellation cancellation = new Cancellation();
        CompletableFuture<InkitException> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                client.launchBatch(request(), TOKENS, Duration.ofMinutes(1), cancellation);
                return null;
            } catch (InkitException e) {
                return e;
            }
        });
        assertNotNull(server.takeRequest(10, TimeUnit.SECONDS));
        cancellation.cancel();
        InkitException e = outcome.get(5, TimeUnit.SECONDS);
        assertUncertain(e, "the launch was cancelled while its request was in flight");
    }
}
