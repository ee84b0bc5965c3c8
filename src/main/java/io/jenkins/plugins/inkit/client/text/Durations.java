package io.jenkins.plugins.inkit.client.text;

import java.time.Duration;

/** Durations the way people write them: "90 s" is "1m 30s". */
public final class Durations {

    private Durations() {}

    public static String format(Duration d) {
        if (d.isNegative()) {
            return "0s";
        }
        if (d.getSeconds() == 0 && d.getNano() > 0) {
            return Math.max(1, d.getNano() / 1_000_000) + "ms";
        }
        // Seconds rounded up, read without toMillis(), which overflows for durations no one waits.
        long seconds = d.getSeconds() + (d.getNano() > 0 && d.getSeconds() < Long.MAX_VALUE ? 1 : 0);
        if (seconds < 60) {
            return seconds + "s";
        }
        long h = seconds / 3600;
        long m = seconds % 3600 / 60;
        long s = seconds % 60;
        StringBuilder out = new StringBuilder();
        if (h > 0) {
            out.append(h).append('h');
        }
        if (m > 0) {
            out.append(out.length() > 0 ? " " : "").append(m).append('m');
        }
        if (s > 0) {
            out.append(out.length() > 0 ? " " : "").append(s).append('s');
        }
        return out.toString();
    }
}
