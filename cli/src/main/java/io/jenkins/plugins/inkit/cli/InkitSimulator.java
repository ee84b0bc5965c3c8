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
 * A local stand-in for the Inkit batch endpoint, on 127.0.0.1 only, for trying the tool without an
 * Inkit account and for end-to-end tests and benchmarks. Each batch's clock starts at its first
 * request, so every run of the demo sees the same story.
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

    private static final Pattern PATH = Pattern.compile("/v1/invoke/batch/([A-Za-z0-9_-]{1,128})");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final long progressMillis;
    private final Map<String, Long> firstSeenNanos = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final AtomicInteger totalRequests = new AtomicInteger();
    private final Instant createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);

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

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            totalRequests.incrementAndGet();
            Matcher path = PATH.matcher(exchange.getRequestURI().getRawPath());
            if (!path.matches()) {
                send(exchange, 404, Map.of("detail", "Not Found"), null);
                return;
            }
            if (!"GET".equals(exchange.getRequestMethod())) {
                send(exchange, 405, Map.of("detail", "Method Not Allowed"), null);
                return;
            }
            String token = exchange.getRequestHeaders().getFirst("X-Inkit-API-Token");
            if (token == null || token.isBlank()) {
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
