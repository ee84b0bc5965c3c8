package io.jenkins.plugins.inkit.client.http;

import static io.jenkins.plugins.inkit.client.TestClients.BUDGET;
import static io.jenkins.plugins.inkit.client.TestClients.TOKENS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.inkit.client.Cancellation;
import io.jenkins.plugins.inkit.client.InkitClient;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.LaunchTesting;
import io.jenkins.plugins.inkit.client.MockInkitTest;
import java.time.Duration;
import mockwebserver3.MockResponse;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * OkHttp's own retry code reads {@code Retry-After} on a 408 or a 503 with {@code Integer.valueOf}
 * (OkHttp 5.3.2): every request path must hand the header to this client instead, whatever it holds.
 */
class RetryAfterGuardTest extends MockInkitTest {

    static final String ABSURD = "99999999999999999";

    void answer(int code, String retryAfter) {
        server.enqueue(new MockResponse.Builder()
                .code(code)
                .addHeader("Retry-After", retryAfter)
                .body("busy")
                .build());
    }

    @Test
    void anAbsurdRetryAfterOnA503IsReadByThisClientNotByOkHttp() throws Exception {
        answer(503, ABSURD);
        InkitException e = assertThrows(InkitException.class, () -> client.fetchBatch("fb_1", TOKENS, BUDGET));
        assertEquals(InkitException.Kind.TRANSIENT, e.kind(), e.getMessage());
        assertEquals(503, e.httpStatus());
        assertEquals(RetryAfter.LONGEST, e.retryAfter(), "read as 'longer than anybody waits'");
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void aRetryAfterOfZeroOnA503DoesNotMakeOkHttpSendAgain() throws Exception {
        answer(503, "0");
        InkitException e = assertThrows(InkitException.class, () -> client.fetchBatch("fb_1", TOKENS, BUDGET));
        assertEquals(Duration.ZERO, e.retryAfter());
        assertEquals(1, server.getRequestCount(), "retries are this client's to decide");
    }

    @Test
    void anAbsurdRetryAfterOnA408IsHarmlessToo() throws Exception {
        answer(408, ABSURD);
        answer(408, ABSURD);
        InkitException e = assertThrows(InkitException.class, () -> client.fetchBatch("fb_1", TOKENS, BUDGET));
        assertEquals(InkitException.Kind.TRANSIENT, e.kind(), e.getMessage());
        assertEquals(RetryAfter.LONGEST, e.retryAfter());
    }

    @Test
    void theRunListIsImmuneToo() throws Exception {
        answer(503, ABSURD);
        InkitException e =
                assertThrows(InkitException.class, () -> client.fetchRuns(1, 100, TOKENS, BUDGET, new Cancellation()));
        assertEquals(InkitException.Kind.TRANSIENT, e.kind(), e.getMessage());
        assertEquals(RetryAfter.LONGEST, e.retryAfter());
    }

    @Test
    void aLaunchIsImmuneAndSentOnce() throws Exception {
        answer(503, ABSURD);
        InkitException uncertain = assertThrows(
                InkitException.class,
                () -> client.launchBatch(LaunchTesting.request(), TOKENS, BUDGET, new Cancellation()));
        assertEquals(InkitException.Kind.LAUNCH_UNCERTAIN, uncertain.kind(), uncertain.getMessage());
        assertEquals(1, server.getRequestCount());

        answer(429, ABSURD);
        InkitException limited = assertThrows(
                InkitException.class,
                () -> client.launchBatch(LaunchTesting.request(), TOKENS, BUDGET, new Cancellation()));
        assertEquals(InkitException.Kind.TRANSIENT, limited.kind(), limited.getMessage());
        assertEquals(RetryAfter.LONGEST, limited.retryAfter());
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void aServerCannotSpeakForTheGuard() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(503)
                .addHeader(RetryAfterGuard.HEADER, "5")
                .build());
        InkitException e = assertThrows(InkitException.class, () -> client.fetchBatch("fb_1", TOKENS, BUDGET));
        assertNull(e.retryAfter(), "only what the server sent as Retry-After counts");
    }

    @Test
    void aClientNotPreparedForInkitIsRefused() {
        OkHttpClient plain = new OkHttpClient.Builder().followRedirects(false).build();
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new InkitClient(plain, server.url("/").toString()));
        assertTrue(e.getMessage().contains("InkitClient.configure"), e.getMessage());
        OkHttpClient twice = InkitClient.configure(InkitClient.configure(new OkHttpClient.Builder()))
                .build();
        assertEquals(1, twice.networkInterceptors().size(), "configure is idempotent");
    }
}
