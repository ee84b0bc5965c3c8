package io.jenkins.plugins.inkit.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * Reads one batch from Inkit: {@code GET {apiUrl}/v1/invoke/batch/{batchId}}. One attempt per
 * call; retrying and waiting are {@link BatchWatch}'s. Every failure becomes an
 * {@link InkitException} that says what to do and never contains the token.
 *
 * <p>Share one instance, or at least one {@link OkHttpClient}, per process: its connection pool
 * and threads are what make a request cheap.
 */
public final class InkitClient {

    public static final String TOKEN_HEADER = "X-Inkit-API-Token";
    /** Larger answers are refused without being read whole; a batch is a few hundred bytes. */
    public static final long MAX_RESPONSE_BYTES = 1024 * 1024;
    /**
     * Larger pages of the run list are refused without being read whole. A page holds up to 100
     * runs with their merge parameters, which are skipped but still have to be received.
     */
    public static final long MAX_RUN_PAGE_BYTES = 2 * MAX_RESPONSE_BYTES;

    public static final String USER_AGENT = "inkit-batch-status/" + version();

    /** The longest one request may take, whatever time the caller has left. */
    public static final Duration MAX_REQUEST_TIME = Duration.ofSeconds(60);

    private static final int MAX_REDIRECTS = 3;

    private final OkHttpClient http;
    private final HttpUrl base;
    private final Clock clock;
    private final Duration requestLimit;

    /**
     * @param http a client prepared with {@link #configure(OkHttpClient.Builder)}; its redirects must be off
     * @param apiUrl the API base, {@code null} or blank for {@link ApiUrls#DEFAULT}
     */
    public InkitClient(OkHttpClient http, String apiUrl) throws InkitException {
        this(http, apiUrl, Clock.systemUTC());
    }

    public InkitClient(OkHttpClient http, String apiUrl, Clock clock) throws InkitException {
        this(http, apiUrl, clock, MAX_REQUEST_TIME);
    }

    /** @param requestLimit the longest one request may take; {@link #MAX_REQUEST_TIME} but in tests */
    InkitClient(OkHttpClient http, String apiUrl, Clock clock, Duration requestLimit) throws InkitException {
        if (http.followRedirects()) {
            // OkHttp would carry our custom token header along to whatever host a redirect names.
            throw new IllegalArgumentException("the OkHttpClient must not follow redirects; use InkitClient.configure");
        }
        this.http = http;
        this.base = ApiUrls.requireValid(apiUrl);
        this.clock = clock;
        this.requestLimit = requestLimit;
    }

    /**
     * Timeouts for a call that should take well under a second, and redirects turned off so that
     * this class follows them itself, only within the same origin.
     */
    public static OkHttpClient.Builder configure(OkHttpClient.Builder builder) {
        return builder.connectTimeout(10, TimeUnit.SECONDS)
                .readTimeout(30, TimeUnit.SECONDS)
                .writeTimeout(30, TimeUnit.SECONDS)
                .callTimeout(60, TimeUnit.SECONDS)
                .followRedirects(false)
                .followSslRedirects(false);
    }

    /** The base URL requests go to. */
    public HttpUrl baseUrl() {
        return base;
    }

    /** One read of the batch that cannot be cancelled from outside; see {@link #fetchBatch(String, TokenSource, Duration, Cancellation)}. */
    public Batch fetchBatch(String batchId, TokenSource tokenSource, Duration budget) throws InkitException {
        return fetchBatch(batchId, tokenSource, budget, new Cancellation());
    }

