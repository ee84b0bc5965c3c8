package io.jenkins.plugins.inkit.cli.simulator;

import static io.jenkins.plugins.inkit.cli.simulator.InkitSimulator.COMPLETED;
import static io.jenkins.plugins.inkit.cli.simulator.InkitSimulator.FAILED;
import static io.jenkins.plugins.inkit.cli.simulator.InkitSimulator.INVISIBLE_MILLIS;
import static io.jenkins.plugins.inkit.cli.simulator.InkitSimulator.PROGRESS;
import static io.jenkins.plugins.inkit.cli.simulator.InkitSimulator.PROGRESS_PATTERN;
import static io.jenkins.plugins.inkit.cli.simulator.InkitSimulator.RATE_LIMITED;
import static io.jenkins.plugins.inkit.cli.simulator.InkitSimulator.STUCK;
import static io.jenkins.plugins.inkit.cli.simulator.InkitSimulator.UNAVAILABLE;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;

/**
 * {@code GET /v1/invoke/batch/{id}}: the demonstration batches, each with its clock starting at its
 * first request so that every run of the demo sees the same story, and the batches launched here.
 * A batch's {@code created_at} is when its clock started (its launch, or its first request), so that
 * an estimate of its finish from its creation holds here as it would at Inkit; the finished and
 * stuck demonstration batches were created when the simulator started.
 */
final class SimulatedBatches {

    private final long progressMillis;
    private final Instant createdAt;
    private final Launches launches;
    private final Map<String, FirstSeen> firstSeen = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    /** When a batch was first asked for: its clock, and its creation as {@code created_at} shows it. */
    private record FirstSeen(long nanos, Instant at) {}

    SimulatedBatches(long progressMillis, Instant createdAt, Launches launches) {
        this.progressMillis = progressMillis;
        this.createdAt = createdAt;
        this.launches = launches;
    }

    void answer(HttpExchange exchange, String id) throws IOException {
        if (!InkitSimulator.demoBatches().contains(id)
                && launches.find(id) == null
                && !PROGRESS_PATTERN.matcher(id).matches()) {
            // Unknown: nothing is remembered of it, however many IDs a client makes up.
            Exchanges.detail(exchange, 404, "Batch not found");
            return;
        }
        long now = System.nanoTime();
        FirstSeen first = firstSeen.computeIfAbsent(
                id, k -> new FirstSeen(now, Instant.now().truncatedTo(ChronoUnit.MICROS)));
        long elapsedMillis = (now - first.nanos()) / 1_000_000;
        int request = requests.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        switch (id) {
            case COMPLETED ->
                ok(
                        exchange,
                        batch(id, "Invoices November", 3, dest("inkit_storage", 3, 3, 0), dest("salesforce", 3, 3, 0)));
            case FAILED ->
                ok(exchange, batch(id, "Contracts", 3, dest("inkit_storage", 3, 3, 0), dest("salesforce", 3, 1, 2)));
            case PROGRESS -> ok(exchange, steady(id, "Statements", 40, first.at(), elapsedMillis, progressMillis));
            case STUCK ->
                ok(exchange, batch(id, "Stuck batch", 10, dest("inkit_storage", 10, 4, 0), dest("docusign", 10, 0, 0)));
            case RATE_LIMITED -> {
                if (request <= 2) {
                    Exchanges.send(exchange, 429, Map.of("detail", "Rate limit exceeded"), "1");
                } else {
                    ok(exchange, batch(id, "Rate limited", 2, dest("inkit_storage", 2, 2, 0)));
                }
            }
            case UNAVAILABLE -> {
                if (request <= 2) {
                    Exchanges.detail(exchange, 503, "Service Unavailable, try again later");
                } else {
                    ok(exchange, batch(id, "Unavailable at first", 2, dest("inkit_storage", 2, 2, 0)));
                }
            }
            default -> other(exchange, id, first.at(), elapsedMillis);
        }
    }

    /** A launched batch, hidden for its first {@value InkitSimulator#INVISIBLE_MILLIS} ms; or {@code fb_progress_<N>s}. */
    private void other(HttpExchange exchange, String id, Instant firstSeenAt, long elapsedMillis) throws IOException {
        Launches.Launched l = launches.find(id);
        Matcher pattern = PROGRESS_PATTERN.matcher(id);
        if (l != null) {
            long sinceLaunch = (System.nanoTime() - l.launchedNanos()) / 1_000_000;
            if (sinceLaunch < INVISIBLE_MILLIS) {
                Exchanges.detail(exchange, 404, "Batch not found");
                return;
            }
            long settled = progressMillis <= 0
                    ? l.documents()
                    : Math.min(l.documents(), l.documents() * (sinceLaunch - INVISIBLE_MILLIS) / progressMillis);
            ok(
                    exchange,
                    batch(
                            id,
                            l.name(),
                            l.createdAt(),
                            l.documents(),
                            dest("inkit_storage", l.documents(), settled, 0)));
        } else if (pattern.matches()) {
            long seconds = Long.parseLong(pattern.group(1));
            ok(exchange, steady(id, "Progressing batch", 100, firstSeenAt, elapsedMillis, seconds * 1000));
        } else {
            Exchanges.detail(exchange, 404, "Batch not found");
        }
    }

    private static void ok(HttpExchange exchange, Map<String, Object> batch) throws IOException {
        Exchanges.send(exchange, 200, batch, null);
    }

    private Map<String, Object> steady(
            String id, String name, long total, Instant created, long elapsedMillis, long durationMillis) {
        long settled = durationMillis <= 0 ? total : Math.min(total, total * elapsedMillis / durationMillis);
        return batch(
                id, name, created, total, dest("inkit_storage", total, settled, 0), dest("dropbox", total, settled, 0));
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
        return batch(id, name, createdAt, total, dests);
    }

    @SafeVarargs
    private static Map<String, Object> batch(
            String id, String name, Instant created, long total, Map<String, Object>... dests) {
        Map<String, Object> destinations = new LinkedHashMap<>();
        boolean finished = true;
        for (Map<String, Object> d : dests) {
            Object destName = d.remove("name");
            destinations.put((String) destName, d);
            finished &= ((Long) d.get("in_progress")) == 0;
        }
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("created_at", created.toString());
        b.put("destinations", destinations);
        b.put("id", id);
        b.put("name", name);
        b.put("status", finished ? "Completed" : "Processing");
        b.put("total", total);
        return b;
    }
}
