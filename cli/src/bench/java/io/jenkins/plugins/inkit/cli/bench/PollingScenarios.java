package io.jenkins.plugins.inkit.cli.bench;

import io.jenkins.plugins.inkit.client.watch.PollingPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Batches for {@link PollingEconomyBenchmark}: how many documents have settled, on the server's
 * clock, so many milliseconds after the batch was created; and when the wait's first look comes.
 */
final class PollingScenarios {

    /** A batch's progress: whole documents settled at a time since its creation (never decreasing). */
    interface Progress {
        long settled(long sinceCreationMs);
    }

    /**
     * @param firstLookMs the wait's first look, after the creation (server clock)
     * @param skewMs how far this machine's clock is ahead of the server's
     * @param date whether answers carry a {@code Date} header
     * @param maxIntervalMs the maximum interval the wait is given; 0: the default
     * @param answerMs how long the server takes to answer once it has read the counts
     */
    record Scenario(
            String name,
            long docs,
            Progress progress,
            long firstLookMs,
            long skewMs,
            boolean date,
            boolean finishes,
            long timeoutMs,
            long maxIntervalMs,
            long answerMs) {

        /** When the last document settled, since creation; binary search, as progress never decreases. */
        long finishMs() {
            long lo = 0;
            long hi = timeoutMs + firstLookMs;
            if (progress.settled(hi) < docs) {
                return -1;
            }
            while (lo < hi) {
                long mid = (lo + hi) / 2;
                if (progress.settled(mid) >= docs) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return lo;
        }

        Scenario firstLookAt(long ms) {
            return new Scenario(name, docs, progress, ms, skewMs, date, finishes, timeoutMs, maxIntervalMs, answerMs);
        }

        Scenario skewed(long ms) {
            return new Scenario(
                    name, docs, progress, firstLookMs, ms, date, finishes, timeoutMs, maxIntervalMs, answerMs);
        }

        Scenario withoutDate() {
            return new Scenario(
                    name, docs, progress, firstLookMs, skewMs, false, finishes, timeoutMs, maxIntervalMs, answerMs);
        }

        Scenario withMaxInterval(long ms) {
            return new Scenario(name, docs, progress, firstLookMs, skewMs, date, finishes, timeoutMs, ms, answerMs);
        }

        Scenario answeringIn(long ms) {
            return new Scenario(
                    name, docs, progress, firstLookMs, skewMs, date, finishes, timeoutMs, maxIntervalMs, ms);
        }

        /** From sending a request to its answer arriving. */
        long exchangeMs() {
            return 2 * PollingRuns.ONE_WAY_MS + answerMs;
        }

        /** The default policy, or one with this scenario's maximum interval. */
        PollingPolicy policy() {
            PollingPolicy d = PollingPolicy.DEFAULT;
            return maxIntervalMs <= 0 ? d : new PollingPolicy(d.minInterval(), Duration.ofMillis(maxIntervalMs));
        }
    }

    /** In a Pipeline, the wait's first look comes a second or two after the launch created the batch. */
    static final long FIRST_LOOK_MS = 1_500;

    private PollingScenarios() {}

    /** Steady from {@code startMs} (a queue before it) until {@code startMs + durationMs}. */
    static Progress steady(long docs, long startMs, long durationMs) {
        return t -> t <= startMs ? 0 : t >= startMs + durationMs ? docs : docs * (t - startMs) / durationMs;
    }

    /** Steady, but pausing for {@code pauseMs} once {@code atShare} of the time's work is done. */
    static Progress stall(long docs, long durationMs, double atShare, long pauseMs) {
        long pauseAt = (long) (durationMs * atShare);
        Progress steady = steady(docs, 0, durationMs);
        return t -> steady.settled(t <= pauseAt ? t : Math.max(pauseAt, t - pauseMs));
    }

    /** Whole groups settled at once, every {@code durationMs / bursts}. */
    static Progress bursts(long docs, long durationMs, int bursts) {
        return t -> Math.min(docs, docs * Math.min(bursts, t * bursts / durationMs) / bursts);
    }

    /** {@code 1 - tailShare} of the documents in {@code 1 - tailTime} of the time, the rest in the rest. */
    static Progress slowTail(long docs, long durationMs, double tailShare, double tailTime) {
        long bodyDocs = Math.round(docs * (1 - tailShare));
        long bodyMs = Math.round(durationMs * (1 - tailTime));
        return t -> t <= bodyMs
                ? bodyDocs * t / bodyMs
                : Math.min(docs, bodyDocs + (docs - bodyDocs) * (t - bodyMs) / (durationMs - bodyMs));
    }

    /** Stops at 90 % for good. */
    static Progress stuck(long docs, long durationMs) {
        return t -> Math.min(docs * 9 / 10, docs * t / durationMs);
    }

    static Scenario scenario(String name, long docs, Progress progress, long finishMs) {
        return new Scenario(name, docs, progress, FIRST_LOOK_MS, 0, true, true, timeout(finishMs), 0, 0);
    }

    /** As the old benchmark: twice the batch's time, at least an hour. */
    static long timeout(long finishMs) {
        return Math.max(2 * finishMs, 3_600_000);
    }

    /** The table's rows: the cases. */
    static List<Scenario> table() {
        List<Scenario> rows = new ArrayList<>();
        for (long t : new long[] {20_000, 60_000, 300_000, 1_800_000, 7_200_000}) {
            rows.add(scenario("steady " + PollingEconomyBenchmark.seconds(t), 1000, steady(1000, 0, t), t));
        }
        // What the maximum interval costs: the same long batches when the wait may look as seldom as it likes.
        for (long t : new long[] {1_800_000, 7_200_000}) {
            rows.add(scenario(
                            "steady " + PollingEconomyBenchmark.seconds(t) + ", maximum interval 2 h",
                            1000,
                            steady(1000, 0, t),
                            t)
                    .withMaxInterval(7_200_000));
        }
        rows.add(scenario("steady 20 s, 100 documents", 100, steady(100, 0, 20_000), 20_000));
        rows.add(scenario("steady 5 min, 10,000 documents", 10_000, steady(10_000, 0, 300_000), 300_000));
        rows.add(scenario("steady 2 h, 100,000 documents", 100_000, steady(100_000, 0, 7_200_000), 7_200_000));
        rows.add(scenario("steady 20 s, first look 0.5 s after creation", 1000, steady(1000, 0, 20_000), 20_000)
                .firstLookAt(500));
        rows.add(scenario(
                        "late start: queued 10 s, seen at 20 s, done 30 s later",
                        1000,
                        steady(1000, 10_000, 40_000),
                        50_000)
                .firstLookAt(20_000));
        rows.add(scenario(
                "short queue: queued 1 s, seen at 1.5 s, 20 s of work", 1000, steady(1000, 1_000, 20_000), 21_000));
        rows.add(scenario(
                        "short queue: queued 0.25 s, seen at 0.75 s, 10 s of work",
                        1000,
                        steady(1000, 250, 10_000),
                        10_250)
                .firstLookAt(750));
        rows.add(scenario("stall: 5 min pace, 2 min pause at 40 %", 1000, stall(1000, 300_000, 0.4, 120_000), 420_000));
        rows.add(scenario("stall: 20 s pace, 30 s pause at 50 %", 1000, stall(1000, 20_000, 0.5, 30_000), 50_000));
        rows.add(scenario("bursts: 10 of 100 documents, 30 s apart", 1000, bursts(1000, 300_000, 10), 300_000));
        rows.add(scenario("bursts: 4 of 250 documents, 5 s apart", 1000, bursts(1000, 20_000, 4), 20_000));
        rows.add(scenario(
                "slow tail: 5 min, last 10 % take half the time", 1000, slowTail(1000, 300_000, 0.1, 0.5), 300_000));
        rows.add(scenario(
                "slow tail: 20 s, last 10 % take half the time", 1000, slowTail(1000, 20_000, 0.1, 0.5), 20_000));
        rows.add(scenario("skewed clock: steady 20 s, this clock 3 min ahead", 1000, steady(1000, 0, 20_000), 20_000)
                .skewed(180_000));
        rows.add(scenario("skewed clock: steady 1 min, this clock 3 min behind", 1000, steady(1000, 0, 60_000), 60_000)
                .skewed(-180_000));
        rows.add(scenario("skewed clock: steady 20 s, this clock 0.4 s ahead", 1000, steady(1000, 0, 20_000), 20_000)
                .skewed(400));
        // Inkit reads the counts when the request arrives and answers 2 s later: when during the
        // exchange the counts were read is known only to within its 2 s.
        for (long t : new long[] {20_000, 60_000}) {
            rows.add(scenario(
                            "slow answers: steady " + PollingEconomyBenchmark.seconds(t) + ", each answer 2 s late",
                            1000,
                            steady(1000, 0, t),
                            t)
                    .answeringIn(2_000));
        }
        rows.add(scenario("no Date header: steady 20 s", 1000, steady(1000, 0, 20_000), 20_000)
                .withoutDate());
        Scenario stuck = scenario("never finishes: 90 % after 5 min, 1 h timeout", 1000, stuck(1000, 300_000), 300_000);
        rows.add(new Scenario(stuck.name(), 1000, stuck.progress(), FIRST_LOOK_MS, 0, true, false, 3_600_000, 0, 0));
        return rows;
    }

    /** Families of variants, for the robustness table: every combination of their parameters. */
    static List<List<Scenario>> families() {
        long[] durations = {10_000, 20_000, 60_000, 300_000, 1_800_000, 7_200_000};
        List<Scenario> steady = new ArrayList<>();
        List<Scenario> queued = new ArrayList<>();
        List<Scenario> stalls = new ArrayList<>();
        List<Scenario> bursts = new ArrayList<>();
        List<Scenario> tails = new ArrayList<>();
        List<Scenario> skews = new ArrayList<>();
        List<Scenario> slowAnswers = new ArrayList<>();
        for (long t : durations) {
            for (long docs : new long[] {100, 1000, 10_000}) {
                for (long first : new long[] {500, 1000, 1500, 2000, 3000}) {
                    steady.add(scenario("steady", docs, steady(docs, 0, t), t).firstLookAt(first));
                }
            }
            for (long q : new long[] {250, 500, 1000, 2000, 5000, 10_000, 20_000}) {
                for (long after : new long[] {100, 500, 1500, 10_000}) {
                    queued.add(
                            scenario("queued", 1000, steady(1000, q, t), q + t).firstLookAt(q + after));
                }
            }
            for (double at : new double[] {0.1, 0.3, 0.5, 0.7, 0.9}) {
                for (long pause : new long[] {5_000, 30_000, 120_000, 600_000}) {
                    stalls.add(scenario("stall", 1000, stall(1000, t, at, pause), t + pause));
                }
            }
            for (int n : new int[] {2, 4, 10, 50}) {
                bursts.add(scenario("bursts", 1000, bursts(1000, t, n), t));
            }
            for (double share : new double[] {0.05, 0.1, 0.25}) {
                for (double time : new double[] {0.2, 0.5, 0.8}) {
                    tails.add(scenario("slow tail", 1000, slowTail(1000, t, share, time), t));
                }
            }
            for (long skew : new long[] {-180_000, -1_000, -400, -100, 100, 400, 1_000, 180_000}) {
                skews.add(scenario("skewed clock", 1000, steady(1000, 0, t), t).skewed(skew));
            }
            for (long answer : new long[] {200, 500, 1_000, 2_000}) {
                for (long first : new long[] {1000, 1100, 1200, 1300, 1400, 1500}) {
                    slowAnswers.add(scenario("slow answers", 1000, steady(1000, 0, t), t)
                            .answeringIn(answer)
                            .firstLookAt(first));
                }
            }
        }
        return List.of(steady, queued, stalls, bursts, tails, skews, slowAnswers);
    }

    static String describe(Scenario s) {
        return String.format(Locale.ROOT, "%s (%d docs, first look %d ms)", s.name(), s.docs(), s.firstLookMs());
    }
}