    /**
     * One read of the batch. The token is checked before anything is sent, and blanked out of
     * every message and every text of the batch, whatever Inkit echoes.
     *
     * @param budget the time this call may take at most, redirects included; the caller's deadline
     * @param cancellation lets another thread end the request in flight
     */
    public Batch fetchBatch(String batchId, TokenSource tokenSource, Duration budget, Cancellation cancellation)
            throws InkitException {
        String id = BatchIds.requireValid(batchId);
        String what = "batch '" + id + "'";
        long deadline = deadline(budget, what);
        String token = ApiTokens.requireSendable(tokenSource.token(), tokenSource.description());
        try {
            HttpUrl url = batchEndpoint().addPathSegment(id).build();
            Answer answer = exchange(url, token, deadline, what, cancellation, MAX_RESPONSE_BYTES);
            if (!answer.isSuccess()) {
                throw refusal(
                        answer,
                        token,
                        tokenSource,
                        "Inkit has no batch '" + id + "' (HTTP 404). Check the batch ID, and that "
                                + tokenSource.description()
                                + " holds a key of the organisation that launched it.");
            }
            Batch batch;
            try {
                batch = BatchParser.parse(answer.body());
            } catch (InkitException e) {
                throw new InkitException(
                        e.kind(),
                        e.getMessage() + " HTTP " + answer.code() + ", body: " + Excerpts.ofBody(answer.body(), token),
                        answer.code(),
                        null,
                        null);
            }
            if (!batch.id().equals(id)) {
                throw new InkitException(
                        InkitException.Kind.UNTRUSTED_RESPONSE,
                        "Inkit answered with another batch when asked for '" + id + "'.",
                        answer.code(),
                        null,
                        null);
            }
            return batch.redacted(token);
        } catch (InkitException e) {
            throw ApiTokens.redact(e, token);
        }
    }

    /**
     * Whether Inkit accepts the token, with the cheapest call that needs the same role as reading a
     * batch: the first entry of the batch list. For "Test connection" buttons.
     */
    public void checkToken(TokenSource tokenSource, Duration budget) throws InkitException {
        String what = "the batch list";
        long deadline = deadline(budget, what);
        String token = ApiTokens.requireSendable(tokenSource.token(), tokenSource.description());
        try {
            HttpUrl url = batchEndpoint()
                    .addQueryParameter("page", "1")
                    .addQueryParameter("page_size", "1")
                    .build();
            Answer answer = exchange(url, token, deadline, what, new Cancellation(), MAX_RESPONSE_BYTES);
            if (!answer.isSuccess()) {
                throw refusal(
                        answer,
                        token,
                        tokenSource,
                        "Inkit answered HTTP 404 to " + url.encodedPath()
                                + ": check that the API URL is the Inkit API's base, such as " + ApiUrls.DEFAULT
                                + ".");
            }
        } catch (InkitException e) {
            throw ApiTokens.redact(e, token);
        }
    }

    /**
     * One page of the list of workflow runs, {@code GET /v1/invoke?page=&page_size=&sort=-created_at},
     * newest first: the only documented way to learn which documents of a batch failed. The same
     * rules as {@link #fetchBatch}: the token checked before anything is sent and blanked out of
     * every message and text, same-origin redirects, the size limit, the deadline. The runs' merge
     * parameters (personal data) are never read, and no message quotes a page that was answered.
     *
     * @param page the page, 1 for the newest runs
     * @param pageSize runs per page
     */
    public RunPage fetchRuns(
            int page, int pageSize, TokenSource tokenSource, Duration budget, Cancellation cancellation)
            throws InkitException {
        if (page < 1 || pageSize < 1) {
            throw new IllegalArgumentException("page " + page + " and page size " + pageSize + " must be at least 1");
        }
        String what = "the list of workflow runs";
        long deadline = deadline(budget, what);
        String token = ApiTokens.requireSendable(tokenSource.token(), tokenSource.description());
        try {
            HttpUrl url = runsEndpoint()
                    .addQueryParameter("page", Integer.toString(page))
                    .addQueryParameter("page_size", Integer.toString(pageSize))
                    .addQueryParameter("sort", "-created_at")
                    .build();
            Answer answer = exchange(url, token, deadline, what, cancellation, MAX_RUN_PAGE_BYTES);
            if (!answer.isSuccess()) {
                throw refusal(
                        answer,
                        token,
                        tokenSource,
                        "Inkit answered HTTP 404 to " + url.encodedPath() + ", the list of workflow runs.",
                        "Inkit refused to list workflow runs to the key in " + tokenSource.description()
                                + " (HTTP 403): its role may read batches but not list workflow runs"
                                + " (GET /v1/invoke). A key whose role may list them would name the failed"
                                + " documents.",
                        false);
            }
            try {
                return RunParser.parse(answer.body(), page, pageSize, token);
            } catch (InkitException e) {
                // Unlike a batch's, this answer is not quoted: its runs hold the customers' data.
                throw new InkitException(
                        e.kind(), e.getMessage() + " HTTP " + answer.code() + ".", answer.code(), null, null);
            }
        } catch (InkitException e) {
            throw ApiTokens.redact(e, token);
        }
    }

