package io.jenkins.plugins.inkit.client.model;

import java.io.Serializable;
import java.util.Objects;

/**
 * One destination's document counts in a batch. The status word is kept as Inkit gave it (it may
 * be absent); decisions are made from the counts.
 */
public final class Destination implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final long count;
    private final long completed;
    private final long failed;
    private final long inProgress;
    private final String status;

    public Destination(String name, long count, long completed, long failed, long inProgress, String status) {
        this.name = Objects.requireNonNull(name);
        this.count = count;
        this.completed = completed;
        this.failed = failed;
        this.inProgress = inProgress;
        this.status = status;
    }

    public String name() {
        return name;
    }

    public long count() {
        return count;
    }

    public long completed() {
        return completed;
    }

    public long failed() {
        return failed;
    }

    public long inProgress() {
        return inProgress;
    }

    /** The status word as given, or {@code null}. */
    public String status() {
        return status;
    }

    /** Documents that reached an end, completed or failed. */
    public long settled() {
        return completed + failed;
    }

    /** Nothing in progress and every document accounted for. */
    public boolean isFinished() {
        return inProgress == 0 && settled() == count;
    }

    /** The status word equals {@code word}, ignoring case. */
    public boolean statusIs(String word) {
        return status != null && status.equalsIgnoreCase(word);
    }

    boolean sameCounts(Destination other) {
        return other != null
                && count == other.count
                && completed == other.completed
                && failed == other.failed
                && inProgress == other.inProgress
                && Objects.equals(status, other.status);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Destination d && d.name.equals(name) && sameCounts(d);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, count, completed, failed, inProgress, status);
    }

    @Override
    public String toString() {
        return name + ": " + completed + " completed, " + failed + " failed, " + inProgress + " in progress of "
                + count;
    }
}
