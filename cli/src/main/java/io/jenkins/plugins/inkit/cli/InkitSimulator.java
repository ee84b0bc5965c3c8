package io.jenkins.plugins.inkit.cli;

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
                if (pattern.matches()) {
                    long seconds = Long.parseLong(pattern.group(1));
                    send(exchange, 200, steady(id, "Progressing batch", 100, elapsedMillis, seconds * 1000), null);
                } else {
                    send(exchange, 404, Map.of("detail", "Batch not found"), null);
                }
            }
        }
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
