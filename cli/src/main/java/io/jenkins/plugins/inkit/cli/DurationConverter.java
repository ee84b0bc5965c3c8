package io.jenkins.plugins.inkit.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Reads "90s", "5m", "1h": a whole number and a unit, as the options document, at most {@link #MAX}. The
 * bound keeps every deadline computed from a duration far from overflowing, and is the core's own.
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    /** The longest duration any option takes: 30 days. */
    static final Duration MAX = Duration.ofHours(720);

    /** Seconds in {@link #MAX}, for options given in seconds. */
    static final int MAX_SECONDS = (int) MAX.toSeconds();

    private static final Pattern FORM = Pattern.compile("(\\d+)\\s*([smh])");

    @Override
    public Duration convert(String value) {
        Matcher m = FORM.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException("'" + value
                    + "' is not a duration: write a whole number followed by s, m or h, such as 30s, 5m or 1h");
        }
        String digits = m.group(1).replaceFirst("^0+(?=\\d)", "");
        // More digits than this is longer than MAX in any unit, and might not fit a long.
        if (digits.length() > 9) {
            throw tooLong(value);
        }
        long n = Long.parseLong(digits);
        Duration d =
                switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
        if (d.isZero()) {
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is zero; a duration must be longer than that");
        }
        if (d.compareTo(MAX) > 0) {
            throw tooLong(value);
        }
        return d;
    }

    private static CommandLine.TypeConversionException tooLong(String value) {
        return new CommandLine.TypeConversionException(
                "'" + value.strip() + "' is longer than 720h (30 days), the longest a duration may be");
    }
}
