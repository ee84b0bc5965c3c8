package io.jenkins.plugins.inkit.cli.bench;

import io.jenkins.plugins.inkit.cli.bench.PollingRuns.Result;
import io.jenkins.plugins.inkit.cli.bench.PollingScenarios.Scenario;
import io.jenkins.plugins.inkit.client.watch.PollingPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How many requests a wait makes and how late it notices the end: this project's policy as it was
 * ("today"), as it is ("new"), and a {@code waitUntil} loop, on the same simulated batches (see
 * {@link PollingScenarios}, {@link PollingRuns}). Deterministic, and a two-hour batch takes
 * microseconds. Prints Markdown tables, then which targets were met.
 */
public final class PollingEconomyBenchmark {

    static final PollingPolicy POLICY = PollingPolicy.DEFAULT;

    private PollingEconomyBenchmark() {}

    record Row(Scenario scenario, Result today, Result now, Result waitUntil) {
        static Row of(Scenario s) throws Exception {
            PollingPolicy policy = s.policy();
            return new Row(
                    s,
                    PollingRuns.baseline(s, policy.minInterval(), policy.maxInterval()),
                    PollingRuns.policy(s, policy),
                    PollingRuns.waitUntil(s));
        }

        /** New is later than today by more than {@code slackMs}, or misses an end that today sees. */
        boolean laterThanToday(long slackMs) {
            return today.lateMs() >= 0 && (now.lateMs() < 0 || now.lateMs() > today.lateMs() + slackMs);
        }

        boolean earlierThanToday(long slackMs) {
            return now.lateMs() >= 0 && (today.lateMs() < 0 || now.lateMs() < today.lateMs() - slackMs);
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.println("## Polling economy (simulated clock; default policy: poll interval "
                + seconds(POLICY.minInterval().toMillis()) + ", maximum interval "
                + seconds(POLICY.maxInterval().toMillis()) + "; requests take " + PollingRuns.ONE_WAY_MS
                + " ms each way; first look " + seconds(PollingScenarios.FIRST_LOOK_MS)
                + " after creation unless said)");
        System.out.println();
        System.out.println("| batch | today: requests | today: late | new: requests | new: late | new: longest gap"
                + " | waitUntil: requests | waitUntil: late |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        List<String> missed = new ArrayList<>();
        for (Scenario s : PollingScenarios.table()) {
            Row r = Row.of(s);
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %d | %s | %d | %s | %s | %d | %s |%n",
                    s.name(),
                    r.today().requests(),
                    late(r.today()),
                    r.now().requests(),
                    late(r.now()),
                    seconds(r.now().longestGapMs()),
                    r.waitUntil().requests(),
                    late(r.waitUntil()));
            check(r, missed);
        }
        System.out.println();
        System.out.println(missed.isEmpty() ? "Targets: all met." : "Targets missed:");
        missed.forEach(m -> System.out.println("- " + m));
        System.out.println();
        robustness();
    }

    /** The targets, row by row. */
    static void check(Row r, List<String> missed) {
        Scenario s = r.scenario();
        String name = s.name();
        long max = s.policy().maxInterval().toMillis();
        if (r.now().longestGapMs() > max) {
            missed.add(name + ": a gap of " + seconds(r.now().longestGapMs()));
        }
        if (!s.finishes()) {
            return;
        }
        if (r.now().lateMs() < 0 || r.now().lateMs() > max) {
            missed.add(name + ": noticed later than the maximum interval");
        }
        if (name.startsWith("steady")
                && !name.contains("0.5 s")
                && (r.now().requests() > 2 || r.now().lateMs() > 3_000)) {
            // No look may be more than the maximum interval after the last: that alone sets a floor.
            long floor = 1 + (s.finishMs() - s.firstLookMs() + max - 1) / max;
            missed.add(
                    name + ": " + r.now().requests() + " requests (goal 2; the maximum interval allows no fewer than "
                            + floor + "), " + late(r.now()) + " late (goal 3 s)");
        }
        if (name.startsWith("late start") && r.now().lateMs() > 6_000) {
            missed.add(name + ": " + late(r.now()) + " late (limit 6 s)");
        }
        boolean mustNotBeLater = name.startsWith("stall")
                || name.startsWith("bursts")
                || name.startsWith("slow tail")
                || name.startsWith("skewed");
        if (mustNotBeLater && r.laterThanToday(0)) {
            missed.add(name + ": " + late(r.now()) + " late, today " + late(r.today()) + "; looks (s since creation:"
                    + " settled) today " + r.today().looks() + ", new "
                    + r.now().looks());
        }
    }

    /** Every family of variants: requests and lateness, today against new. */
    static void robustness() throws Exception {
        System.out.println("### Variants (every combination; see PollingScenarios.families)");
        System.out.println();
        System.out.println("| family | variants | requests today / new | 2 requests today / new | late p50 today / new"
                + " | late max today / new | new later / earlier than today (by > 0.5 s) | most later |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (List<Scenario> family : PollingScenarios.families()) {
            int n = family.size();
            long reqToday = 0;
            long reqNew = 0;
            int twoToday = 0;
            int twoNew = 0;
            long[] lateToday = new long[n];
            long[] lateNew = new long[n];
            int later = 0;
            int earlier = 0;
            long worst = 0;
            String worstCase = "";
            for (int i = 0; i < n; i++) {
                Row r = Row.of(family.get(i));
                reqToday += r.today().requests();
                reqNew += r.now().requests();
                twoToday += r.today().requests() <= 2 ? 1 : 0;
                twoNew += r.now().requests() <= 2 ? 1 : 0;
                lateToday[i] = unseen(r.today());
                lateNew[i] = unseen(r.now());
                later += r.laterThanToday(500) ? 1 : 0;
                earlier += r.earlierThanToday(500) ? 1 : 0;
                if (lateNew[i] - lateToday[i] > worst) {
                    worst = lateNew[i] - lateToday[i];
                    worstCase = PollingScenarios.describe(family.get(i)) + ", "
                            + seconds(family.get(i).finishMs());
                }
            }
            Arrays.sort(lateToday);
            Arrays.sort(lateNew);
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %d | %d / %d | %d / %d | %s / %s | %s / %s | %d / %d | %s |%n",
                    family.get(0).name(),
                    n,
                    reqToday,
                    reqNew,
                    twoToday,
                    twoNew,
                    seconds(lateToday[n / 2]),
                    seconds(lateNew[n / 2]),
                    seconds(lateToday[n - 1]),
                    seconds(lateNew[n - 1]),
                    later,
                    earlier,
                    worst == 0 ? "-" : seconds(worst) + ": " + worstCase);
        }
    }

    private static long unseen(Result r) {
        return r.lateMs() < 0 ? Long.MAX_VALUE / 4 : r.lateMs();
    }

    static String late(Result r) {
        return r.lateMs() < 0 ? "(deadline)" : seconds(r.lateMs());
    }

    static String seconds(long ms) {
        if (ms >= Long.MAX_VALUE / 8) {
            return "never";
        }
        if (ms % 1000 == 0) {
            long s = ms / 1000;
            return s >= 3600 && s % 3600 == 0 ? s / 3600 + " h" : s >= 60 && s % 60 == 0 ? s / 60 + " min" : s + " s";
        }
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
