package io.jenkins.plugins.inkit.cli.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for the Inkit batch endpoint and the list of workflow runs, on 127.0.0.1 only,
 * for trying the tool without an Inkit account and for end-to-end tests and benchmarks. Each
 * batch's clock starts at its first request, so every run of the demo sees the same story.
 *
 * <p>{@code GET /v1/invoke} lists the runs of the fixed batches (not of {@code fb_progress_*}),
 * after {@value #SINGLE_RUNS} newer runs outside any batch, so that the failed runs of
 * {@link #FAILED} are on the second page of 100. Every run carries {@code merge_parameters} with
 * made-up personal data ({@link #PERSONAL_DATA}), which must never show anywhere.
 */
public final class InkitSimulator implements AutoCloseable {

    public static final String COMPLETED = "fb_demo_completed";
    public static final String FAILED = "fb_demo_failed";
    public static final String PROGRESS = "fb_demo_progress";
    public static final String STUCK = "fb_demo_stuck";
    public static final String RATE_LIMITED = "fb_demo_rate_limited";
    public static final String UNAVAILABLE = "fb_demo_unavailable";
    /** Also served: {@code fb_progress_<N>s} with any suffix, finishing N seconds after its first request. */
    public static final Pattern PROGRESS_PATTERN = Pattern.compile("fb_progress_(\\d{1,6})s(_[A-Za-z0-9_-]*)?");

    /** Runs outside any batch, newer than every batch's runs. */
    public static final int SINGLE_RUNS = 120;

    /** Values of the runs' made-up merge parameters: none may ever appear in what the tool prints. */
    public static final List<String> PERSONAL_DATA =
            List.of("Ada Placeholder", "ada.placeholder@example.com", "GB33BUKB20201555555555", "1970-01-31");

    /** The error texts of the failed runs of {@link #FAILED}, as Inkit might give them. */
    public static final String SALESFORCE_ERROR =
            "INVALID_FIELD: No such column 'Statement_Date__c' on entity 'Contract'.";

    public static final String SALESFORCE_MISSING = "REQUIRED_FIELD_MISSING: Required fields are missing: [AccountId]";

    /** A launch with a flow of this ID is answered 503 once its body was read: the launch is uncertain. */
    public static final String FLOW_FAIL_503 = "flow_fail_503";
    /** A launch with a flow of this ID has its connection closed once its body was read, without an answer. */
    public static final String FLOW_DROP = "flow_drop";
    /** The first launch with a flow of this ID is answered 429 with {@code Retry-After: 1}; later ones launch. */
    public static final String FLOW_RATE_LIMITED = "flow_rate_limited";
    /** Flow IDs starting with this are unknown to the simulator: 422. */
    public static final String FLOW_MISSING_PREFIX = "flow_missing";
    /** Launched batches are {@code fb_sim_<n>}. */
    public static final String LAUNCHED_PREFIX = "fb_sim_";
    /** For this long after its launch, a launched batch is not shown (404), as Inkit may not show it at once. */
    public static final long INVISIBLE_MILLIS = 1000;

    private static final String BATCHES_PATH = "/v1/invoke/batch";
    private static final Pattern BATCH_PATH = Pattern.compile("/v1/invoke/batch/([A-Za-z0-9_-]{1,128})");
    private static final String RUNS_PATH = "/v1/invoke";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Launches launches = new Launches();
    private final SimulatedBatches batches;
    private final RunList runs;
    private final AtomicInteger totalRequests = new AtomicInteger();
    private final AtomicInteger runListRequests = new AtomicInteger();
    private final AtomicInteger launchRequests = new AtomicInteger();

    /**
     * @param port 0 for any free port
     * @param progressSeconds how long {@link #PROGRESS} takes to finish
     * @param threads threads serving requests
     */
    public InkitSimulator(int port, int progressSeconds, int threads) throws IOException {
        Instant createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        this.batches = new SimulatedBatches(progressSeconds * 1000L, createdAt, launches);
        this.runs = new RunList(createdAt);
        // Without TCP_NODELAY the JDK's server and a keep-alive client wait on each other's delayed
        // ACKs, some 40 ms a request; it is read once, when the first server is made.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "inkit-simulator");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static List<String> demoBatches() {
        return List.of(COMPLETED, FAILED, PROGRESS, STUCK, RATE_LIMITED, UNAVAILABLE);
    }

    /** The base URL to give as the API URL. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int requestCount() {
        return totalRequests.get();
    }

    /** Launch requests, {@code POST /v1/invoke/batch}, answered or not. */
    public int launchRequestCount() {
        return launchRequests.get();
    }

    /** The number of documents of a launched batch, or -1 for an unknown one. */
    public long launchedDocuments(String batchId) {
        Launches.Launched l = launches.find(batchId);
        return l == null ? -1 : l.documents();
    }

    /** Requests for a page of the run list, {@code GET /v1/invoke}. */
    public int runListRequestCount() {
        return runListRequests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            totalRequests.incrementAndGet();
            String rawPath = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            if (RUNS_PATH.equals(rawPath)) {
                runListRequests.incrementAndGet();
                if (authorised(exchange, "GET".equals(method))) {
                    runs.list(exchange);
                }
                return;
            }
            if (BATCHES_PATH.equals(rawPath) && "POST".equals(method)) {
                launchRequests.incrementAndGet();
                if (authorised(exchange, true)) {
                    launches.launch(exchange);
                }
                return;
            }
            Matcher path = BATCH_PATH.matcher(rawPath);
            if (!path.matches()) {
                Exchanges.detail(exchange, 404, "Not Found");
            } else if (authorised(exchange, "GET".equals(method))) {
                batches.answer(exchange, path.group(1));
            }
        }
    }

    /** Answers 405 or 401 and says false when the request may not go on. */
    private static boolean authorised(HttpExchange exchange, boolean methodAllowed) throws IOException {
        if (!methodAllowed) {
            Exchanges.detail(exchange, 405, "Method Not Allowed");
            return false;
        }
        if (!Exchanges.hasToken(exchange)) {
            Exchanges.detail(exchange, 401, "Missing or invalid API token");
            return false;
        }
        return true;
    }
}
