package io.jenkins.plugins.inkit.client.http;

import io.jenkins.plugins.inkit.client.ApiUrls;
import io.jenkins.plugins.inkit.client.Cancellation;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.TokenSource;
import io.jenkins.plugins.inkit.client.json.LaunchAnswers;
import io.jenkins.plugins.inkit.client.model.LaunchRequest;
import io.jenkins.plugins.inkit.client.model.LaunchedBatch;
import io.jenkins.plugins.inkit.client.text.ApiTokens;
import io.jenkins.plugins.inkit.client.text.Durations;
import io.jenkins.plugins.inkit.client.text.Excerpts;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The one {@code POST /v1/invoke/batch} of a launch, never sent twice (see {@link LaunchClient}),
 * and what its answer means. Inkit has no idempotency key, so a failure says whether the request
 * certainly did not reach Inkit ({@link InkitException#notSent()}) or may have: then it is a
 * {@link InkitException.Kind#LAUNCH_UNCERTAIN} that says how to check.
 */
public final class LaunchPost {

    /** A launch's answer may list every document's IDs: some 70 bytes each, room for 100,000s of documents. */
    public static final long MAX_ANSWER_BYTES = 8L * 1024 * 1024;

    private static final long MAX_ERROR_BYTES = 1024 * 1024;

    private final OkHttpClient http;
    private final HttpUrl base;
    private final Duration requestLimit;
    private final Refusals refusals;
    private final Clock clock;

    /** @param http a client for {@code base}; a launch client is made from it */
    public LaunchPost(OkHttpClient http, HttpUrl base, Duration requestLimit, Refusals refusals, Clock clock) {
        this.http = LaunchClient.from(http, requestLimit);
        this.base = base;
        this.requestLimit = requestLimit;
        this.refusals = refusals;
        this.clock = clock;
    }

    /**
     * The launch: the token checked before anything is sent (a failure then is certainly not sent),
     * blanked out of every message.
     *
     * @param budget the time the launch may take at most
     */
    public LaunchedBatch launch(
            LaunchRequest request, TokenSource tokenSource, Duration budget, Cancellation cancellation)
            throws InkitException {
        if (budget.isZero() || budget.isNegative()) {
            throw LaunchMessages.timedOutBeforeSending(request, base);
        }
        long deadline = System.nanoTime() + HttpClients.nanos(budget);
        String token;
        try {
            token = ApiTokens.requireSendable(tokenSource.token(), tokenSource.description());
        } catch (InkitException e) {
            throw e.asNotSent();
        }
        try {
            return send(request, token, tokenSource, deadline, cancellation);
        } catch (InkitException e) {
            throw ApiTokens.redact(e, token);
        }
    }

    private LaunchedBatch send(
            LaunchRequest request, String token, TokenSource tokenSource, long deadline, Cancellation cancellation)
            throws InkitException {
        HttpUrl url = base.newBuilder().addPathSegments("v1/invoke/batch").build();
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw LaunchMessages.timedOutBeforeSending(request, base);
        }
        long limit = Math.min(remaining, requestLimit.toNanos());
        Request post = new Request.Builder()
                .url(url)
                .header(HttpClients.TOKEN_HEADER, token)
                .header("Accept", "application/json")
                .header("User-Agent", HttpClients.USER_AGENT)
                .tag(LaunchClient.SendTracker.class, new LaunchClient.SendTracker(cancellation))
                .post(LaunchClient.body(request))
                .build();
        Call call = http.newCall(post);
        call.timeout().timeout(limit, TimeUnit.NANOSECONDS);
        cancellation.track(call);
        Answer answer;
        try (Response response = call.execute()) {
            answer = read(request, url, response);
        } catch (IOException e) {
            if (!cancellation.mayHaveSent()) {
                throw notSent(e, url, request, deadline, limit, cancellation);
            }
            throw LaunchMessages.uncertain(request, afterSending(e, deadline, limit, cancellation), 0);
        } finally {
            cancellation.done(call);
        }
        return outcome(request, url, answer, token, tokenSource);
    }

    private Answer read(LaunchRequest request, HttpUrl url, Response response) throws IOException, InkitException {
        int code = response.code();
        if (code >= 300 && code < 400) {
            throw redirected(url, response);
        }
        boolean success = code >= 200 && code < 300;
        try {
            return Answer.read(response, success ? MAX_ANSWER_BYTES : MAX_ERROR_BYTES, "the answer to a launch");
        } catch (InkitException tooLarge) {
            if (success) {
                throw LaunchMessages.uncertain(
                        request, "Inkit answered HTTP " + code + ", with an answer too large to read", code);
            }
            byte[] note = "(an answer too large to show)".getBytes(StandardCharsets.UTF_8);
            return new Answer(code, note, RetryAfterGuard.retryAfter(response), null);
        }
    }

    /** What the answer says: the batch, or why not (a refusal, a 429 to wait out, an uncertain end). */
    private LaunchedBatch outcome(
            LaunchRequest request, HttpUrl url, Answer answer, String token, TokenSource tokenSource)
            throws InkitException {
        int code = answer.code();
        if (answer.isSuccess()) {
            try {
                return LaunchAnswers.parse(answer.body(), token);
            } catch (InkitException e) {
                throw LaunchMessages.uncertain(
                        request, "Inkit answered HTTP " + code + ", but " + e.getMessage(), code);
            }
        }
        String excerpt = LaunchAnswers.excerpt(answer.body(), token, request);
        switch (code) {
            case 400, 422 ->
                throw new InkitException(
                        InkitException.Kind.REFUSED,
                        "Inkit refused to launch the batch"
                                + (request.name() == null ? "" : " '" + Excerpts.printable(request.name(), 100) + "'")
                                + " (HTTP " + code + "): " + excerpt
                                + " Nothing was launched; correct the flows and launch again.",
                        code,
                        null,
                        null);
            case 401, 403, 407 ->
                throw refusals.of(
                        answer,
                        token,
                        tokenSource,
                        "",
                        "Inkit refused the API token (HTTP 403). Check " + tokenSource.description()
                                + ": the key must have a role that may launch workflow batches.",
                        false);
            case 404 ->
                throw new InkitException(
                        InkitException.Kind.UNTRUSTED_RESPONSE,
                        "Inkit answered HTTP 404 to POST " + url.encodedPath()
                                + ": check that the API URL is the Inkit API's base, such as " + ApiUrls.DEFAULT + ".",
                        code,
                        null,
                        null);
            case 429 ->
                throw new InkitException(
                        InkitException.Kind.TRANSIENT,
                        "Inkit is rate limiting requests (HTTP 429): " + excerpt,
                        code,
                        RetryAfter.parse(answer.retryAfter(), clock.instant()),
                        null);
            default -> {}
        }
        if (code == 408 || code >= 500) {
            throw LaunchMessages.uncertain(request, "Inkit answered HTTP " + code + ": " + excerpt, code);
        }
        throw new InkitException(
                InkitException.Kind.UNTRUSTED_RESPONSE,
                "Inkit answered HTTP " + code + " to the launch of " + LaunchMessages.describe(request) + ": "
                        + excerpt,
                code,
                null,
                null);
    }

    /** A failure before the request could reach Inkit: retrying cannot launch twice. */
    private InkitException notSent(
            IOException e, HttpUrl url, LaunchRequest request, long deadline, long limit, Cancellation cancellation) {
        if (cancellation.isCancelled()) {
            return new InkitException(
                    InkitException.Kind.TIMED_OUT,
                    "The launch of " + LaunchMessages.describe(request) + " was cancelled before its request was sent.",
                    0,
                    null,
                    null,
                    true);
        }
        if (e instanceof InterruptedIOException) {
            if (System.nanoTime() - deadline >= -TimeUnit.MILLISECONDS.toNanos(50)) {
                return LaunchMessages.timedOutBeforeSending(request, base);
            }
            return new InkitException(
                    InkitException.Kind.TRANSIENT,
                    "Could not connect to Inkit at " + base + " within " + Durations.format(Duration.ofNanos(limit))
                            + "; the launch request was not sent.",
                    0,
                    null,
                    null,
                    true);
        }
        return NetworkFailures.describe(e, url, http).asNotSent();
    }

    /** What happened to a request that may have reached Inkit, in a few words. */
    private static String afterSending(IOException e, long deadline, long limit, Cancellation cancellation) {
        if (cancellation.isCancelled()) {
            return "the launch was cancelled while its request was in flight";
        }
        if (e instanceof InterruptedIOException) {
            if (System.nanoTime() - deadline >= -TimeUnit.MILLISECONDS.toNanos(50)) {
                return "the time limit passed before Inkit answered";
            }
            return "Inkit did not answer within " + Durations.format(Duration.ofNanos(limit));
        }
        String message = e.getMessage();
        if (e instanceof EOFException || (message != null && message.startsWith("unexpected end of stream"))) {
            return "the connection closed before Inkit's answer was complete";
        }
        if (e instanceof SSLException) {
            return "the TLS connection failed after the request was sent";
        }
        if (e instanceof SocketException) {
            return "the connection was lost after the request was sent";
        }
        return "the connection failed after the request was sent ("
                + e.getClass().getSimpleName() + ")";
    }

    private static InkitException redirected(HttpUrl from, Response response) {
        String location = response.header("Location");
        HttpUrl to = location == null ? null : from.resolve(location);
        return new InkitException(
                InkitException.Kind.UNTRUSTED_RESPONSE,
                "Inkit answered the launch with a redirect (HTTP " + response.code() + ")"
                        + (to == null ? "" : " to " + NetworkFailures.origin(to) + to.encodedPath())
                        + ". It was not followed: a launch is sent once, only to the API URL given. If the API moved,"
                        + " set the API URL to its new address.",
                response.code(),
                null,
                null);
    }
}
