package io.jenkins.plugins.inkit.client.text;

import java.util.Locale;

/**
 * The customers' personal data in texts Inkit sends back. Services quote the value they refused
 * ({@code invalid email address: jane@example.org}), so an error text may repeat a merge
 * parameter, in any case, split or reformatted. The rule (docs/personal-data.md):
 *
 * <ol>
 *   <li>every e-mail address is blanked ({@value #MASK});
 *   <li>every word (a maximal run of letters, digits and {@code _}) that is also a word of a merge
 *       parameter's value is blanked ({@value #MASK}), compared without case or accents;
 *   <li>every word that contains a digit, with what joins such words into one number (spaces,
 *       {@code . , / - : ( ) +} between them), is blanked as one ({@value #NUMBER}).
 * </ol>
 *
 * One pass of linear time; callers give it text already cut to a bound.
 */
public final class PersonalData {

    /** What replaces an e-mail address or a word of a merge parameter. */
    public static final String MASK = "[personal data]";

    /** What replaces a number. */
    public static final String NUMBER = "[number]";

    private PersonalData() {}

    /**
     * Whether a JSON field holds merge parameters: {@code merge_parameters} however it is spelt,
     * case, {@code _} and {@code -} ignored ({@code mergeParameters}, {@code MERGE-PARAMETERS}). The
     * one rule for the run list, the launch's answers and the launch request.
     */
    public static boolean isMergeParameters(String field) {
        if (field == null || field.length() > 40) {
            return false;
        }
        StringBuilder b = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c != '_' && c != '-') {
                b.append(c);
            }
        }
        return b.toString().toLowerCase(Locale.ROOT).equals("mergeparameters");
    }

    /** {@code text} with its e-mail addresses, the words of {@code words} and its numbers blanked. */
    public static String blank(String text, MergeWords words) {
        MergeWords known = words == null ? MergeWords.NONE : words;
        int n = text.length();
        int[] spans = EmailAddresses.find(text);
        StringBuilder out = new StringBuilder(n + 16);
        int span = 0;
        // Where the last character copied as it is ends: a sign or parenthesis there may join a number.
        int copiedTo = -1;
        for (int i = 0; i < n; ) {
            int limit = span < spans.length ? spans[span] : n;
            if (i == limit) {
                out.append(MASK);
                i = spans[span + 1];
                span += 2;
                continue;
            }
            int end = Words.end(text, i, limit);
            if (end == i) {
                int c = text.codePointAt(i);
                out.appendCodePoint(c);
                i += Character.charCount(c);
                copiedTo = i;
            } else if (Words.hasDigit(text, i, end)) {
                int start = i;
                if (copiedTo == i && isOpening(text.charAt(i - 1))) {
                    out.setLength(out.length() - 1);
                    start = i - 1;
                }
                out.append(NUMBER);
                i = numberEnd(text, start, end, limit);
            } else {
                CharSequence word = text.subSequence(i, end);
                out.append(known.containsWord(word) ? MASK : word);
                i = end;
            }
        }
        return out.toString();
    }

    /** A sign or an opening parenthesis right before a number is part of it: {@code +44 20}, {@code (555)}. */
    private static boolean isOpening(char c) {
        return c == '+' || c == '(';
    }

    /** What may join two words with digits into one number. */
    private static boolean isJoiner(char c) {
        return Character.isWhitespace(c)
                || c == '.'
                || c == ','
                || c == '/'
                || c == '-'
                || c == ':'
                || c == '('
                || c == ')'
                || c == '+';
    }

    /**
     * The end of the number that starts at {@code start} with a word with digits ending at {@code
     * end}: later words with digits join it across joiners; a closing parenthesis right after it
     * does too when the number opened one.
     */
    private static int numberEnd(String text, int start, int end, int limit) {
        int numberEnd = end;
        while (true) {
            int j = numberEnd;
            while (j < limit && isJoiner(text.charAt(j))) {
                j++;
            }
            int next = j > numberEnd ? Words.end(text, j, limit) : j;
            if (next == j || !Words.hasDigit(text, j, next)) {
                break;
            }
            numberEnd = next;
        }
        if (numberEnd < limit && text.charAt(numberEnd) == ')' && opensMore(text, start, numberEnd)) {
            numberEnd++;
        }
        return numberEnd;
    }

    private static boolean opensMore(String text, int from, int to) {
        int open = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            open += c == '(' ? 1 : c == ')' ? -1 : 0;
        }
        return open > 0;
    }
}
