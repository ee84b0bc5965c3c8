package io.jenkins.plugins.inkit.client.text;

/**
 * Text a server sent (a name, a status, an error text), made safe to print: a terminal would act on
 * its control characters ({@code ESC[2J} clears the screen, {@code ESC]0;...BEL} sets the window's
 * title) and bidirectional or zero-width characters ({@code U+202E}, {@code U+200B}, {@code U+2066}
 * to {@code U+2069}, {@code U+FEFF}) would show text other than it is. One pass over the text, which
 * stops once enough is kept, so any length costs at most linear time.
 */
public final class ServerText {

    private ServerText() {}

    /**
     * {@code text} with the Unicode format characters (Cf) removed; control characters, line and
     * paragraph separators and runs of white space folded into one space; stripped; at most
     * {@code max} characters, then {@code …}. {@code null} stays {@code null}.
     */
    public static String clean(String text, int max) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 1);
        boolean space = false;
        for (int i = 0; i < text.length() && out.length() <= max; ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            int type = Character.getType(c);
            if (type == Character.FORMAT) {
                continue;
            }
            if (isBlank(c, type)) {
                space = out.length() > 0;
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            // A surrogate without its pair cannot be printed.
            out.appendCodePoint(type == Character.SURROGATE ? '\ufffd' : c);
        }
        return cut(out, max);
    }

    /** {@code text} cut to {@code max} characters and {@code …} when longer; as it is otherwise. */
    public static String cut(CharSequence text, int max) {
        if (text.length() <= max) {
            return text.toString();
        }
        int end = max;
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.subSequence(0, end) + "…";
    }

    /** White space, control characters and line or paragraph separators: all shown as one space. */
    static boolean isBlank(int c, int type) {
        return type == Character.CONTROL
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.SPACE_SEPARATOR
                || Character.isWhitespace(c);
    }
}
