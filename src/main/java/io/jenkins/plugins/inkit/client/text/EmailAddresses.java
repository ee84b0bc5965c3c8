package io.jenkins.plugins.inkit.client.text;

import java.util.Arrays;

/**
 * Where a text holds e-mail addresses: from each {@code @}, widened to the left over the local
 * part (letters, digits, {@code . _ % + -}) and to the right over the domain (letters, digits,
 * {@code .} and {@code -}, without a final {@code .} or {@code -}); both must be there. Generous on
 * purpose: {@code user@localhost} counts. No character is looked at more than twice, however the
 * text is made: a regular expression with an unanchored {@code [\w.+%-]+@} takes quadratic time on
 * {@code aaaa...}.
 */
final class EmailAddresses {

    private EmailAddresses() {}

    /** The addresses as pairs of start (inclusive) and end (exclusive), in order, not overlapping. */
    static int[] find(String text) {
        int[] spans = new int[8];
        int count = 0;
        int previousEnd = 0;
        for (int at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
            int start = at;
            // The '@' before stops this too: no character is widened over twice.
            while (start > previousEnd && isLocal(text.charAt(start - 1))) {
                start--;
            }
            int end = at + 1;
            while (end < text.length() && isDomain(text.charAt(end))) {
                end++;
            }
            while (end > at + 1 && (text.charAt(end - 1) == '.' || text.charAt(end - 1) == '-')) {
                end--;
            }
            if (start < at && end > at + 1) {
                if (count == spans.length) {
                    spans = Arrays.copyOf(spans, count * 2);
                }
                spans[count++] = start;
                spans[count++] = end;
                previousEnd = end;
            }
        }
        return Arrays.copyOf(spans, count);
    }

    private static boolean isLocal(char c) {
        return isLetterOrDigit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
    }

    private static boolean isDomain(char c) {
        return isLetterOrDigit(c) || c == '.' || c == '-';
    }

    /** Surrogates count as letters: an address may be written in any script. */
    private static boolean isLetterOrDigit(char c) {
        return Character.isLetterOrDigit(c) || Character.isSurrogate(c) || Words.isMark(c);
    }
}
