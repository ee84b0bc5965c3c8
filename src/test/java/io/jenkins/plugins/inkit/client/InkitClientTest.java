package io.jenkins.plugins.inkit.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.inkit.client.model.Batch;
import io.jenkins.plugins.inkit.client.model.RunPage;
import io.jenkins.plugins.inkit.client.report.BatchReport;
import io.jenkins.plugins.inkit.client.report.Verdict;
import io.jenkins.plugins.inkit.client.text.ApiTokens;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class InkitClientTest extends MockInkitTest {

    static final String TOKEN = TestClients.TOKEN;
    static final TokenSource TOKENS = TestClients.TOKENS;
    static final OkHttpClient HTTP = TestClients.HTTP;
    static final Duration BUDGET = TestClients.BUDGET;

    private void answer(int code, String body) {
        server.enqueue(new MockResponse.Builder().code(code).body(body).build());
    }

    private InkitException failure() {
        return assertThrows(InkitException.class, () -> client.fetchBatch("fb_4AO6oyjh5yc9jvRKJplghb", TOKENS, BUDGET));
    }

    @Test
    void readsTheBatchWithTheDocumentedRequest() throws Exception {
        answer(200, TestBatches.DOCUMENTED_EXAMPLE);
        Batch b = client.fetchBatch("fb_4AO6oyjh5yc9jvRKJplghb", TOKENS, BUDGET);
        assertEquals("Batch Name", b.name());
        RecordedRequest r = server.takeRequest();
        assertEquals("GET", r.getMethod());
        assertEquals("/v1/invoke/batch/fb_4AO6oyjh5yc9jvRKJplghb", r.getUrl().encodedPath());
        assertEquals(TOKEN, r.getHeaders().get("X-Inkit-API-Token"));
        assertEquals("application/json", r.getHeaders().get("Accept"));
        assertTrue(
                r.getHeaders().get("User-Agent").startsWith("inkit-batch-status/"),
                r.getHeaders().get("User-Agent"));
        assertFalse(r.getUrl().toString().contains(TOKEN));
    }

    @Test
    void keepsAPathInTheApiUrl() throws Exception {
        client = new InkitClient(HTTP, server.url("/inkit/").toString(), clock);
        answer(200, TestBatches.DOCUMENTED_EXAMPLE);
        client.fetchBatch("fb_4AO6oyjh5yc9jvRKJplghb", TOKENS, BUDGET);
        assertEquals(
                "/inkit/v1/invoke/batch/fb_4AO6oyjh5yc9jvRKJplghb",
                server.takeRequest().getUrl().encodedPath());
    }

    @Test
    void aRejectedTokenNamesItsSourceButNeverTheToken() {
        answer(401, "{\"error\": \"invalid token " + TOKEN + "\"}");
        InkitException e = failure();
        assertEquals(InkitException.Kind.TOKEN_REJECTED, e.kind());
        assertEquals(401, e.httpStatus());
        assertTrue(e.getMessage().contains("the credential 'inkit-api-token'"), e.getMessage());
        assertFalse(e.getMessage().contains(TOKEN));
        assertFalse(e.isRetryable());

        answer(403, "forbidden");
        InkitException forbidden = failure();
        assertEquals(InkitException.Kind.TOKEN_REJECTED, forbidden.kind());
        assertTrue(forbidden.getMessage().contains("role"), forbidden.getMessage());
        assertEquals(2, server.getRequestCount(), "nothing retried");
    }

    @Test
    void anUnknownBatchSaysToCheckTheId() {
        answer(404, "{\"detail\": \"Not found\"}");
        InkitException e = failure();
        assertEquals(InkitException.Kind.BATCH_NOT_FOUND, e.kind());
        assertTrue(
                e.getMessage()
                        .startsWith("Inkit has no batch 'fb_4AO6oyjh5yc9jvRKJplghb' (HTTP 404). Check the batch ID"),
                e.getMessage());
        assertFalse(e.isRetryable());
    }

    @Test
    void anHtmlErrorPageBecomesAShortCleanExcerpt() {
        answer(
                200,
                "<html><head><style>body{color:red}</style><script>var t='" + TOKEN + "';</script></head>"
                        + "<body><h1>502 Bad Gateway</h1>\n\n<p>nginx</p>" + "x".repeat(5000) + "</body></html>");
        InkitException e = failure();
        assertEquals(InkitException.Kind.UNTRUSTED_RESPONSE, e.kind());
        assertTrue(e.getMessage().contains("it is not valid JSON"), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP 200, body: 502 Bad Gateway nginx xxx"), e.getMessage());
        assertFalse(e.getMessage().contains("<h1>"));
        assertFalse(e.getMessage().contains(TOKEN));
        assertTrue(
                e.getMessage().length() < 500,
                "excerpt is short: " + e.getMessage().length());
    }

    @Test
    void truncatedJsonIsAnError() {
        answer(200, TestBatches.DOCUMENTED_EXAMPLE.substring(0, 120));
        InkitException e = failure();
        assertEquals(InkitException.Kind.UNTRUSTED_RESPONSE, e.kind());
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    }

    @Test
    void anotherBatchsAnswerIsAnError() {
        answer(200, TestBatches.batch("fb_other", 0));
        InkitException e = failure();
        assertEquals(InkitException.Kind.UNTRUSTED_RESPONSE, e.kind());
        assertEquals(
                "Inkit answered with another batch when asked for 'fb_4AO6oyjh5yc9jvRKJplghb'.",
                e.getMessage(),
                "what the server sent in its place is not quoted");
    }

    @Test
    void unexpectedStatusesKeepTheCodeAndAnExcerpt() {
        answer(422, "{\"detail\": \"batch_id malformed\"}");
        InkitException e = failure();
        assertEquals(InkitException.Kind.UNTRUSTED_RESPONSE, e.kind());
        assertEquals(422, e.httpStatus());
        assertEquals("Inkit answered HTTP 422: {\"detail\": \"batch_id malformed\"}", e.getMessage());
    }

    @Test
    void rateLimitsAndServerErrorsAreTransientAndCarryRetryAfter() {
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .addHeader("Retry-After", "7")
                .body("slow down")
                .build());
        InkitException limited = failure();
        assertTrue(limited.isRetryable());
        assertEquals(Duration.ofSeconds(7), limited.retryAfter());

        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                clock.instant().plusSeconds(30).atOffset(ZoneOffset.UTC));
        server.enqueue(new MockResponse.Builder()
                .code(503)
                .addHeader("Retry-After", date)
                .build());
        InkitException unavailable = failure();
        assertTrue(unavailable.isRetryable());
        assertEquals(Duration.ofSeconds(30), unavailable.retryAfter());

        for (int code : new int[] {500, 502, 504}) {
            answer(code, "");
            InkitException e = failure();
            assertTrue(e.isRetryable(), "HTTP " + code);
            assertNull(e.retryAfter());
        }
    }

    @Test
    void connectionFailuresAreTransient() throws Exception {
        String url = server.url("/").toString();
        server.close();
        InkitClient closed = new InkitClient(HTTP, url, clock);
        InkitException e = assertThrows(InkitException.class, () -> closed.fetchBatch("fb_1", TOKENS, BUDGET));
        assertEquals(InkitException.Kind.TRANSIENT, e.kind());
        assertTrue(e.getMessage().startsWith("Could not reach Inkit at"), e.getMessage());
    }

    @Test
    void theBudgetCutsASlowResponse() {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .body(TestBatches.DOCUMENTED_EXAMPLE)
                .headersDelay(5, TimeUnit.SECONDS)
                .build());
        long start = System.nanoTime();
        InkitException e = assertThrows(
                InkitException.class,
                () -> client.fetchBatch("fb_4AO6oyjh5yc9jvRKJplghb", TOKENS, Duration.ofMillis(300)));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(InkitException.Kind.TIMED_OUT, e.kind());
        assertTrue(tookMillis < 4000, "the call was cut, not waited out: " + tookMillis + " ms");
    }

    @Test
    void noBudgetNoRequest() {
        InkitException e = assertThrows(InkitException.class, () -> client.fetchBatch("fb_1", TOKENS, Duration.ZERO));
        assertEquals(InkitException.Kind.TIMED_OUT, e.kind());
        assertEquals(0, server.getRequestCount());
    }

    @Test
    void followsARedirectWithinTheSameOrigin() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(301)
                .addHeader("Location", "/moved/v1/invoke/batch/fb_4AO6oyjh5yc9jvRKJplghb")
                .build());
        answer(200, TestBatches.DOCUMENTED_EXAMPLE);
        assertEquals(
                "fb_4AO6oyjh5yc9jvRKJplghb",
                client.fetchBatch("fb_4AO6oyjh5yc9jvRKJplghb", TOKENS, BUDGET).id());
        server.takeRequest();
        RecordedRequest second = server.takeRequest();
        assertEquals(
                "/moved/v1/invoke/batch/fb_4AO6oyjh5yc9jvRKJplghb",
                second.getUrl().encodedPath());
    }

    @Test
    void neverCarriesTheTokenToAnotherOrigin() throws Exception {
        try (MockWebServer elsewhere = new MockWebServer()) {
            elsewhere.start();
            elsewhere.enqueue(new MockResponse.Builder()
                    .code(200)
                    .body(TestBatches.DOCUMENTED_EXAMPLE)
                    .build());
            server.enqueue(new MockResponse.Builder()
                    .code(302)
                    .addHeader("Location", elsewhere.url("/steal").toString())
                    .build());
            InkitException e = failure();
            assertEquals(InkitException.Kind.UNTRUSTED_RESPONSE, e.kind());
            assertTrue(e.getMessage().contains("another origin"), e.getMessage());
            assertEquals(0, elsewhere.getRequestCount(), "the other origin got no request, hence no token");
        }
    }

    @Test
    void stopsARedirectLoop() {
        for (int i = 0; i < 5; i++) {
            server.enqueue(new MockResponse.Builder()
                    .code(307)
                    .addHeader("Location", "/again")
                    .build());
        }
        InkitException e = failure();
        assertTrue(e.getMessage().contains("more than 3 times"), e.getMessage());
    }

    @Test
    void refusesAnOversizedAnswerWithoutReadingItWhole() {
        // Chunked, so no Content-Length gives it away: the limit applies while reading.
        Buffer big = new Buffer();
        big.writeUtf8("{\"id\": \"fb_1\", \"name\": \"");
        big.writeUtf8("x".repeat((int) InkitClient.MAX_RESPONSE_BYTES));
        big.writeUtf8("\"}");
        server.enqueue(
                new MockResponse.Builder().code(200).chunkedBody(big, 64 * 1024).build());
        InkitException e = failure();
        assertEquals(InkitException.Kind.UNTRUSTED_RESPONSE, e.kind());
        assertTrue(e.getMessage().contains("more than 1048576 bytes"), e.getMessage());

        Buffer declared = new Buffer().writeUtf8("x".repeat((int) InkitClient.MAX_RESPONSE_BYTES + 10));
        server.enqueue(new MockResponse.Builder().code(200).body(declared).build());
        InkitException byLength = failure();
        assertTrue(byLength.getMessage().contains("1048586 bytes"), byLength.getMessage());
    }

    @Test
    void invalidInputSendsNothing() {
        InkitException e = assertThrows(InkitException.class, () -> client.fetchBatch("../users", TOKENS, BUDGET));
        assertEquals(InkitException.Kind.INVALID_INPUT, e.kind());
        InkitException empty = assertThrows(
                InkitException.class,
                () -> client.fetchBatch(
                        "fb_1", TokenSource.of("  ", "the environment variable INKIT_API_TOKEN"), BUDGET));
        assertEquals("No Inkit API token: the environment variable INKIT_API_TOKEN is empty.", empty.getMessage());
        assertEquals(0, server.getRequestCount());
    }

    @Test
    void refusesAClientThatWouldFollowRedirects() {
        assertThrows(
                IllegalArgumentException.class, () -> new InkitClient(new OkHttpClient(), "https://api.inkit.com"));
    }

    @Test
    void checkingTheTokenReadsTheFirstEntryOfTheBatchList() throws Exception {
        answer(200, "{\"items\": [], \"metadata\": {}}");
        client.checkToken(TOKENS, BUDGET);
        RecordedRequest r = server.takeRequest();
        assertEquals("/v1/invoke/batch", r.getUrl().encodedPath());
        assertEquals("1", r.getUrl().queryParameter("page_size"));
        assertEquals(TOKEN, r.getHeaders().get("X-Inkit-API-Token"));

        answer(401, "");
        InkitException rejected = assertThrows(InkitException.class, () -> client.checkToken(TOKENS, BUDGET));
        assertEquals(InkitException.Kind.TOKEN_REJECTED, rejected.kind());
        assertTrue(rejected.getMessage().contains("the credential 'inkit-api-token'"), rejected.getMessage());

        answer(404, "<html>Not found</html>");
        InkitException wrongUrl = assertThrows(InkitException.class, () -> client.checkToken(TOKENS, BUDGET));
        assertTrue(
                wrongUrl.getMessage().contains("check that the API URL is the Inkit API's base"),
                wrongUrl.getMessage());
    }

    @Test
    void aTokenThatCannotBeSentIsRefusedBeforeAnyRequestWithoutBeingQuoted() {
        String[][] cases = {
            {"tok-SECRET\u00a0part", "a non-breaking space"},
            {"tok-SECRET\nX-Injected: 1", "a line break"},
            {"tok-SECRET\tpart", "a tab"},
            {"tok-SECRET part", "a space"},
            {"tök-SECRET", "a character that is not plain ASCII"},
            {"tok-SECRET\u200b", "an invisible zero-width character"},
            {"tok-SECRET\u0007", "a control character"},
        };
        for (String[] c : cases) {
            TokenSource pasted = TokenSource.of(c[0], "the credential 'inkit-api-token'");
            InkitException e =
                    assertThrows(InkitException.class, () -> client.fetchBatch("fb_1", pasted, BUDGET), c[1]);
            assertEquals(InkitException.Kind.INVALID_INPUT, e.kind(), c[1]);
            assertTrue(e.getMessage().contains("contains " + c[1] + ","), e.getMessage());
            assertTrue(e.getMessage().contains("the credential 'inkit-api-token'"), e.getMessage());
            assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
            assertFalse(e.getMessage().contains("part") || e.getMessage().contains("Injected"), e.getMessage());
            InkitException check = assertThrows(InkitException.class, () -> client.checkToken(pasted, BUDGET));
            assertEquals(e.getMessage(), check.getMessage());
        }
        assertEquals(0, server.getRequestCount(), "nothing was sent");
    }

    @Test
    void theTokenIsBlankedOutOfEveryMessageWhateverItsLength() {
        TokenSource shortToken = TokenSource.of("k3y", "the variable INKIT_API_TOKEN");
        answer(500, "no such key: k3y (k3y)");
        InkitException e = assertThrows(InkitException.class, () -> client.fetchBatch("fb_1", shortToken, BUDGET));
        assertEquals("Inkit had a server error (HTTP 500): no such key: **** (****)", e.getMessage());

        // The token split by markup is still found: it is blanked out before the markup is dropped.
        answer(418, "<p>key</p> " + TOKEN.substring(0, 5) + "<b>" + TOKEN.substring(5) + "</b> " + TOKEN);
        InkitException teapot = failure();
        assertFalse(teapot.getMessage().contains(TOKEN), teapot.getMessage());
        assertTrue(teapot.getMessage().endsWith("****"), teapot.getMessage());
    }

    @Test
    void aBatchThatEchoesTheTokenHasItBlankedOut() throws Exception {
        answer(
                200,
                "{\"id\": \"fb_1\", \"name\": \"batch of " + TOKEN + "\", \"status\": \"" + TOKEN
                        + "\", \"created_at\": \"" + TOKEN + "\", \"total\": 1, \"destinations\": {\"" + TOKEN
                        + "\": {\"count\": 1, \"completed\": 1, \"failed\": 0, \"in_progress\": 0, \"status\": \""
                        + TOKEN + "\"}}}");
        Batch b = client.fetchBatch("fb_1", TOKENS, BUDGET);
        assertEquals("batch of ****", b.name());
        assertEquals("****", b.status());
        assertEquals("****", b.createdAt());
        assertEquals(List.of("****"), List.copyOf(b.destinations().keySet()));
        assertEquals("****", b.destinations().get("****").status());
        assertFalse(BatchReport.summary(b, Verdict.of(b, true)).contains(TOKEN));
    }

    @Test
    void eachRequestIsCutAtItsOwnLimitWhateverTimeTheCallerHasLeft() throws Exception {
        InkitClient limited = new InkitClient(HTTP, server.url("/").toString(), clock, Duration.ofMillis(500));
        // Headers at once, then a byte every 200 ms: no read timeout fires, only the request's limit.
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .body(TestBatches.DOCUMENTED_EXAMPLE)
                .throttleBody(1, 200, TimeUnit.MILLISECONDS)
                .build());
        InkitException e = assertThrows(
                InkitException.class,
                () -> limited.fetchBatch("fb_4AO6oyjh5yc9jvRKJplghb", TOKENS, Duration.ofMinutes(10)));
        assertEquals(InkitException.Kind.TRANSIENT, e.kind(), "the request, not the caller's time, ran out");
        assertTrue(e.getMessage().endsWith("did not answer within 500ms."), e.getMessage());
        assertEquals(Duration.ofSeconds(60), InkitClient.MAX_REQUEST_TIME);
    }

    @Test
    void aCancelledRequestEndsAtOnce() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .body(TestBatches.DOCUMENTED_EXAMPLE)
                .headersDelay(30, TimeUnit.SECONDS)
                .build());
        Cancellation cancellation = new Cancellation();
        java.util.concurrent.CompletableFuture<InkitException> outcome =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        client.fetchBatch("fb_4AO6oyjh5yc9jvRKJplghb", TOKENS, Duration.ofMinutes(10), cancellation);
                        return null;
                    } catch (InkitException e) {
                        return e;
                    }
                });
        assertNotNull(server.takeRequest(10, TimeUnit.SECONDS), "the request went out");
        cancellation.cancel();
        InkitException e = outcome.get(2, TimeUnit.SECONDS);
        assertNotNull(e);
        assertTrue(cancellation.isCancelled());
        // A cancelled handle also stops any later request before it is sent.
        InkitException later = assertThrows(
                InkitException.class,
                () -> client.fetchBatch("fb_4AO6oyjh5yc9jvRKJplghb", TOKENS, BUDGET, cancellation));
        assertTrue(later.getMessage().contains("was cancelled"), later.getMessage());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void anApiOnThisMachineIsReachedDirectlyWhateverProxyTheClientHas() throws Exception {
        // Plain http is allowed only to this machine, so that the token never crosses a network in
        // clear text: a proxy, even one that the client is set up with, would carry it across one.
        try (MockWebServer proxy = new MockWebServer()) {
            proxy.start();
            proxy.enqueue(new MockResponse.Builder()
                    .code(407)
                    .body("Proxy Authentication Required")
                    .build());
            OkHttpClient proxied = HTTP.newBuilder()
                    .proxy(new java.net.Proxy(
                            java.net.Proxy.Type.HTTP,
                            new java.net.InetSocketAddress(proxy.getHostName(), proxy.getPort())))
                    .build();
            for (String host : List.of("127.0.0.1", "localhost")) {
                answer(200, TestBatches.batch("fb_1", 1, TestBatches.dest("box", 1, 1, 0, 0)));
                InkitClient direct = new InkitClient(proxied, "http://" + host + ":" + server.getPort() + "/", clock);
                assertEquals("fb_1", direct.fetchBatch("fb_1", TOKENS, BUDGET).id());
            }
            assertEquals(0, proxy.getRequestCount(), "the proxy saw nothing, the token least of all");
            assertEquals(2, server.getRequestCount());
        }
    }

    @Test
    void aProxysOwnAnswerIsNeverTakenForInkitRejectingTheToken() throws Exception {
        // An https API through a proxy that refuses the tunnel with 401 (tinyproxy's answer to a wrong
        // password) or 407: the proxy is named, never the token.
        for (int code : new int[] {401, 407}) {
            try (MockWebServer proxy = new MockWebServer()) {
                proxy.start();
                proxy.enqueue(new MockResponse.Builder()
                        .code(code)
                        .addHeader("Proxy-Authenticate", "Basic realm=\"corp\"")
                        .build());
                OkHttpClient proxied = HTTP.newBuilder()
                        .proxy(new java.net.Proxy(
                                java.net.Proxy.Type.HTTP,
                                new java.net.InetSocketAddress(proxy.getHostName(), proxy.getPort())))
                        .build();
                InkitClient viaProxy = new InkitClient(proxied, "https://inkit.example.invalid", clock);
                InkitException e =
                        assertThrows(InkitException.class, () -> viaProxy.fetchBatch("fb_1", TOKENS, BUDGET));
                assertEquals(InkitException.Kind.PROXY_REFUSED, e.kind(), e.getMessage());
                assertFalse(e.isRetryable());
                assertFalse(e.getMessage().contains("Inkit rejected the API token"), e.getMessage());
                assertTrue(
                        e.getMessage().startsWith("The proxy at " + proxy.getHostName() + ":" + proxy.getPort()),
                        e.getMessage());
                assertEquals("CONNECT", proxy.takeRequest().getMethod());
            }
        }
    }

    @Test
    void anUnknownHostIsNamedAndRetriedOnceAtMost() throws Exception {
        OkHttpClient noDns = HTTP.newBuilder()
                .dns(host -> {
                    throw new java.net.UnknownHostException(host + ": Name or service not known");
                })
                .build();
        InkitClient unknown = new InkitClient(noDns, "https://inkit.example.invalid:8443", clock);
        InkitException e = assertThrows(InkitException.class, () -> unknown.fetchBatch("fb_1", TOKENS, BUDGET));
        assertEquals(InkitException.Kind.UNKNOWN_HOST, e.kind());
        assertTrue(e.isRetryable());
        assertEquals(
                "Could not reach Inkit at https://inkit.example.invalid:8443: the host name 'inkit.example.invalid'"
                        + " does not resolve. Check the API URL and the DNS.",
                e.getMessage());
    }

    @Test
    void anEchoOfTheTokenCutShortEscapedOrFarIntoTheBodyShowsNoPartOfIt() throws Exception {
        String token = "tok_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwxyz";
        TokenSource tokens = TokenSource.of(token, "the variable INKIT_API_TOKEN");
        String jsonEscaped = token.replace("_", "\\u005f");
        String htmlEscaped = token.replace("_", "&#95;");
        String[] bodies = {
            "<html>" + "<p>x</p>".repeat(3000) + "bad key " + token + "</html>",
            "{\"error\": \"bad token " + jsonEscaped + "\"}",
            "<p>bad token " + htmlEscaped + "</p>",
        };
        for (String body : bodies) {
            answer(500, body);
            InkitException e = assertThrows(InkitException.class, () -> client.fetchBatch("fb_1", tokens, BUDGET));
            assertNoPartOf(token, e.getMessage());
            assertTrue(e.getMessage().startsWith("Inkit had a server error (HTTP 500): "), e.getMessage());
        }
        // Values the parser quotes are cut to a few dozen characters: a cut token is still blanked out.
        answer(200, "{\"id\": \"fb_1\", \"total\": 1, \"destinations\": {\"" + token + "\": 7}}");
        assertNoPartOf(
                token,
                assertThrows(InkitException.class, () -> client.fetchBatch("fb_1", tokens, BUDGET))
                        .getMessage());
        answer(200, "{\"id\": \"fb_1\", \"total\": \"" + token + "\"}");
        assertNoPartOf(
                token,
                assertThrows(InkitException.class, () -> client.fetchBatch("fb_1", tokens, BUDGET))
                        .getMessage());
        answer(200, "{\"id\": " + token + "}");
        assertNoPartOf(
                token,
                assertThrows(InkitException.class, () -> client.fetchBatch("fb_1", tokens, BUDGET))
                        .getMessage());
        answer(200, "{\"id\": \"" + token + "\", \"total\": 1}");
        assertNoPartOf(
                token,
                assertThrows(InkitException.class, () -> client.fetchBatch("fb_1", tokens, BUDGET))
                        .getMessage());
    }

    static void assertNoPartOf(String token, String text) {
        TestClients.assertNoPartOf(token, text);
    }

    @Test
    void redactionBlanksTheWholeTokenAndAnyLongRunOfIt() {
        String token = "tok_ABCDEFGHIJKLMNOP";
        assertEquals("key **** ok", ApiTokens.redact("key tok_ABCDEFGHIJKLMNOP ok", token));
        assertEquals("cut ****", ApiTokens.redact("cut tok_ABCDEFG", token), "a prefix of eight or more");
        assertEquals("end ****!", ApiTokens.redact("end HIJKLMNOP!", token), "its end");
        assertEquals("short tok_ABC stays", ApiTokens.redact("short tok_ABC stays", token), "seven or fewer");
        String plain = "nothing to hide here";
        assertSame(plain, ApiTokens.redact(plain, token));
        assertEquals("ab **** cd", ApiTokens.redact("ab k3y cd", "k3y"), "a short token, whole only");
        assertEquals("k3", ApiTokens.redact("k3", "k3y"));
    }

    @Test
    void listsWorkflowRunsNewestFirstWithTheSameHeaders() throws Exception {
        answer(200, TestRuns.page(2, 3, List.of(TestRuns.failed("rend_1", "fb_1", clock.instant(), "bad"))));
        RunPage page = client.fetchRuns(2, 100, TOKENS, BUDGET, new Cancellation());
        assertEquals(1, page.runs().size());
        assertTrue(page.hasNext());
        RecordedRequest r = server.takeRequest();
        assertEquals("GET", r.getMethod());
        assertEquals("/v1/invoke", r.getUrl().encodedPath());
        assertEquals("2", r.getUrl().queryParameter("page"));
        assertEquals("100", r.getUrl().queryParameter("page_size"));
        assertEquals("-created_at", r.getUrl().queryParameter("sort"));
        assertEquals(TOKEN, r.getHeaders().get("X-Inkit-API-Token"));
        assertEquals("application/json", r.getHeaders().get("Accept"));
    }

    @Test
    void aKeyWhoseRoleMayNotListRunsIsToldSo() {
        answer(403, "{\"detail\": \"forbidden for " + TOKEN + "\"}");
        InkitException e =
                assertThrows(InkitException.class, () -> client.fetchRuns(1, 100, TOKENS, BUDGET, new Cancellation()));
        assertEquals(InkitException.Kind.TOKEN_REJECTED, e.kind());
        assertEquals(403, e.httpStatus());
        assertEquals(
                "Inkit refused to list workflow runs to the key in the credential 'inkit-api-token' (HTTP 403): its"
                        + " role may read batches but not list workflow runs (GET /v1/invoke). A key whose role may"
                        + " list them would name the failed documents.",
                e.getMessage());
    }

    @Test
    void aRunPageThatCannotBeTrustedIsNotQuotedAndTheTokenIsBlankedOut() throws Exception {
        answer(200, "{\"items\": {\"secret\": \"" + TestRuns.PII_NAME + " " + TOKEN + "\"}}");
        InkitException e =
                assertThrows(InkitException.class, () -> client.fetchRuns(1, 100, TOKENS, BUDGET, new Cancellation()));
        assertEquals(InkitException.Kind.UNTRUSTED_RESPONSE, e.kind());
        assertEquals(
                "Inkit's list of workflow runs cannot be trusted: it has no 'items' list. HTTP 200.", e.getMessage());

        // An error page of the run list may echo a run, merge parameters and all: it is not quoted either.
        answer(500, "oops " + TestRuns.PII_EMAIL + " " + TOKEN);
        InkitException server500 =
                assertThrows(InkitException.class, () -> client.fetchRuns(1, 100, TOKENS, BUDGET, new Cancellation()));
        assertTrue(server500.isRetryable());
        assertEquals(
                "Inkit had a server error (HTTP 500): (its body is not shown: it may hold customers' data)",
                server500.getMessage());
    }

    @Test
    void theRunListFollowsOnlySameOriginRedirects() throws Exception {
        try (MockWebServer elsewhere = new MockWebServer()) {
            elsewhere.start();
            server.enqueue(new MockResponse.Builder()
                    .code(302)
                    .addHeader("Location", elsewhere.url("/v1/invoke").toString())
                    .build());
            InkitException e = assertThrows(
                    InkitException.class, () -> client.fetchRuns(1, 100, TOKENS, BUDGET, new Cancellation()));
            assertTrue(e.getMessage().contains("another origin"), e.getMessage());
            assertEquals(0, elsewhere.getRequestCount());
        }
        InkitException noToken = assertThrows(
                InkitException.class,
                () -> client.fetchRuns(1, 100, TokenSource.of("a b", "the variable X"), BUDGET, new Cancellation()));
        assertEquals(InkitException.Kind.INVALID_INPUT, noToken.kind());
        assertEquals(1, server.getRequestCount(), "the token was checked before any request");
    }
}
