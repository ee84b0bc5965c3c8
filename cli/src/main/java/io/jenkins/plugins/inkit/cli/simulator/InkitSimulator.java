package io.jenkins.plugins.inkit.cli.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

    private static final long MAX_LAUNCH_BYTES = 64L * 1024 * 1024;
    private static final String BATCHES_PATH = "/v1/invoke/batch";
    private static final Pattern PATH = Pattern.compile("/v1/invoke/batch/([A-Za-z0-9_-]{1,128})");
    private static final String RUNS_PATH = "/v1/invoke";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final long progressMillis;
    private final Map<String, Long> firstSeenNanos = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final AtomicInteger totalRequests = new AtomicInteger();
    private final AtomicInteger runListRequests = new AtomicInteger();
    private final AtomicInteger launchRequests = new AtomicInteger();
    private final AtomicInteger launchedCount = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicBoolean rateLimitedOnce =
            new java.util.concurrent.atomic.AtomicBoolean();
    /** The launched batches by ID: name and number of documents only, never their merge parameters. */
    private final Map<String, Launched> launched = new ConcurrentHashMap<>();

    private record Launched(String name, long documents, long launchedNanos) {}

    private final Instant createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    /** Every run, newest first. */
    private final List<Map<String, Object>> runs = runs();

    /**
     * @param port 0 for any free port
     * @param progressSeconds how long {@link #PROGRESS} takes to finish
     * @param threads threads serving requests
     */
    public InkitSimulator(int port, int progressSeconds, int threads) throws IOException {
        this.progressMillis = progressSeconds * 1000L;
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
        Launched l = launched.get(batchId);
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
            if (RUNS_PATH.equals(rawPath)) {
                runListRequests.incrementAndGet();
                if (!"GET".equals(exchange.getRequestMethod())) {
                    send(exchange, 405, Map.of("detail", "Method Not Allowed"), null);
                } else if (!hasToken(exchange)) {
                    send(exchange, 401, Map.of("detail", "Missing or invalid API token"), null);
                } else {
                    listRuns(exchange);
                }
                return;
            }
            if (BATCHES_PATH.equals(rawPath) && "POST".equals(exchange.getRequestMethod())) {
                launchRequests.incrementAndGet();
                if (!hasToken(exchange)) {
                    send(exchange, 401, Map.of("detail", "Missing or invalid API token"), null);
                } else {
                    launch(exchange);
                }
                return;
            }
            Matcher path = PATH.matcher(rawPath);
            if (!path.matches()) {
                send(exchange, 404, Map.of("detail", "Not Found"), null);
                return;
            }
            if (!"GET".equals(exchange.getRequestMethod())) {
                send(exchange, 405, Map.of("detail", "Method Not Allowed"), null);
                return;
            }
            if (!hasToken(exchange)) {
                send(exchange, 401, Map.of("detail", "Missing or invalid API token"), null);
                return;
            }
            String id = path.group(1);
            long now = System.nanoTime();
            long first = firstSeenNanos.computeIfAbsent(id, k -> now);
            int n = requests.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            answer(exchange, id, n, (now - first) / 1_000_000);
        }
    }

    private void answer(HttpExchange exchange, String id, int request, long elapsedMillis) throws IOException {
        Matcher pattern = PROGRESS_PATTERN.matcher(id);
        switch (id) {
            case COMPLETED ->
                send(
                        exchange,
                        200,
                        batch(id, "Invoices November", 3, dest("inkit_storage", 3, 3, 0), dest("salesforce", 3, 3, 0)),
                        null);
            case FAILED ->
                send(
                        exchange,
                        200,
                        batch(id, "Contracts", 3, dest("inkit_storage", 3, 3, 0), dest("salesforce", 3, 1, 2)),
                        null);
            case PROGRESS -> send(exchange, 200, steady(id, "Statements", 40, elapsedMillis, progressMillis), null);
            case STUCK ->
                send(
                        exchange,
                        200,
                        batch(id, "Stuck batch", 10, dest("inkit_storage", 10, 4, 0), dest("docusign", 10, 0, 0)),
                        null);
            case RATE_LIMITED -> {
                if (request <= 2) {
                    send(exchange, 429, Map.of("detail", "Rate limit exceeded"), "1");
                } else {
                    send(exchange, 200, batch(id, "Rate limited", 2, dest("inkit_storage", 2, 2, 0)), null);
                }
            }
            case UNAVAILABLE -> {
                if (request <= 2) {
                    send(exchange, 503, Map.of("detail", "Service Unavailable, try again later"), null);
                } else {
                    send(exchange, 200, batch(id, "Unavailable at first", 2, dest("inkit_storage", 2, 2, 0)), null);
                }
            }
            default -> {
                Launched l = launched.get(id);
                if (l != null) {
                    long sinceLaunch = (System.nanoTime() - l.launchedNanos()) / 1_000_000;
                    if (sinceLaunch < INVISIBLE_MILLIS) {
                        send(exchange, 404, Map.of("detail", "Batch not found"), null);
                    } else {
                        long settled = progressMillis <= 0
                                ? l.documents()
                                : Math.min(
                                        l.documents(),
                                        l.documents() * (sinceLaunch - INVISIBLE_MILLIS) / progressMillis);
                        send(
                                exchange,
                                200,
                                batch(id, l.name(), l.documents(), dest("inkit_storage", l.documents(), settled, 0)),
                                null);
                    }
                } else if (pattern.matches()) {
                    long seconds = Long.parseLong(pattern.group(1));
                    send(exchange, 200, steady(id, "Progressing batch", 100, elapsedMillis, seconds * 1000), null);
                } else {
                    send(exchange, 404, Map.of("detail", "Batch not found"), null);
                }
            }
        }
    }

    /**
     * {@code POST /v1/invoke/batch}: checks the body as Inkit might (422 naming where, never quoting a
     * value), then creates {@code fb_sim_<n>}, which finishes {@code --progress-seconds} after it
     * becomes visible, and answers {@code {id, name, description, flows_data}}. The flows
     * {@link #FLOW_FAIL_503}, {@link #FLOW_DROP} and {@link #FLOW_RATE_LIMITED} play the failures.
     */
    private void launch(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, MAX_LAUNCH_BYTES + 1));
        if (body.length > MAX_LAUNCH_BYTES) {
            send(exchange, 413, Map.of("detail", "Request body too large"), null);
            return;
        }
        com.fasterxml.jackson.databind.JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (IOException e) {
            send(exchange, 400, Map.of("detail", "The request body is not valid JSON"), null);
            return;
        }
        String problem = launchProblem(request);
        if (problem != null) {
            send(exchange, 422, Map.of("detail", problem), null);
            return;
        }
        long documents = 0;
        java.util.Set<String> flowIds = new java.util.HashSet<>();
        for (com.fasterxml.jackson.databind.JsonNode flow : request.get("flows")) {
            flowIds.add(flow.get("flow_id").textValue());
            documents += flow.get("merge_parameters").size();
        }
        for (String flowId : flowIds) {
            if (flowId.startsWith(FLOW_MISSING_PREFIX)) {
                send(exchange, 422, Map.of("detail", "Flow " + flowId + " not found"), null);
                return;
            }
        }
        if (flowIds.contains(FLOW_FAIL_503)) {
            send(exchange, 503, Map.of("detail", "Service Unavailable, try again later"), null);
            return;
        }
        if (flowIds.contains(FLOW_DROP)) {
            // Closing the exchange before any answer closes the connection: the body was read, no answer came.
            return;
        }
        if (flowIds.contains(FLOW_RATE_LIMITED) && rateLimitedOnce.compareAndSet(false, true)) {
            send(exchange, 429, Map.of("detail", "Rate limit exceeded"), "1");
            return;
        }
        int n = launchedCount.incrementAndGet();
        String id = LAUNCHED_PREFIX + n;
        com.fasterxml.jackson.databind.JsonNode name = request.get("name");
        com.fasterxml.jackson.databind.JsonNode description = request.get("description");
        String batchName = name != null && name.isTextual() ? name.textValue() : null;
        launched.put(id, new Launched(batchName == null ? "Launched batch" : batchName, documents, System.nanoTime()));
        List<Map<String, Object>> flowsData = new java.util.ArrayList<>();
        for (long i = 1; i <= documents; i++) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("id", String.format("rend_sim_%d_%05d", n, i));
            d.put("document_id", String.format("doc_sim_%d_%05d", n, i));
            flowsData.add(d);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id);
        answer.put("name", batchName);
        answer.put("description", description != null && description.isTextual() ? description.textValue() : null);
        answer.put("flows_data", flowsData);
        send(exchange, 201, answer, null);
    }

    /** What is wrong with a launch's body, said as Inkit's validation might, without its values; or null. */
    private static String launchProblem(com.fasterxml.jackson.databind.JsonNode request) {
        if (request == null || !request.isObject()) {
            return "body: must be an object";
        }
        com.fasterxml.jackson.databind.JsonNode flows = request.get("flows");
        if (flows == null || !flows.isArray() || flows.isEmpty()) {
            return "body.flows: must be a non-empty list";
        }
        for (int i = 0; i < flows.size(); i++) {
            com.fasterxml.jackson.databind.JsonNode flow = flows.get(i);
            String at = "body.flows." + i;
            if (!flow.isObject()) {
                return at + ": must be an object";
            }
            com.fasterxml.jackson.databind.JsonNode flowId = flow.get("flow_id");
            if (flowId == null || !flowId.isTextual() || flowId.textValue().isBlank()) {
                return at + ".flow_id: field required";
            }
            com.fasterxml.jackson.databind.JsonNode parameters = flow.get("merge_parameters");
            if (parameters == null || !parameters.isArray() || parameters.isEmpty()) {
                return at + ".merge_parameters: must be a non-empty list";
            }
            for (int j = 0; j < parameters.size(); j++) {
                if (!parameters.get(j).isObject()) {
                    return at + ".merge_parameters." + j + ": must be an object";
                }
            }
        }
        return null;
    }

    private static boolean hasToken(HttpExchange exchange) {
        String token = exchange.getRequestHeaders().getFirst("X-Inkit-API-Token");
        return token != null && !token.isBlank();
    }

    /** {@code GET /v1/invoke?page=&page_size=&sort=}: one page of the runs, with Inkit's pagination. */
    private void listRuns(HttpExchange exchange) throws IOException {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String key = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.put(key, value);
            }
        }
        int page;
        int pageSize;
        try {
            page = Integer.parseInt(query.getOrDefault("page", "1"));
            pageSize = Integer.parseInt(query.getOrDefault("page_size", "25"));
        } catch (NumberFormatException e) {
            send(exchange, 422, Map.of("detail", "page and page_size must be whole numbers"), null);
            return;
        }
        String sort = query.getOrDefault("sort", "-created_at");
        if (page < 1 || pageSize < 1 || pageSize > 100 || !sort.matches("-?created_at")) {
            send(exchange, 422, Map.of("detail", "page >= 1, 1 <= page_size <= 100, sort by created_at"), null);
            return;
        }
        List<Map<String, Object>> ordered = new java.util.ArrayList<>(runs);
        if (!sort.startsWith("-")) {
            java.util.Collections.reverse(ordered);
        }
        int total = ordered.size();
        int pageCount = (total + pageSize - 1) / pageSize;
        long from = (long) (page - 1) * pageSize;
        List<Map<String, Object>> items =
                from >= total ? List.of() : ordered.subList((int) from, (int) Math.min(total, from + pageSize));
        Map<String, Object> pagination = new LinkedHashMap<>();
        pagination.put("page_size", pageSize);
        pagination.put("current_page", page);
        pagination.put("next_page", page < pageCount ? page + 1 : null);
        pagination.put("prev_page", page > 1 ? page - 1 : null);
        pagination.put("page_count", pageCount);
        pagination.put("total_count", total);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("metadata", Map.of("pagination", pagination));
        send(exchange, 200, body, null);
    }

    /**
     * The runs of the fixed batches, a millisecond apart from their batch's creation on, and newer
     * runs outside any batch; newest first. {@link #FAILED}'s second and third runs failed on
     * Salesforce, each with an error text in one of the shapes Inkit may use.
     */
    private List<Map<String, Object>> runs() {
        List<Map<String, Object>> all = new java.util.ArrayList<>();
        int n = 0;
        Object[][] batches = {
            {COMPLETED, "Invoice", 3, List.of("inkit_storage", "salesforce")},
            {FAILED, "Contract", 3, List.of("inkit_storage", "salesforce")},
            {PROGRESS, "Monthly statement", 40, List.of("inkit_storage", "dropbox")},
            {STUCK, "Stuck letter", 10, List.of("inkit_storage", "docusign")},
            {RATE_LIMITED, "Notice", 2, List.of("inkit_storage")},
            {UNAVAILABLE, "Notice", 2, List.of("inkit_storage")},
        };
        for (Object[] b : batches) {
            String batchId = (String) b[0];
            @SuppressWarnings("unchecked")
            List<String> destinations = (List<String>) b[3];
            for (int i = 1; i <= (Integer) b[2]; i++) {
                Map<String, Object> dests = new LinkedHashMap<>();
                boolean failed = batchId.equals(FAILED) && i >= 2;
                for (String d : destinations) {
                    Map<String, Object> dest = new LinkedHashMap<>();
                    if (failed && d.equals("salesforce")) {
                        dest.put("status", "Failed");
                        dest.put(
                                "error",
                                i == 2
                                        ? SALESFORCE_ERROR
                                        : Map.of("code", "REQUIRED_FIELD_MISSING", "message", SALESFORCE_MISSING));
                    } else {
                        dest.put("status", "completed");
                    }
                    dests.put(d, dest);
                }
                all.add(run(
                        String.format("rend_%s_%04d", batchId.substring(3), i),
                        (String) b[1],
                        batchId,
                        failed,
                        dests,
                        createdAt.plusMillis(++n)));
            }
        }
        for (int i = 1; i <= SINGLE_RUNS; i++) {
            Map<String, Object> dests = new LinkedHashMap<>();
            dests.put("inkit_storage", Map.of("status", "completed"));
            all.add(run(
                    String.format("rend_single_%04d", i),
                    "Welcome letter",
                    null,
                    false,
                    dests,
                    createdAt.plusSeconds(10).plusMillis(i)));
        }
        java.util.Collections.reverse(all);
        return List.copyOf(all);
    }

    private static Map<String, Object> run(
            String id, String flow, String batchId, boolean failed, Map<String, Object> destinations, Instant at) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", id);
        r.put("flow_id", "flow_" + flow.toLowerCase(java.util.Locale.ROOT).replace(' ', '_'));
        r.put("flow_name", flow);
        r.put("flows_batch_id", batchId);
        r.put("status", failed ? "Failed" : "Completed");
        r.put("destination_status", failed ? "failed" : "completed");
        r.put("destinations", destinations);
        Map<String, Object> merge = new LinkedHashMap<>();
        merge.put("customer_name", PERSONAL_DATA.get(0));
        merge.put("email", PERSONAL_DATA.get(1));
        merge.put("iban", PERSONAL_DATA.get(2));
        merge.put("date_of_birth", PERSONAL_DATA.get(3));
        r.put("merge_parameters", merge);
        r.put("created_at", at.toString());
        return r;
    }

    private Map<String, Object> steady(String id, String name, long total, long elapsedMillis, long durationMillis) {
        long settled = durationMillis <= 0 ? total : Math.min(total, total * elapsedMillis / durationMillis);
        return batch(id, name, total, dest("inkit_storage", total, settled, 0), dest("dropbox", total, settled, 0));
    }

    /** {@code settled} of {@code count} are done: completed first, then failed, the rest in progress. */
    private static Map<String, Object> dest(String name, long count, long completed, long failed) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", name);
        d.put("completed", completed);
        d.put("count", count);
        d.put("failed", failed);
        long inProgress = count - completed - failed;
        d.put("in_progress", inProgress);
        d.put("status", inProgress > 0 ? "in_progress" : failed > 0 ? "failed" : "completed");
        return d;
    }

    @SafeVarargs
    private Map<String, Object> batch(String id, String name, long total, Map<String, Object>... dests) {
        Map<String, Object> destinations = new LinkedHashMap<>();
        boolean finished = true;
        for (Map<String, Object> d : dests) {
            Object destName = d.remove("name");
            destinations.put((String) destName, d);
            finished &= ((Long) d.get("in_progress")) == 0;
        }
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("created_at", createdAt.toString());
        b.put("destinations", destinations);
        b.put("id", id);
        b.put("name", name);
        b.put("status", finished ? "Completed" : "Processing");
        b.put("total", total);
        return b;
    }

    private static void send(HttpExchange exchange, int code, Object body, String retryAfter) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (retryAfter != null) {
            exchange.getResponseHeaders().set("Retry-After", retryAfter);
        }
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
