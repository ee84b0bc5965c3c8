package io.jenkins.plugins.inkit.client;

import io.jenkins.plugins.inkit.client.http.NetworkFailures;
import io.jenkins.plugins.inkit.client.http.RetryAfter;
import io.jenkins.plugins.inkit.client.json.BatchParser;
import io.jenkins.plugins.inkit.client.json.LaunchAnswers;
import io.jenkins.plugins.inkit.client.json.RunParser;
import io.jenkins.plugins.inkit.client.model.Batch;
import io.jenkins.plugins.inkit.client.model.LaunchRequest;
import io.jenkins.plugins.inkit.client.model.LaunchedBatch;
import io.jenkins.plugins.inkit.client.model.RunPage;
import io.jenkins.plugins.inkit.client.text.ApiTokens;
import io.jenkins.plugins.inkit.client.text.Durations;
import io.jenkins.plugins.inkit.client.text.Excerpts;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.ConnectionPool;
import okhttp3.EventListener;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSink;
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

    /**
     * A launch's answer may list every document's IDs: some 70 bytes each, so this leaves room for
     * well over 100,000 documents.
     */
    public static final long MAX_LAUNCH_ANSWER_BYTES = 8 * MAX_RESPONSE_BYTES;

    private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");

    private final OkHttpClient http;
    /**
     * {@link #http} made never to send a request twice by itself, for the launch; made at the
     * first launch, since most clients only read batches.
     */
    private volatile OkHttpClient launchHttp;

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
    public InkitClient(OkHttpClient http, String apiUrl, Clock clock, Duration requestLimit) throws InkitException {
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
                batch = BatchParser.parse(answer.body(), token);
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
            return batch;
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

    /**
     * Launches a batch with one {@code POST /v1/invoke/batch}; never retried here, and never sent
     * twice by OkHttp either (its own retries are off for it, a second send is refused, and a 503's
     * {@code Retry-After} is hidden from it). Inkit has no idempotency key, so a failure says
     * whether the request certainly did not reach Inkit ({@link InkitException#notSent()}: the
     * connection could not be made) or may have: then it is a {@link InkitException.Kind#LAUNCH_UNCERTAIN}
     * that says how to check. The token is checked before anything is sent and blanked out of every
     * message; no message quotes a merge parameter, even one Inkit echoes. Redirects are not followed.
     *
     * <ul>
     *   <li>2xx with a batch ID: the {@link LaunchedBatch}; without one, or unreadable: uncertain.
     *   <li>400, 422: {@link InkitException.Kind#REFUSED}, with a sanitised excerpt of Inkit's words.
     *   <li>401, 403: {@link InkitException.Kind#TOKEN_REJECTED}.
     *   <li>429: {@link InkitException.Kind#TRANSIENT} with {@code Retry-After}: nothing was launched.
     *   <li>408, 5xx, a timeout or a lost connection once the request may have been written: uncertain.
     * </ul>
     *
     * @param budget the time this call may take at most; the caller's deadline
     * @param cancellation lets another thread end the request in flight
     */
    public LaunchedBatch launchBatch(
            LaunchRequest request, TokenSource tokenSource, Duration budget, Cancellation cancellation)
            throws InkitException {
        if (budget.isZero() || budget.isNegative()) {
            throw launchTimedOut(request);
        }
        long deadline = System.nanoTime() + budget.toNanos();
        String token;
        try {
            token = ApiTokens.requireSendable(tokenSource.token(), tokenSource.description());
        } catch (InkitException e) {
            throw e.asNotSent();
        }
        try {
            return post(request, token, tokenSource, deadline, cancellation);
        } catch (InkitException e) {
            throw ApiTokens.redact(e, token);
        }
    }

    private LaunchedBatch post(
            LaunchRequest request, String token, TokenSource tokenSource, long deadline, Cancellation cancellation)
            throws InkitException {
        HttpUrl url = batchEndpoint().build();
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw launchTimedOut(request);
        }
        long limit = Math.min(remaining, requestLimit.toNanos());
        SendTracker tracker = new SendTracker();
        Request post = new Request.Builder()
                .url(url)
                .header(TOKEN_HEADER, token)
                .header("Accept", "application/json")
                .header("User-Agent", USER_AGENT)
                .tag(SendTracker.class, tracker)
                .post(new OneShotBody(request.bodyBytes()))
                .build();
        Call call = launchHttp().newCall(post);
        call.timeout().timeout(limit, TimeUnit.NANOSECONDS);
        cancellation.track(call);
        Answer answer;
        try (Response response = call.execute()) {
            int code = response.code();
            if (code >= 300 && code < 400) {
                throw launchRedirected(url, response);
            }
            boolean success = code >= 200 && code < 300;
            byte[] body;
            try {
                body = readLimited(
                        response, success ? MAX_LAUNCH_ANSWER_BYTES : MAX_RESPONSE_BYTES, "the answer to a launch");
            } catch (InkitException tooLarge) {
                if (success) {
                    throw uncertain(
                            request, "Inkit answered HTTP " + code + ", with an answer too large to read", code);
                }
                body = "(an answer too large to show)".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            answer = new Answer(code, body, response.header("Retry-After"));
        } catch (IOException e) {
            if (!tracker.mayHaveSent()) {
                throw notSent(e, url, request, deadline, limit, cancellation);
            }
            throw uncertain(request, afterSending(e, deadline, limit, cancellation), 0);
        } finally {
            cancellation.done(call);
        }
        int code = answer.code();
        if (answer.isSuccess()) {
            try {
                return LaunchAnswers.parse(answer.body(), token);
            } catch (InkitException e) {
                throw uncertain(request, "Inkit answered HTTP " + code + ", but " + e.getMessage(), code);
            }
        }
        String excerpt = LaunchAnswers.excerpt(answer.body(), token, request);
        switch (code) {
            case 400, 422:
                return refused(new InkitException(
                        InkitException.Kind.REFUSED,
                        "Inkit refused to launch the batch"
                                + (request.name() == null ? "" : " '" + Excerpts.printable(request.name(), 100) + "'")
                                + " (HTTP " + code + "): " + excerpt
                                + " Nothing was launched; correct the flows and launch again.",
                        code,
                        null,
                        null));
            case 401, 403, 407:
                return refused(refusal(
                        answer,
                        token,
                        tokenSource,
                        "",
                        "Inkit refused the API token (HTTP 403). Check " + tokenSource.description()
                                + ": the key must have a role that may launch workflow batches.",
                        false));
            case 404:
                return refused(new InkitException(
                        InkitException.Kind.UNTRUSTED_RESPONSE,
                        "Inkit answered HTTP 404 to POST " + url.encodedPath()
                                + ": check that the API URL is the Inkit API's base, such as " + ApiUrls.DEFAULT
                                + ".",
                        code,
                        null,
                        null));
            case 429:
                return refused(new InkitException(
                        InkitException.Kind.TRANSIENT,
                        "Inkit is rate limiting requests (HTTP 429): " + excerpt,
                        code,
                        RetryAfter.parse(answer.retryAfter(), clock.instant()),
                        null));
            default:
                break;
        }
        if (code == 408 || code >= 500) {
            throw uncertain(request, "Inkit answered HTTP " + code + ": " + excerpt, code);
        }
        throw new InkitException(
                InkitException.Kind.UNTRUSTED_RESPONSE,
                "Inkit answered HTTP " + code + " to the launch of " + describe(request) + ": " + excerpt,
                code,
                null,
                null);
    }

    /** Throws, so that the switch above reads as the list of answers it is. */
    private static LaunchedBatch refused(InkitException e) throws InkitException {
        throw e;
    }

    /** A failure before the request could reach Inkit: retrying cannot launch twice. */
    private InkitException notSent(
            IOException e, HttpUrl url, LaunchRequest request, long deadline, long limit, Cancellation cancellation) {
        if (cancellation.isCancelled()) {
            return new InkitException(
                    InkitException.Kind.TIMED_OUT,
                    "The launch of " + describe(request) + " was cancelled before its request was sent.",
                    0,
                    null,
                    null,
                    true);
        }
        if (e instanceof InterruptedIOException) {
            if (System.nanoTime() - deadline >= -TimeUnit.MILLISECONDS.toNanos(50)) {
                return launchTimedOut(request);
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
        return NetworkFailures.describe(e, url, launchHttp()).asNotSent();
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
        if (e instanceof java.io.EOFException || (message != null && message.startsWith("unexpected end of stream"))) {
            return "the connection closed before Inkit's answer was complete";
        }
        if (e instanceof javax.net.ssl.SSLException) {
            return "the TLS connection failed after the request was sent";
        }
        if (e instanceof java.net.SocketException) {
            return "the connection was lost after the request was sent";
        }
        return "the connection failed after the request was sent ("
                + e.getClass().getSimpleName() + ")";
    }

    private InkitException launchRedirected(HttpUrl from, Response response) {
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

    /** "the Inkit batch 'Name'", or "an Inkit batch without a name". */
    public static String describe(LaunchRequest request) {
        return request.name() == null
                ? "an Inkit batch without a name"
                : "Inkit batch '" + Excerpts.printable(request.name(), 100) + "'";
    }

    /** The launch may have happened: what to do before trying again. */
    public static InkitException uncertain(LaunchRequest request, String what, int code) {
        String name = request.name();
        String message = (name == null
                        ? "The Inkit batch (launched without a name)"
                        : "Inkit batch '" + Excerpts.printable(name, 100) + "'")
                + " may or may not have been launched (" + what + "). Do not simply run this again: look for it in"
                + " Inkit's batch list ("
                + (name == null ? "among the newest batches, as it has no name" : "by its name")
                + ") first.";
        return new InkitException(InkitException.Kind.LAUNCH_UNCERTAIN, message, code, null, null);
    }

    private InkitException launchTimedOut(LaunchRequest request) {
        return new InkitException(
                InkitException.Kind.TIMED_OUT,
                "The time limit passed before the launch of " + describe(request) + " could be sent to " + base
                        + "; nothing was launched.",
                0,
                null,
                null,
                true);
    }

    private OkHttpClient launchHttp() {
        OkHttpClient c = launchHttp;
        if (c == null) {
            synchronized (this) {
                c = launchHttp;
                if (c == null) {
                    c = launchHttp = launchClient(http, requestLimit);
                }
            }
        }
        return c;
    }

    /**
     * The client for launches: {@code http} with OkHttp's own retries off (it would resend a POST
     * after a connection failure), a record of whether each launch request may have been written,
     * a refusal to write one twice, and a read timeout at least the request limit, since a batch of
     * many documents may take Inkit a while to answer and a timeout then leaves the launch uncertain.
     */
    private static OkHttpClient launchClient(OkHttpClient http, Duration requestLimit) {
        EventListener.Factory outer = http.eventListenerFactory();
        OkHttpClient.Builder builder = http.newBuilder()
                .retryOnConnectionFailure(false)
                // A fresh connection each time: a stale pooled one would fail after the request may
                // have been written, and turn a launch that never happened into an uncertain one.
                .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS))
                .eventListenerFactory(call -> {
                    EventListener listener = outer.create(call);
                    SendTracker tracker = call.request().tag(SendTracker.class);
                    return tracker == null ? listener : listener.plus(tracker);
                })
                .addNetworkInterceptor(InkitClient::sendOnce);
        if (http.readTimeoutMillis() != 0 && http.readTimeoutMillis() < requestLimit.toMillis()) {
            builder.readTimeout(requestLimit);
        }
        return builder.build();
    }

    /** A launch request goes out once; a 503's {@code Retry-After: 0} would make OkHttp resend it. */
    private static Response sendOnce(Interceptor.Chain chain) throws IOException {
        SendTracker tracker = chain.request().tag(SendTracker.class);
        if (tracker == null) {
            return chain.proceed(chain.request());
        }
        if (!tracker.claimTheOnlySend()) {
            throw new IOException("a second send of the launch request was refused");
        }
        Response response = chain.proceed(chain.request());
        if (response.code() == 503 && response.header("Retry-After") != null) {
            return response.newBuilder().removeHeader("Retry-After").build();
        }
        return response;
    }

    /**
     * Whether the launch request may have reached Inkit: once a connection to it is acquired, the
     * request may be written at any moment; before that (DNS, connecting, TLS, a proxy's CONNECT)
     * nothing of it was.
     */
    static final class SendTracker extends EventListener {
        private volatile boolean mayHaveSent;
        private final java.util.concurrent.atomic.AtomicBoolean sent = new java.util.concurrent.atomic.AtomicBoolean();

        boolean mayHaveSent() {
            return mayHaveSent;
        }

        boolean claimTheOnlySend() {
            mayHaveSent = true;
            return sent.compareAndSet(false, true);
        }

        @Override
        public void connectionAcquired(Call call, Connection connection) {
            mayHaveSent = true;
        }

        @Override
        public void requestHeadersStart(Call call) {
            mayHaveSent = true;
        }
    }

    /** The body, written once: OkHttp never replays a one-shot body. */
    private static final class OneShotBody extends RequestBody {
        private final byte[] bytes;

        OneShotBody(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public MediaType contentType() {
            return JSON_TYPE;
        }

        @Override
        public long contentLength() {
            return bytes.length;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            sink.write(bytes);
        }

        @Override
        public boolean isOneShot() {
            return true;
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
