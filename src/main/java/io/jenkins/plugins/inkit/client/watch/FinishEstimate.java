package io.jenkins.plugins.inkit.client.watch;

import io.jenkins.plugins.inkit.client.model.Batch;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * When a batch should finish if it keeps the pace it has shown, on this machine's clock: for
 * people (the progress line, the step's status, the build page, {@code --json}) and for the
 * {@link PollingPolicy}. Pure and immutable; {@link WatchState#estimate()} makes one from what the
 * wait has seen.
 *
 * <p>Counts are whole numbers and times are known only so well, so an estimate is a range: from
 * {@link #earliest()} to {@link #latest()}, with {@link #finish()} the likeliest time inside it.
 * There is no estimate while nothing has settled, and none for a finished batch.
 */
public final class FinishEstimate {

    /** What the pace was measured over. */
    public enum Basis {
        /** From the batch's creation to the one look so far. */
        CREATION,
        /** Between looks. */
        LOOKS
    }

    /** A creation time further back than this is not believed: no wait lasts that long. */
    static final Duration MAX_AGE = WatchState.MAX_TIMEOUT;
    /**
     * How far this machine's clock is taken to be from the server's when it agrees with the
     * answer's {@code Date}: then the counts were read during the exchange, give or take this.
     */
    static final Duration CLOCK_AGREEMENT = Duration.ofMillis(10);

    private final Basis basis;
    private final Instant earliest;
    private final Instant latest;
    private final Instant finish;
    private final Duration age;

    private FinishEstimate(Basis basis, Instant earliest, Instant latest, Instant finish, Duration age) {
        this.basis = basis;
        this.earliest = earliest;
        this.latest = latest;
        this.finish = finish;
        this.age = age;
    }

    public Basis basis() {
        return basis;
    }

    /** The likeliest finish, on this machine's clock. */
    public Instant finish() {
        return finish;
    }

    /** The soonest the batch can finish at the pace seen. */
    public Instant earliest() {
        return earliest;
    }

    /** The latest it can finish at the pace seen, or {@code null} when too little has settled to say. */
    public Instant latest() {
        return latest;
    }

    /** How long until {@link #finish()}; zero once it has passed. */
    public Duration left(Instant now) {
        Duration left = Duration.between(now, finish);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** The batch's age at the last look, on the server's clock (the later end), or {@code null} when unknown. */
    public Duration age() {
        return age;
    }

    @Override
    public String toString() {
        return "finish " + finish + " (" + earliest + " to " + (latest == null ? "?" : latest) + ", from " + basis
                + ")";
    }

    /**
     * The estimate from a wait's observations; {@code null} when nothing has settled, the batch is
     * finished, or nothing can be said yet. All times are epoch milliseconds on this machine's clock.
     *
     * @param batch the batch at the last look
     * @param at the last look
     * @param from the look the pace is measured from, and what had settled then ({@code from < 0}: none)
     * @param recent the look before the last and what had settled then ({@code recent <= 0}: none)
     * @param created the creation on this machine's clock, later end ({@code created <= 0}: unknown)
     * @param createdSpread how much earlier the creation may have been
     * @param dating how far from {@code at} Inkit may have counted, either way (half the exchange)
     */
    static FinishEstimate of(
            Batch batch,
            long at,
            long from,
            long fromSettled,
            long recent,
            long recentSettled,
            long created,
            long createdSpread,
            long dating) {
        if (batch == null || batch.isFinished()) {
            return null;
        }
        long settled = batch.settledDocuments();
        long remaining = batch.expectedDocuments() - settled;
        if (settled <= 0 || remaining <= 0) {
            return null;
        }
        Duration age = created > 0 && at > created ? Duration.ofMillis(at - created) : null;
        Range byCreation =
                age == null ? null : pace(remaining, -1, settled, at - created - createdSpread, at - created);
        Range byLooks = from < 0 || at <= from ? null : pace(remaining, fromSettled, settled, at - from, at - from);
        if (byLooks == null) {
            return byCreation == null ? null : byCreation.widened(dating).estimate(Basis.CREATION, at, age);
        }
        Range byRecent = recent <= from || at <= recent
                ? null
                : pace(remaining, recentSettled, settled, at - recent, at - recent);
        if (byRecent != null && byRecent.earliest > byLooks.latest) {
            // Slowing down: the last interval's pace is the better guess, and no steady pace bounds the end.
            double likeliest = Math.max(byRecent.likeliest, byLooks.earliest);
            return new Range(byLooks.earliest, Double.POSITIVE_INFINITY, likeliest)
                    .widened(dating)
                    .estimate(Basis.LOOKS, at, age);
        }
        // Both paces bound the end from above (a queue before processing began only makes the pace
        // since creation look slower than it was), so the sooner bound holds.
        double latest = byCreation == null ? byLooks.latest : Math.min(byLooks.latest, byCreation.latest);
        double earliest = Math.min(byLooks.earliest, latest);
        double likeliest = Math.min(Math.max(byLooks.likeliest, earliest), latest);
        return new Range(earliest, latest, likeliest).widened(dating).estimate(Basis.LOOKS, at, age);
    }

    /**
     * What a steady pace gives for the time left, in ms: the count went from {@code before} to
     * {@code now} over a time between {@code shortest} and {@code longest} ms. A count may stand for
     * up to one document more progress than it says, at either end; {@code before < 0} is the
     * creation, when the progress was exactly none.
     */
    private static Range pace(long remaining, long before, long now, long shortest, long longest) {
        long gained = now - Math.max(0, before);
        if (gained <= 0 || shortest <= 0) {
            return null;
        }
        long slowest = before < 0 ? gained : gained - 1;
        double earliest = (double) (remaining - 1) * shortest / (gained + 1);
        double latest = slowest > 0 ? (double) remaining * longest / slowest : Double.POSITIVE_INFINITY;
        double likeliest = (double) remaining * (shortest + longest) / 2 / gained;
        return new Range(earliest, latest, Math.min(likeliest, latest));
    }

    /** Milliseconds from the look. */
    private record Range(double earliest, double latest, double likeliest) {
        /** The counts are dated at the look, but were read up to {@code dating} ms before or after it. */
        Range widened(long dating) {
            return new Range(earliest - dating, latest + dating, likeliest);
        }

        FinishEstimate estimate(Basis basis, long at, Duration age) {
            Instant look = Instant.ofEpochMilli(at);
            return new FinishEstimate(
                    basis,
                    plus(look, earliest),
                    Double.isInfinite(latest) ? null : plus(look, latest),
                    plus(look, likeliest),
                    age);
        }
    }

    /** No estimate reaches further than a timeout could: beyond it, the number means nothing. */
    private static Instant plus(Instant look, double ms) {
        return look.plusMillis((long) Math.min(Math.ceil(ms), MAX_AGE.toMillis()));
    }

    /**
     * When the batch was created, on this machine's clock: the later end, and how much earlier it
     * may have been; {@code null} when the answer does not tell. The server's {@code Date} (whole
     * seconds) measures the batch's age on the server's own clock, so a clock here that is off does
     * not matter; where this clock agrees with it, the exchange narrows the second down to when the
     * counts can have been read: after the request left, before the answer arrived. Never throws:
     * a creation time that is missing, unreadable, later than the answer or absurdly old gives
     * {@code null}.
     *
     * @param at when the look is dated, on this machine's clock (the middle of the exchange)
     * @param sent when the request left, on this machine's clock; {@code null} when the exchange
     *     cannot be timed (this clock was set back during it)
     * @param arrived when the answer arrived, on this machine's clock
     * @param serverTime the answer's {@code Date}, or {@code null}
     */
    static long[] creation(String createdAt, Instant at, Instant sent, Instant arrived, Instant serverTime) {
        if (createdAt == null || serverTime == null) {
            return null;
        }
        long created;
        try {
            created = OffsetDateTime.parse(createdAt.strip()).toInstant().toEpochMilli();
        } catch (DateTimeException | ArithmeticException e) {
            return null;
        }
        // The server read the counts within the Date's second, by its clock.
        long earliest = serverTime.toEpochMilli();
        long latest = earliest + 1000;
        long from = sent == null ? 0 : sent.toEpochMilli() - CLOCK_AGREEMENT.toMillis();
        long to = arrived.toEpochMilli() + CLOCK_AGREEMENT.toMillis();
        if (sent != null && from < latest && to > earliest) {
            // This clock agrees: the read was during the exchange too. A slow answer narrows little.
            earliest = Math.max(earliest, from);
            latest = Math.min(latest, to);
        }
        long oldest = latest - created;
        long spread = latest - earliest;
        if (oldest - spread <= 0 || oldest > MAX_AGE.toMillis()) {
            return null;
        }
        // The batch was at most "oldest" old when the counts were read, which the look is dated by.
        return new long[] {at.toEpochMilli() - oldest, spread};
    }

    /**
     * For {@code --json}: {@code finishAt} (ISO-8601), {@code secondsLeft}, {@code earliest} and
     * {@code latest} (the range the pace seen allows; {@code latest} may be {@code null}) and
     * {@code basis}, {@code creation} (from the batch's creation to the one look) or {@code looks}.
     */
    public Map<String, Object> toMap(Instant now) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("finishAt", finish.toString());
        map.put("secondsLeft", left(now).toSeconds());
        map.put("earliest", earliest.toString());
        map.put("latest", latest == null ? null : latest.toString());
        map.put("basis", basis.name().toLowerCase(Locale.ROOT));
        return map;
    }
}
