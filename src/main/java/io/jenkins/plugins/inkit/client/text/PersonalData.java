package io.jenkins.plugins.inkit.client.text;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The customers' personal data in texts Inkit sends back. Services quote the value they refused
 * ({@code invalid email address: jane@example.org}), so an error text may repeat a merge
 * parameter: every value of the merge parameters at hand, in any case and however its spaces
 * were folded, and any e-mail address, is blanked out before the text is shown.
 */
public final class PersonalData {

    /** Values shorter than this are too common to blank out wherever they appear. */
    static final int MIN_VALUE_LENGTH = 4;

    /** E-mail addresses: blanked out even when they are not among the merge parameters at hand. */
    private static final Pattern EMAIL = Pattern.compile("[\\w.+%-]+@[\\w-]+(\\.[\\w-]+)*\\.[A-Za-z]{2,}");

    private PersonalData() {}

    /** Whether a merge parameter's value is worth blanking out wherever it appears. */
    public static boolean isWorthBlanking(String value) {
        return value != null && value.strip().length() >= MIN_VALUE_LENGTH;
    }

    /**
     * {@code text}, its white space folded, with each of {@code values} (the longest first, so that
     * a value inside a longer one is not blanked first) and every e-mail address replaced by
     * {@code mask}.
     */
    public static String blank(String text, Collection<String> values, String mask) {
        String out = text.replaceAll("(?U)\\s+", " ");
        String lower = out.toLowerCase(Locale.ROOT);
        List<String> present = new ArrayList<>();
        for (String value : values) {
            String folded = value.replaceAll("(?U)\\s+", " ").strip();
            if (folded.length() >= MIN_VALUE_LENGTH && lower.contains(folded.toLowerCase(Locale.ROOT))) {
                present.add(folded);
            }
        }
        present.sort(Comparator.comparingInt(String::length).reversed());
        String replacement = Matcher.quoteReplacement(mask);
        for (String value : present) {
            out = Pattern.compile(Pattern.quote(value), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)
                    .matcher(out)
                    .replaceAll(replacement);
        }
        return EMAIL.matcher(out).replaceAll(replacement);
    }
}
