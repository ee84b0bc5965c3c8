package io.jenkins.plugins.inkit.client.text;

/**
 * The text of an answer as a person would read it, up to a bound: tags dropped, the content of
 * {@code <script>} and {@code <style>} elements (any case) dropped with them, white space folded.
 * One scan from left to right: every search ahead (for a {@code >} or a closing tag) remembers
 * what it found, so that no character is searched over twice; {@code <} repeated, or
 * {@code <script>} without an end, costs linear time, not quadratic as regular expressions with a
 * back-reference and a lazy {@code .*?} did.
 */
final class VisibleText {

    /** Elements whose content is not text to read. */
    private static final String[] RAW_TEXT = {"script", "style"};

    private final String s;
    /** The next '>' at or after the last search's start; -1 for none there (nor anywhere later). */
    private int gt = -2;

    /** Per element of {@link #RAW_TEXT}: where its next closing tag starts, as for {@link #gt}. */
    private final int[] close = {-2, -2};

    private VisibleText(String s) {
        this.s = s;
    }

    /**
     * The visible text of {@code s}, folded, at most {@code bound} characters. When it is cut, a
     * word (or address) the bound falls into is dropped (see {@link Words#safeCut}) and {@code …}
     * ends the text, so that a rule that needs the whole word is not fooled by the part that is left.
     */
    static String of(String s, int bound) {
        return new VisibleText(s).scan(bound);
    }

    private String scan(int bound) {
        int n = s.length();
        StringBuilder out = new StringBuilder(Math.min(n, bound) + 1);
        boolean space = false;
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '<' && nextGt(i) >= 0) {
                i = afterTag(i, gt);
                space = true;
                continue;
            }
            if (Character.isWhitespace(c)) {
                space = true;
                i++;
                continue;
            }
            if (out.length() >= bound) {
                return cutAtWord(out, space);
            }
            if (space && out.length() > 0) {
                out.append(' ');
            }
            space = false;
            out.append(c);
            i++;
        }
        return out.toString();
    }

    /** The text cut where the bound fell (see {@link Words#safeCut}), then {@code …}. */
    private static String cutAtWord(StringBuilder out, boolean atSpace) {
        int end = atSpace ? out.length() : Words.safeCut(out, out.length());
        return out.substring(0, end).stripTrailing() + " …";
    }

    /** Where the next '>' at or after {@code from} is, or -1. */
    private int nextGt(int from) {
        if (gt != -1 && gt < from) {
            gt = s.indexOf('>', from);
        }
        return gt;
    }

    /** Where reading goes on after the tag from {@code lt} to {@code gtAt}: for script and style, after their end. */
    private int afterTag(int lt, int gtAt) {
        int element = rawTextElement(lt + 1);
        if (element < 0 || s.charAt(gtAt - 1) == '/') {
            return gtAt + 1;
        }
        int closing = closingTag(element, gtAt + 1);
        if (closing < 0) {
            // Never closed: the rest is script or style, not text.
            return s.length();
        }
        int end = nextGt(closing);
        return end < 0 ? s.length() : end + 1;
    }

    /** The index in {@link #RAW_TEXT} of the element whose name starts at {@code at}, or -1. */
    private int rawTextElement(int at) {
        for (int e = 0; e < RAW_TEXT.length; e++) {
            String name = RAW_TEXT[e];
            int after = at + name.length();
            if (s.regionMatches(true, at, name, 0, name.length())
                    && after < s.length()
                    && (s.charAt(after) == '>' || s.charAt(after) == '/' || Character.isWhitespace(s.charAt(after)))) {
                return e;
            }
        }
        return -1;
    }

    /** Where the next {@code </name} (any case) at or after {@code from} starts, or -1. */
    private int closingTag(int element, int from) {
        if (close[element] != -1 && close[element] < from) {
            String name = RAW_TEXT[element];
            int found = -1;
            for (int j = s.indexOf("</", from); j >= 0; j = s.indexOf("</", j + 2)) {
                if (s.regionMatches(true, j + 2, name, 0, name.length())) {
                    found = j;
                    break;
                }
            }
            close[element] = found;
        }
        return close[element];
    }
}
