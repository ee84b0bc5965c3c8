package io.jenkins.plugins.inkit.cli.bench;

import io.jenkins.plugins.inkit.cli.bench.PollingScenarios.Scenario;
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

/**
 * One wait on a simulated clock, three ways. The server's clock is the true one; this machine's is
 * {@code skewMs} ahead of it. A request reaches the server {@link #ONE_WAY_MS} after it is sent,
 * which reads the counts and stamps the answer's {@code Date} (whole seconds) at once, and the
 * answer arrives as long again later (plus the scenario's {@code answerMs}, for a slow server).
 * Lateness is from the last document settling to the answer that shows it arriving.
 */
final class PollingRuns {

    static final long ONE_WAY_MS = 40;
    /** Creation, on the server's clock: microseconds, as Inkit writes them. */
    static final Instant CREATED = Instant.parse("2026-01-01T00:00:00.123456Z");

    /**
     * @param lateMs -1 when the wait ended without seeing the batch finished
     * @param looks each look, "seconds since the creation: documents settled", for reading a run
     */
    record Result(int requests, long lateMs, long longestGapMs, List<String> looks) {}

    private PollingRuns() {}

    /** The new policy, driven as {@code BatchWatch} drives it: when the request left, when its answer came, its Date. */
    static Result policy(Scenario s, PollingPolicy policy) throws InkitException {
        long created = CREATED.toEpochMilli();
        Instant start = Instant.ofEpochMilli(created + s.firstLookMs() + s.skewMs());
        WatchState state = new WatchState("fb_bench", true, start, Duration.ofMillis(s.timeoutMs()));
        Instant now = start;
        Tally tally = new Tally(s);
        while (true) {
            PollingPolicy.Decision d = policy.decide(state, now);
            if (d.kind() != PollingPolicy.Decision.Kind.LOOK) {
                return tally.result();
            }
            long sent = d.at().toEpochMilli();
            long read = sent - s.skewMs() + ONE_WAY_MS;
            long settled = s.progress().settled(read - created);
            now = Instant.ofEpochMilli(sent + s.exchangeMs());
            Instant date = s.date() ? Instant.ofEpochSecond(Math.floorDiv(read, 1000)) : null;
            state.recordLook(batch(s.docs(), settled), Instant.ofEpochMilli(sent), now, date);
            tally.look(sent - s.skewMs(), settled);
        }
    }

    /** This project's policy before the first-look estimate: the decision logic as it was, copied. */
    static Result baseline(Scenario s, Duration min, Duration max) {
        long created = CREATED.toEpochMilli();
        long start = created + s.firstLookMs() + s.skewMs();
        Baseline policy = new Baseline(min.toMillis(), max.toMillis(), start, start + s.timeoutMs());
        long now = start;
        Tally tally = new Tally(s);
        while (true) {
            long at = policy.decide(now);
            if (at < 0) {
                return tally.result();
            }
            long read = at - s.skewMs() + ONE_WAY_MS;
            long settled = s.progress().settled(read - created);
            now = at + s.exchangeMs();
            policy.record(settled, s.docs(), now);
            tally.look(at - s.skewMs(), settled);
        }
    }

    /**
     * {@code waitUntil { ... }} around a status check: checks at once, then sleeps 250 ms, the sleep
     * growing by 1.2 up to 15 s, until the timeout.
     */
    static Result waitUntil(Scenario s) {
        long created = CREATED.toEpochMilli();
        long start = created + s.firstLookMs();
        long deadline = start + s.timeoutMs();
        Tally tally = new Tally(s);
        double sleep = 250;
        for (long sent = start; sent <= deadline; ) {
            long settled = s.progress().settled(sent + ONE_WAY_MS - created);
            tally.look(sent, settled);
            if (settled >= s.docs()) {
                break;
            }
            sent += s.exchangeMs() + (long) sleep;
            sleep = Math.min(15_000, sleep * 1.2);
        }
        return tally.result();
    }

    static Batch batch(long docs, long settled) throws InkitException {
        String json = "{\"id\": \"fb_bench\", \"total\": " + docs + ", \"created_at\": \"" + CREATED
                + "\", \"destinations\": {\"inkit_storage\": {\"count\": " + docs + ", \"completed\": " + settled
                + ", \"failed\": 0, \"in_progress\": " + (docs - settled) + "}}}";
        return BatchParser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Counts requests and gaps, on the server's clock, and the lateness of the first answer that shows the end. */
    private static final class Tally {
        private final long docs;
        private final long finish;
        private final long exchange;
        private int requests;
        private long last = -1;
        private long longestGap;
        private long late = -1;
        private final List<String> looks = new ArrayList<>();

        Tally(Scenario s) {
            long f = s.finishMs();
            this.docs = s.docs();
            this.exchange = s.exchangeMs();
            this.finish = f < 0 ? -1 : CREATED.toEpochMilli() + f;
        }

        /** The gap is from the last answer's arrival, as the policy bounds it. */
        void look(long sentServerMs, long settled) {
            requests++;
            if (last >= 0) {
                longestGap = Math.max(longestGap, sentServerMs - last);
            }
            last = sentServerMs + exchange;
            looks.add(String.format(
                    Locale.ROOT, "%.2f: %d", (sentServerMs + ONE_WAY_MS - CREATED.toEpochMilli()) / 1000.0, settled));
            if (late < 0 && settled >= docs) {
                late = sentServerMs + exchange - finish;
            }
        }

        Result result() {
            return new Result(requests, late, longestGap, List.copyOf(looks));
        }
    }

    /** {@code PollingPolicy} and {@code WatchState} as they were before the first-look estimate, in milliseconds. */
    private static final class Baseline {
        private final long min;
        private final long max;
        private final long start;
        private final long deadline;
        private long lastLook = -1;
        private long previousLook = -1;
        private boolean progressed;
        private boolean finished;
        private long settled;
        private long expected;
        private long rateFrom = -1;
        private long rateFromSettled;
        private long rateFromExpected;

        Baseline(long min, long max, long start, long deadline) {
            this.min = min;
            this.max = max;
            this.start = start;
            this.deadline = deadline;
        }

        /** When to look, or -1 to stop. */
        long decide(long now) {
            if (lastLook < 0) {
                return now < deadline ? now : -1;
            }
            if (finished || now >= deadline) {
                return -1;
            }
            long at = lastLook + interval();
            long finalLook = deadline - Math.min(5_000, (deadline - start) / 4);
            if (at > finalLook) {
                if (lastLook >= finalLook) {
                    return -1;
                }
                at = finalLook;
            }
            return Math.max(at, now);
        }

        private long interval() {
            double rate = rateFrom < 0 || lastLook <= rateFrom || settled <= rateFromSettled
                    ? 0
                    : (double) (settled - rateFromSettled) / (lastLook - rateFrom);
            long interval;
            if (progressed && rate > 0) {
                double estimate = Math.max(0, expected - settled) / rate * 1.02;
                interval = (long) Math.min(estimate, max) + 2_000;
            } else {
                interval = previousLook < 0 ? min : 2 * (lastLook - previousLook);
            }
            return Math.min(Math.max(interval, min), max);
        }

        void record(long nowSettled, long nowExpected, long at) {
            progressed = lastLook >= 0 && nowSettled > settled;
            if (rateFrom < 0 || nowExpected != rateFromExpected || nowSettled < rateFromSettled) {
                rateFrom = at;
                rateFromSettled = nowSettled;
                rateFromExpected = nowExpected;
            }
            previousLook = lastLook;
            lastLook = at;
            settled = nowSettled;
            expected = nowExpected;
            finished = nowSettled >= nowExpected;
        }
    }
}