    /** {@code {apiUrl}/v1/invoke}, the documented list of workflow runs. */
    private HttpUrl.Builder runsEndpoint() {
        return base.newBuilder().addPathSegments("v1/invoke");
    }

    /** {@code {apiUrl}/v1/invoke/batch}, the documented batch resource. */
    private HttpUrl.Builder batchEndpoint() {
        return base.newBuilder().addPathSegments("v1/invoke/batch");
    }

    /** What Inkit answered: the status, the body (at most the call's limit) and {@code Retry-After}. */
    private record Answer(int code, byte[] body, String retryAfter) {
        boolean isSuccess() {
            return code >= 200 && code < 300;
        }
    }

    private long deadline(Duration budget, String what) throws InkitException {
        if (budget.isZero() || budget.isNegative()) {
            throw timedOut(what);
        }
        return System.nanoTime() + budget.toNanos();
    }

    /**
     * A GET with the token, following redirects within the origin, within the deadline. Each
     * request is limited to {@link #MAX_REQUEST_TIME} as well, so that one slow answer cannot use
     * up a long wait's whole budget while holding a request thread.
     */
    private Answer exchange(
            HttpUrl start, String token, long deadline, String what, Cancellation cancellation, long maxBytes)
            throws InkitException {
        HttpUrl url = start;
        for (int hop = 0; ; hop++) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw timedOut(what);
            }
            long limit = Math.min(remaining, requestLimit.toNanos());
            Request request = new Request.Builder()
                    .url(url)
                    .header(TOKEN_HEADER, token)
                    .header("Accept", "application/json")
                    .header("User-Agent", USER_AGENT)
                    .build();
            Call call = http.newCall(request);
            call.timeout().timeout(limit, TimeUnit.NANOSECONDS);
            cancellation.track(call);
            try (Response response = call.execute()) {
                if (response.isRedirect()) {
                    url = sameOriginRedirect(url, response, hop);
                    continue;
                }
                return new Answer(
                        response.code(), readLimited(response, maxBytes, what), response.header("Retry-After"));
            } catch (IOException e) {
                if (cancellation.isCancelled()) {
                    throw new InkitException(
                            InkitException.Kind.TIMED_OUT, "The request to " + base + " was cancelled.");
                }
                if (e instanceof InterruptedIOException) {
                    if (System.nanoTime() - deadline >= -TimeUnit.MILLISECONDS.toNanos(50)) {
                        throw timedOut(what);
                    }
                    throw new InkitException(
                            InkitException.Kind.TRANSIENT,
                            "Inkit at " + base + " did not answer within " + Durations.format(Duration.ofNanos(limit))
                                    + ".",
                            0,
                            null,
                            null);
                }
                throw NetworkFailures.describe(e, url, http);
            } finally {
                cancellation.done(call);
            }
        }
    }

    private HttpUrl sameOriginRedirect(HttpUrl from, Response response, int hop) throws InkitException {
        String location = response.header("Location");
        HttpUrl to = location == null ? null : from.resolve(location);
        if (to == null) {
            throw new InkitException(
                    InkitException.Kind.UNTRUSTED_RESPONSE,
                    "Inkit answered HTTP " + response.code() + " with no usable redirect location.",
                    response.code(),
                    null,
                    null);
        }
        if (!to.scheme().equals(from.scheme())
                || !to.host().equalsIgnoreCase(from.host())
                || to.port() != from.port()) {
            throw new InkitException(
                    InkitException.Kind.UNTRUSTED_RESPONSE,
                    "Inkit redirected the request to another origin (" + to.scheme() + "://" + to.host() + ":"
                            + to.port()
                            + "); it was not followed, so that the API token is sent only to " + base
                            + ". If the API moved, set the API URL to its new address.",
                    response.code(),
                    null,
                    null);
        }
        if (hop + 1 >= MAX_REDIRECTS) {
            throw new InkitException(
                    InkitException.Kind.UNTRUSTED_RESPONSE,
                    "Inkit redirected the request more than " + MAX_REDIRECTS + " times; check the API URL.",
                    response.code(),
                    null,
                    null);
        }
        return to;
    }

    private static byte[] readLimited(Response response, long maxBytes, String what)
            throws IOException, InkitException {
        ResponseBody body = response.body();
        if (body.contentLength() > maxBytes) {
            throw tooLarge(response.code(), body.contentLength() + " bytes", what);
        }
        BufferedSource source = body.source();
        if (source.request(maxBytes + 1)) {
            throw tooLarge(response.code(), "more than " + maxBytes + " bytes", what);
        }
        return source.getBuffer().readByteArray();
    }

    private static InkitException tooLarge(int code, String size, String what) {
        return new InkitException(
                InkitException.Kind.UNTRUSTED_RESPONSE,
                "Inkit answered HTTP " + code + " with " + size + ", far more than " + what
                        + " takes, so the answer was not read. Check the API URL.",
                code,
                null,
                null);
    }

    /** The error for an answer that is not a success, to a call that needs a role that may read batches. */
    private InkitException refusal(Answer answer, String token, TokenSource tokenSource, String notFound) {
        return refusal(
                answer,
                token,
                tokenSource,
                notFound,
                "Inkit refused the API token (HTTP 403). Check " + tokenSource.description()
                        + ": the key must have a role that may read workflow batches.",
                true);
    }

    /**
     * @param notFound the message for a 404
     * @param forbidden the message for a 403: what the key's role must allow
     * @param quote whether a short excerpt of the body may be shown: never for answers that may hold customers' data
     */
    private InkitException refusal(
            Answer answer, String token, TokenSource tokenSource, String notFound, String forbidden, boolean quote) {
        int code = answer.code();
        switch (code) {
            case 401:
                return new InkitException(
                        InkitException.Kind.TOKEN_REJECTED,
                        "Inkit rejected the API token (HTTP 401). Check " + tokenSource.description()
                                + ": it must hold a current Inkit API key.",
                        code,
                        null,
                        null);
            case 403:
                return new InkitException(InkitException.Kind.TOKEN_REJECTED, forbidden, code, null, null);
            case 404:
                return new InkitException(InkitException.Kind.BATCH_NOT_FOUND, notFound, code, null, null);
            case 407:
                return NetworkFailures.proxyRefused(NetworkFailures.proxyOf(base, http), code);
            default:
                break;
        }
        String excerpt =
                quote ? Excerpts.ofBody(answer.body(), token) : "(its body is not shown: it may hold customers' data)";
        if (code == 408 || code == 429 || code >= 500) {
            String why = code == 429
                    ? "is rate limiting requests"
                    : code == 408 ? "timed out the request" : "had a server error";
            return new InkitException(
                    InkitException.Kind.TRANSIENT,
                    "Inkit " + why + " (HTTP " + code + "): " + excerpt,
                    code,
                    RetryAfter.parse(answer.retryAfter(), clock.instant()),
                    null);
        }
        return new InkitException(
                InkitException.Kind.UNTRUSTED_RESPONSE,
                "Inkit answered HTTP " + code + ": " + excerpt,
                code,
                null,
                null);
    }

    private InkitException timedOut(String what) {
        return new InkitException(
                InkitException.Kind.TIMED_OUT, "The time limit passed while reading " + what + " from " + base + ".");
    }

    private static String version() {
        Properties p = new Properties();
        try (InputStream in = InkitClient.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to "unknown": the User-Agent is informative only
        }
        String v = p.getProperty("version", "");
        return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
    }
}
