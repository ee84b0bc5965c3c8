package io.jenkins.plugins.inkit.client.text;

/**
 * What a word is, for the personal-data rule: a maximal run of letters, digits and {@code _}
 * (with the combining marks that belong to its letters, so that a decomposed {@code é} does not
 * split it).
 */
final class Words {

    private Words() {}

    static boolean isWordChar(int c) {
        return c == '_' || Character.isLetterOrDigit(c) || isMark(c);
    }

    static boolean isMark(int c) {
        int type = Character.getType(c);
        return type == Character.NON_SPACING_MARK
                || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }

    /** The end of the word that starts at {@code start}, at most {@code limit}; {@code start} when none does. */
    static int end(CharSequence text, int start, int limit) {
        int i = start;
        while (i < limit) {
            int c = Character.codePointAt(text, i);
            if (!isWordChar(c)) {
                break;
            }
            i += Character.charCount(c);
        }
        return Math.min(i, limit);
    }

    static boolean hasDigit(CharSequence text, int from, int to) {
        for (int i = from; i < to; ) {
            int c = Character.codePointAt(text, i);
            if (Character.isDigit(c)) {
                return true;
            }
            i += Character.charCount(c);
        }
        return false;
    }

    /**
     * Where to cut a text whose cut at {@code end} falls inside a word: before that word, so that no
     * part of a word the personal-data rule would blank whole is left to be shown; but a part of
     * {@link MergeWords#MAX_WORD} characters or more is kept, as the rule judges a word by that many
     * (a text of one long word still shows its start). A run without white space that holds an
     * {@code @} may be an address cut short: it goes whole.
     */
    static int safeCut(CharSequence text, int end) {
        int wordStart = end;
        while (wordStart > 0 && isWordChar(text.charAt(wordStart - 1))) {
            wordStart--;
        }
        int runStart = wordStart;
        boolean address = false;
        while (runStart > 0 && !Character.isWhitespace(text.charAt(runStart - 1))) {
            runStart--;
            address |= text.charAt(runStart) == '@';
        }
        for (int i = wordStart; i < end && !address; i++) {
            address = text.charAt(i) == '@';
        }
        if (address) {
            return runStart;
        }
        return end - wordStart < MergeWords.MAX_WORD ? wordStart : end;
    }
}
