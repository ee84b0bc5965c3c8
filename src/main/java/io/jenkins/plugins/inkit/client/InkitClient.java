package io.jenkins.plugins.inkit.client;

import io.jenkins.plugins.inkit.client.http.Answer;
import io.jenkins.plugins.inkit.client.http.Exchange;
import io.jenkins.plugins.inkit.client.http.HttpClients;
import io.jenkins.plugins.inkit.client.http.LaunchPost;
import io.jenkins.plugins.inkit.client.http.Refusals;
import io.jenkins.plugins.inkit.client.json.BatchParser;
import io.jenkins.plugins.inkit.client.json.RunParser;
import io.jenkins.plugins.inkit.client.model.Batch;
import io.jenkins.plugins.inkit.client.model.LaunchRequest;
import io.jenkins.plugins.inkit.client.model.LaunchedBatch;
import io.jenkins.plugins.inkit.client.model.RunPage;
import io.jenkins.plugins.inkit.client.text.ApiTokens;
import io.jenkins.plugins.inkit.client.text.Excerpts;
import java.time.Clock;
import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * The Inkit API as this project uses it: read a batch, check a token, read a page of the workflow
 * runs, launch a batch. One attempt per call; retrying and waiting are the watch's. The token is
 * checked before anything is sent, and every failure becomes an {@link InkitException} that says
 * what to do and never contains the token.
 *
 * <p>Share one {@link OkHttpClient} per process, prepared with {@link #configure}: its connection
 * pool and threads are what make a request cheap.
 */
public final class InkitClient {

    public static final String TOKEN_HEADER = HttpClients.TOKEN_HEADER;
    public static final String USER_AGENT = HttpClients.USER_AGENT;

    /** Larger answers are refused without being read whole; a batch is a few hundred bytes. */
    public static final long MAX_RESPONSE_BYTES = 1024 * 1024;
    /**
     * Larger pages of the run list are refused without being read whole. A page holds up to 100
     * runs with their merge parameters, which are skipped but still have to be received.
     */
    public static final long MAX_RUN_PAGE_BYTES = 2 * MAX_RESPONSE_BYTES;

    /** The longest one request may take, whatever time the caller has left. */
    public static final Duration MAX_REQUEST_TIME = Duration.ofSeconds(60);

    private final OkHttpClient http;
    private final HttpUrl base;
    private final Clock clock;
    private final Duration requestLimit;
    private final Exchange exchange;
    private final Refusals refusals;
    /** Made at the first launch, since most clients only read batches. */
    private volatile LaunchPost launches;

    /**
     * @param http a client prepared with {@link #configure(OkHttpClient.Builder)}
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
        HttpClients.requireConfigured(http);
        this.base = ApiUrls.requireValid(apiUrl);
        this.http = HttpClients.forBase(http, base);
        this.clock = clock;
        this.requestLimit = requestLimit;
        this.exchange = new Exchange(this.http, base, requestLimit);
        this.refusals = new Refusals(base, this.http, clock);
    }

    /** Timeouts, redirects off and {@code Retry-After} hidden from OkHttp: see {@link HttpClients#configure}. */
    public static OkHttpClient.Builder configure(OkHttpClient.Builder builder) {
        return HttpClients.configure(builder);
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
        return readBatch(batchId, tokenSource, budget, cancellation).batch();
    }

    /**
     * {@link #fetchBatch(String, TokenSource, Duration, Cancellation)}, with the time the answer's
     * {@code Date} header gave (the server's clock), for estimates that must not depend on this
     * machine's clock being right.
     */
    public BatchAnswer readBatch(String batchId, TokenSource tokenSource, Duration budget, Cancellation cancellation)
            throws InkitException {
        String id = BatchIds.requireValid(batchId);
        String what = "batch '" + id + "'";
        long deadline = deadline(budget, what);
        String token = ApiTokens.requireSendable(tokenSource.token(), tokenSource.description());
        try {
            HttpUrl url = batchEndpoint().addPathSegment(id).build();
            Answer answer = exchange.get(url, token, deadline, what, cancellation, MAX_RESPONSE_BYTES);
            if (!answer.isSuccess()) {
                throw refusals.of(
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
            return new BatchAnswer(batch, answer.serverTime());
        } catch (InkitException e) {
            throw ApiTokens.redact(e, token);
        }
    }

    /** A batch as read, and the server's time when it answered ({@code null} when it did not say). */
    public record BatchAnswer(Batch batch, java.time.Instant serverTime) {}

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
            Answer answer = exchange.get(url, token, deadline, what, new Cancellation(), MAX_RESPONSE_BYTES);
            if (!answer.isSuccess()) {
                throw refusals.of(
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
     * rules as {@link #fetchBatch}; no message quotes a page, since its runs hold the customers' data.
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
            HttpUrl url = base.newBuilder()
                    .addPathSegments("v1/invoke")
                    .addQueryParameter("page", Integer.toString(page))
                    .addQueryParameter("page_size", Integer.toString(pageSize))
                    .addQueryParameter("sort", "-created_at")
                    .build();
            Answer answer = exchange.get(url, token, deadline, what, cancellation, MAX_RUN_PAGE_BYTES);
            if (!answer.isSuccess()) {
                throw refusals.of(
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
                throw new InkitException(
                        e.kind(), e.getMessage() + " HTTP " + answer.code() + ".", answer.code(), null, null);
            }
        } catch (InkitException e) {
            throw ApiTokens.redact(e, token);
        }
    }

    /**
     * Launches a batch with one {@code POST /v1/invoke/batch}, never retried here and never sent twice
     * by OkHttp either (see {@link LaunchPost}). A failure says whether the request certainly did not
     * reach Inkit ({@link InkitException#notSent()}) or may have ({@link InkitException.Kind#LAUNCH_UNCERTAIN},
     * saying how to check). No message quotes a merge parameter, even one Inkit echoes.
     *
     * @param budget the time this call may take at most; the caller's deadline
     * @param cancellation lets another thread end the request in flight, and tells whether it may have been sent
     */
    public LaunchedBatch launchBatch(
            LaunchRequest request, TokenSource tokenSource, Duration budget, Cancellation cancellation)
            throws InkitException {
        LaunchPost l = launches;
        if (l == null) {
            synchronized (this) {
                l = launches;
                if (l == null) {
                    l = launches = new LaunchPost(http, base, requestLimit, refusals, clock);
                }
            }
        }
        return l.launch(request, tokenSource, budget, cancellation);
    }

    /** {@code {apiUrl}/v1/invoke/batch}, the documented batch resource. */
    private HttpUrl.Builder batchEndpoint() {
        return base.newBuilder().addPathSegments("v1/invoke/batch");
    }

    private long deadline(Duration budget, String what) throws InkitException {
        if (budget.isZero() || budget.isNegative()) {
            throw exchange.timedOut(what);
        }
        return System.nanoTime() + HttpClients.nanos(budget);
    }
}
