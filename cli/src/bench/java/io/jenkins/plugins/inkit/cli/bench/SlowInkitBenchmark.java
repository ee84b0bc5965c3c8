package io.jenkins.plugins.inkit.cli.bench;

import io.jenkins.plugins.inkit.client.InkitClient;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.TokenSource;
import io.jenkins.plugins.inkit.client.model.Batch;
import io.jenkins.plugins.inkit.client.watch.BatchWatch;
import io.jenkins.plugins.inkit.client.watch.PollingPolicy;
import io.jenkins.plugins.inkit.client.watch.RetryPolicy;
import io.jenkins.plugins.inkit.client.watch.Scheduler;
import io.jenkins.plugins.inkit.client.watch.WatchListener;
import io.jenkins.plugins.inkit.client.watch.WatchState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;

/**
 * An Inkit that answers slowly must not make waits queue behind each other in Jenkins: many waits
 * at once against a server that takes seconds to answer, driven as the plugin drives them (one
 * scheduler thread, the request pool, one client), with the plugin's old pool of 4 threads and its
 * pool of 64. Prints how many ended on time and how late.
 */
public final class SlowInkitBenchmark {

    /** The plugin's request threads: InkitHttp.REQUEST_THREADS (it was 4). */
    static final int PLUGIN_THREADS = 64;

    static final int OLD_PLUGIN_THREADS = 4;

    public static void main(String[] args) throws Exception {
        System.out.println("## A slow Inkit (every answer delayed; waits driven as the plugin drives them)");
        System.out.println();
        System.out.println(
                "| scenario | request threads | on time (no later than one wait alone, + 1 s) | late or failed | lateness p50 / p95 / max | failed, queued at the deadline |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        // What one wait alone achieves against the same server: concurrency should add nothing to it.
        long alone = waits(PLUGIN_THREADS, 1, Duration.ofSeconds(60), Duration.ofSeconds(5), Long.MAX_VALUE);
        for (int threads : new int[] {OLD_PLUGIN_THREADS, PLUGIN_THREADS}) {
            waits(threads, 60, Duration.ofSeconds(60), Duration.ofSeconds(5), alone + 1_000);
        }
        for (int threads : new int[] {OLD_PLUGIN_THREADS, PLUGIN_THREADS}) {
            checks(threads, 60, Duration.ofSeconds(45), Duration.ofSeconds(10));
        }
    }

    /**
     * {@code n} waits on batches that finish {@code batch} after the waits begin; each answer takes
     * {@code delay}. A wait is on time when it is no later than {@code onTimeMs}. Returns the worst lateness.
     */
    static long waits(int threads, int n, Duration batch, Duration delay, long onTimeMs) throws Exception {
        Instant begin = Instant.now();
        Outcome o = run(threads, n, true, Duration.ofMinutes(10), delay, begin.plus(batch));
        long[] late = o.ends.stream()
                .mapToLong(end -> Duration.between(begin.plus(batch), end).toMillis())
                .sorted()
                .toArray();
        long onTime = java.util.Arrays.stream(late).filter(l -> l <= onTimeMs).count();
        row(
                n + " waits, " + batch.toSeconds() + " s batches, " + delay.toSeconds() + " s answers",
                threads,
                onTime,
                n - onTime,
                late,
                o.queued.get());
        return late.length == 0 ? 0 : late[late.length - 1];
    }

    /** {@code n} single checks with {@code timeout}; each answer takes {@code delay}. */
    static void checks(int threads, int n, Duration timeout, Duration delay) throws Exception {
        Outcome o = run(threads, n, false, timeout, delay, Instant.now());
        row(
                n + " checks, " + timeout.toSeconds() + " s timeout, " + delay.toSeconds() + " s answers",
                threads,
                o.ends.size(),
                o.failures.get(),
                new long[0],
                o.queued.get());
    }

    record Outcome(List<Instant> ends, AtomicInteger failures, AtomicInteger queued) {}

    static Outcome run(int threads, int n, boolean wait, Duration timeout, Duration delay, Instant finish)
            throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(new SlowInkit(delay, finish));
            server.start();
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
            ThreadPoolExecutor requests =
                    new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
            OkHttpClient http =
                    InkitClient.configure(new OkHttpClient.Builder()).build();
            // Every request may be under way at once, as in Jenkins, where the pool is the only limit.
            http.dispatcher().setMaxRequestsPerHost(threads);
            InkitClient client = new InkitClient(http, server.url("/").toString());
            TokenSource token = TokenSource.of("bench-token-0123456789", "the benchmark token");
            List<Instant> ends = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicInteger failures = new AtomicInteger();
            AtomicInteger queued = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(n);
            for (int i = 0; i < n; i++) {
                WatchState state = new WatchState("fb_slow_" + i, wait, Instant.now(), timeout);
                new BatchWatch(
                                client,
                                token,
                                state,
                                PollingPolicy.DEFAULT,
                                RetryPolicy.DEFAULT,
                                Scheduler.of(scheduler),
                                requests,
                                Clock.systemUTC(),
                                new WatchListener() {
                                    @Override
                                    public void finished(Batch batch) {
                                        ends.add(Instant.now());
                                        done.countDown();
                                    }

                                    @Override
                                    public void failed(InkitException error) {
                                        failures.incrementAndGet();
                                        if (error.getMessage().contains("for a free request thread here")) {
                                            queued.incrementAndGet();
                                        }
                                        done.countDown();
                                    }
                                })
                        .start();
            }
            done.await(timeout.toMinutes() + 2, TimeUnit.MINUTES);
            scheduler.shutdownNow();
            requests.shutdownNow();
            http.dispatcher().executorService().shutdown();
            return new Outcome(ends, failures, queued);
        }
    }

    /** Batches of 100 documents that settle steadily until {@code finish}; every answer after {@code delay}. */
    static final class SlowInkit extends Dispatcher {
        private final Duration delay;
        private final Instant finish;
        private final Instant start = Instant.now();
        private final Map<String, Boolean> seen = new ConcurrentHashMap<>();

        SlowInkit(Duration delay, Instant finish) {
            this.delay = delay;
            this.finish = finish;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String path = request.getUrl().encodedPath();
            String id = path.substring(path.lastIndexOf('/') + 1);
            seen.put(id, true);
            Instant now = Instant.now();
            long total = Math.max(1, Duration.between(start, finish).toMillis());
            long settled =
                    now.isBefore(finish) ? 100 * Duration.between(start, now).toMillis() / total : 100;
            String body = "{\"id\": \"" + id + "\", \"total\": 100, \"status\": \"Processing\","
                    + " \"created_at\": \"" + start + "\", \"destinations\": {\"inkit_storage\": {\"count\": 100,"
                    + " \"completed\": " + settled + ", \"failed\": 0, \"in_progress\": " + (100 - settled) + "}}}";
            return new MockResponse.Builder()
                    .body(body)
                    .headersDelay(delay.toMillis(), TimeUnit.MILLISECONDS)
                    .build();
        }
    }

    static void row(String scenario, int threads, long good, long bad, long[] late, int queued) {
        String lateness = late.length == 0
                ? "-"
                : seconds(percentile(late, 50)) + " / " + seconds(percentile(late, 95)) + " / "
                        + seconds(late[late.length - 1]);
        System.out.printf(
                Locale.ROOT, "| %s | %d | %d | %d | %s | %d |%n", scenario, threads, good, bad, lateness, queued);
    }

    static long percentile(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
