package io.jenkins.plugins.inkit.client.text;

import java.time.Duration;

/** Durations the way people write them: "90 s" is "1m 30s". */
public final class Durations {

    private Durations() {}

    public static String format(Duration d) {
        long millis = Math.max(0, d.toMillis());
        if (millis > 0 && millis < 1000) {
            return millis + "ms";
        }
        long seconds = (millis + 999) / 1000;
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
