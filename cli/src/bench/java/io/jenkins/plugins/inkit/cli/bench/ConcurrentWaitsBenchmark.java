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
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * Many waits at once, for real: the simulator runs in its own process on loopback, and this JVM
 * (started with a small heap) drives N waits the way the plugin does: one scheduler thread (the
 * plugin uses Jenkins' timer) and a small bounded pool for the requests. Each batch finishes a
 * known time after its first request, so the detection latency is measured.
 */
public final class ConcurrentWaitsBenchmark {

    static final int SCHEDULER_THREADS = 1;
    static final int REQUEST_THREADS = 3;

    public static void main(String[] args) throws Exception {
        String jar = args[0];
        int[] counts =
                Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray();
        Process simulator = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx1g",
                        "-jar",
                        jar,
                        "simulate",
                        "--port",
                        "0")
                .redirectErrorStream(true)
                .start();
        try {
            String url = simulatorUrl(simulator);
            System.out.println("## Concurrent waits (simulator in its own process at " + url + "; this JVM: -Xmx"
                    + Runtime.getRuntime().maxMemory() / (1024 * 1024) + "m, " + SCHEDULER_THREADS + " scheduler + "
                    + REQUEST_THREADS
                    + " request threads)");
            System.out.println();
            System.out.println(
                    "| waits | threads added (of them ours) | peak heap after GC | requests | requests/s | detection latency p50 / p95 / max | wall time |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
            for (int n : counts) {
                run(url, n);
            }
        } finally {
            simulator.destroy();
            simulator.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static String simulatorUrl(Process simulator) throws Exception {
        BufferedReader out =
                new BufferedReader(new InputStreamReader(simulator.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            int at = line.indexOf("http://127.0.0.1:");
            if (line.startsWith("Inkit simulator at ") && at >= 0) {
                String url = line.substring(at).split(" ")[0];
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // keep the pipe from filling
                        }
                    } catch (java.io.IOException e) {
                        // the simulator stopped
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return url;
            }
        }
        throw new IllegalStateException("the simulator did not start");
    }

    static void run(String url, int waits) throws Exception {
        System.gc();
        java.util.Set<String> threadsBefore = threadNames();
        java.util.Set<String> added = new java.util.TreeSet<>();
        AtomicInteger ours = new AtomicInteger();
        ThreadFactory counted = r -> {
            ours.incrementAndGet();
            Thread t = new Thread(r, "bench-" + ours.get());
            t.setDaemon(true);
            return t;
        };
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(SCHEDULER_THREADS, counted);
        ExecutorService requests = Executors.newFixedThreadPool(REQUEST_THREADS, counted);
        OkHttpClient http = InkitClient.configure(new OkHttpClient.Builder())
                .connectionPool(new ConnectionPool(REQUEST_THREADS, 1, TimeUnit.MINUTES))
                .build();
        InkitClient client = new InkitClient(http, url);
        TokenSource token = TokenSource.of("bench-token-0123456789", "the benchmark token");
        Clock clock = Clock.systemUTC();
        CountDownLatch done = new CountDownLatch(waits);
        long[] latencies = new long[waits];
        AtomicInteger failures = new AtomicInteger();
        AtomicLong peakHeap = new AtomicLong();
        AtomicInteger peakThreads = new AtomicInteger();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        WatchState[] states = new WatchState[waits];
        long startNanos = System.nanoTime();
        for (int i = 0; i < waits; i++) {
            // Batches finish 20 to 59 s after their first request, spread so that looks do not all coincide.
            int seconds = 20 + i % 40;
            String id = "fb_progress_" + seconds + "s_" + i + "_" + waits;
            states[i] = new WatchState(id, true, clock.instant(), Duration.ofMinutes(10));
            int index = i;
            // The simulator starts a batch's clock at its first request: time from the first answer.
            long[] firstAnswer = {0};
            new BatchWatch(
                            client,
                            token,
                            states[i],
                            PollingPolicy.DEFAULT,
                            RetryPolicy.DEFAULT,
                            Scheduler.of(scheduler),
                            requests,
                            clock,
                            new WatchListener() {
                                @Override
                                public void stateChanged() {
                                    if (firstAnswer[0] == 0) {
                                        firstAnswer[0] = System.nanoTime();
                                    }
                                }

                                @Override
                                public void finished(Batch batch) {
                                    latencies[index] =
                                            (System.nanoTime() - firstAnswer[0]) / 1_000_000 - seconds * 1000L;
                                    done.countDown();
                                }

                                @Override
                                public void failed(InkitException error) {
                                    failures.incrementAndGet();
                                    latencies[index] = -1;
                                    done.countDown();
                                }
                            })
                    .start();
        }
        while (!done.await(2, TimeUnit.SECONDS)) {
            // Sample while the waits are in flight: live heap after a collection, and this JVM's threads.
            System.gc();
            peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
            java.util.Set<String> now = threadNames();
            now.removeAll(threadsBefore);
            added.addAll(now);
            peakThreads.accumulateAndGet(now.size(), Math::max);
        }
        long wallMs = (System.nanoTime() - startNanos) / 1_000_000;
        int totalRequests = 0;
        for (WatchState s : states) {
            totalRequests += s.looks() + s.consecutiveFailures();
        }
        long[] sorted = Arrays.stream(latencies).filter(l -> l >= 0).sorted().toArray();
        System.out.printf(
                Locale.ROOT,
                "| %,d | %d (%d) | %.0f MB | %,d | %.0f | %s / %s / %s | %.0f s |%n",
                waits,
                peakThreads.get(),
                ours.get(),
                peakHeap.get() / (1024.0 * 1024.0),
                totalRequests,
                totalRequests * 1000.0 / wallMs,
                seconds(percentile(sorted, 50)),
                seconds(percentile(sorted, 95)),
                seconds(sorted.length == 0 ? 0 : sorted[sorted.length - 1]),
                wallMs / 1000.0);
        if (failures.get() > 0) {
            System.out.println("(" + failures.get() + " waits failed)");
        }
        System.err.println("threads added during " + waits + " waits: " + added);
        scheduler.shutdownNow();
        requests.shutdownNow();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    static java.util.Set<String> threadNames() {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            names.add(t.getName() + "#" + t.getId());
        }
        return names;
    }

    static long percentile(long[] sorted, int p) {
        return sorted.length == 0
                ? 0
                : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
