package io.jenkins.plugins.inkit.cli.bench;

import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.json.BatchParser;
import io.jenkins.plugins.inkit.client.model.Batch;
import io.jenkins.plugins.inkit.client.watch.PollingPolicy;
import io.jenkins.plugins.inkit.client.watch.WatchState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongUnaryOperator;

/**
 * How many requests each way of waiting makes, and how late it notices the end, on a simulated
 * clock: deterministic, and a two-hour batch takes milliseconds. Prints a Markdown table.
 */
public final class PollingEconomyBenchmark {

    static final long DOCS = 1000;
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /** Settled documents at a time in milliseconds, for a batch that would finish at {@code finishMs}. */
    enum Shape {
        STEADY("steady") {
            long settled(long t, long finishMs) {
                return t >= finishMs ? DOCS : DOCS * t / finishMs;
            }
        },
        ALL_AT_END("nothing, then all") {
            long settled(long t, long finishMs) {
                return t >= finishMs ? DOCS : 0;
            }
        },
        NEVER("never finishes") {
            long settled(long t, long finishMs) {
                return Math.min(DOCS * 9 / 10, DOCS * t / finishMs);
            }
        };

        final String label;

        Shape(String label) {
            this.label = label;
        }

        abstract long settled(long t, long finishMs);

        boolean finishes() {
            return this != NEVER;
        }
    }

    /** A way of waiting, run against one batch shape up to a deadline. */
    interface Strategy {
        String name();

        Result run(Shape shape, long finishMs, long deadlineMs) throws InkitException;
    }

    record Result(int requests, long detectedAtMs, long maxGapMs) {}

    /** A plain loop with a fixed interval, as most scripts and the Parameterized Remote Trigger plugin do. */
    record Fixed(String name, long intervalMs) implements Strategy {
        public Result run(Shape shape, long finishMs, long deadlineMs) {
            return loop(shape, finishMs, deadlineMs, previous -> previous < 0 ? 0 : previous + intervalMs);
        }
    }

    /** {@code waitUntil { ... }}: first check at once, then 250 ms, growing by 1.2 up to 15 s. */
    record WaitUntil() implements Strategy {
        public String name() {
            return "waitUntil";
        }

        public Result run(Shape shape, long finishMs, long deadlineMs) {
            double[] recurrence = {250};
            return loop(shape, finishMs, deadlineMs, previous -> {
                if (previous < 0) {
                    return 0;
                }
                long next = previous + (long) recurrence[0];
                recurrence[0] = Math.min(15_000, recurrence[0] * 1.2);
                return next;
            });
        }
    }

    /** This project's policy, driven exactly as the step and the command line drive it. */
    record Policy(String name, PollingPolicy policy) implements Strategy {
        public Result run(Shape shape, long finishMs, long deadlineMs) throws InkitException {
            WatchState state = new WatchState("fb_bench", true, START, Duration.ofMillis(deadlineMs));
            Instant now = START;
            int requests = 0;
            long last = -1;
            long maxGap = 0;
            while (true) {
                PollingPolicy.Decision d = policy.decide(state, now);
                if (d.kind() != PollingPolicy.Decision.Kind.LOOK) {
                    return new Result(requests, state.lastBatch().isFinished() ? last : -1, maxGap);
                }
                now = d.at();
                long t = Duration.between(START, now).toMillis();
                if (last >= 0) {
                    maxGap = Math.max(maxGap, t - last);
                }
                last = t;
                requests++;
                state.recordLook(batch(shape.settled(t, finishMs)), now);
            }
        }
    }

    static Result loop(Shape shape, long finishMs, long deadlineMs, LongUnaryOperator next) {
        int requests = 0;
        long maxGap = 0;
        long last = -1;
        for (long t = next.applyAsLong(-1); t <= deadlineMs; t = next.applyAsLong(t)) {
            if (last >= 0) {
                maxGap = Math.max(maxGap, t - last);
            }
            last = t;
            requests++;
            if (shape.settled(t, finishMs) >= DOCS) {
                return new Result(requests, t, maxGap);
            }
        }
        return new Result(requests, -1, maxGap);
    }

    static Batch batch(long settled) throws InkitException {
        String json = "{\"id\": \"fb_bench\", \"total\": " + DOCS
                + ", \"destinations\": {\"inkit_storage\": {\"count\": " + DOCS + ", \"completed\": " + settled
                + ", \"failed\": 0, \"in_progress\": " + (DOCS - settled) + "}}}";
        return BatchParser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    public static void main(String[] args) throws Exception {
        List<Strategy> strategies = List.of(
                new Policy("default policy", PollingPolicy.DEFAULT),
                new WaitUntil(),
                new Fixed("fixed 10 s", 10_000),
                new Fixed("fixed 5 min", 300_000));
        long[] finishes = {10_000, 60_000, 300_000, 1_800_000, 7_200_000};
        System.out.println("## Polling economy (simulated clock; " + DOCS
                + " documents; deadline: twice the batch's time, at least 60 min)");
        System.out.println();
        System.out.println(
                "| batch | shape | strategy | requests | detection latency | longest gap | requests vs waitUntil |");
        System.out.println("|---|---|---|---:|---:|---:|---:|");
        List<String> misses = new ArrayList<>();
        for (long finish : finishes) {
            long deadline = Math.max(2 * finish, 3_600_000);
            for (Shape shape : Shape.values()) {
                Result waitUntil = new WaitUntil().run(shape, finish, deadline);
                for (Strategy s : strategies) {
                    Result r = s.run(shape, finish, deadline);
                    String latency = r.detectedAtMs() < 0 ? "(deadline)" : seconds(r.detectedAtMs() - finish);
                    double ratio = (double) waitUntil.requests() / r.requests();
                    System.out.printf(
                            Locale.ROOT,
                            "| %s | %s | %s | %d | %s | %s | %s |%n",
                            seconds(finish),
                            shape.label,
                            s.name(),
                            r.requests(),
                            latency,
                            seconds(r.maxGapMs()),
                            s instanceof WaitUntil ? "1.0x" : String.format(Locale.ROOT, "%.1fx fewer", ratio));
                    if (s instanceof Policy p) {
                        if (shape == Shape.STEADY
                                && finish >= 300_000
                                && (ratio < 10 || r.detectedAtMs() - finish > 15_000)) {
                            misses.add("steady " + seconds(finish) + ": " + String.format(Locale.ROOT, "%.1f", ratio)
                                    + "x, " + seconds(r.detectedAtMs() - finish));
                        }
                        if (r.maxGapMs() > p.policy().maxInterval().toMillis()) {
                            misses.add(shape.label + " " + seconds(finish) + ": a gap of " + seconds(r.maxGapMs()));
                        }
                    }
                }
            }
        }
        System.out.println();
        System.out.println(
                misses.isEmpty()
                        ? "Targets met: at least 10x fewer requests than waitUntil on steady batches of 5 min and longer, detected within 15 s;"
                                + " no gap longer than the maximum interval ("
                                + seconds(PollingPolicy.DEFAULT_MAX_INTERVAL.toMillis()) + ")."
                        : "Targets missed: " + misses);
    }

    static String seconds(long ms) {
        if (ms % 1000 == 0) {
            long s = ms / 1000;
            return s >= 3600 && s % 3600 == 0 ? s / 3600 + " h" : s >= 60 && s % 60 == 0 ? s / 60 + " min" : s + " s";
        }
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
