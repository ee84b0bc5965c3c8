package io.jenkins.plugins.inkit.client.text;

import io.jenkins.plugins.inkit.client.InkitException;

/**
 * What an API token may contain, and how it is kept out of text people read. A token is sent as
 * an HTTP header value, so it must be visible ASCII: a pasted non-breaking space or line break
 * would otherwise make the HTTP library throw an exception that quotes the whole header.
 */
public final class ApiTokens {

    /** What replaces the token wherever it would show. */
    public static final String MASK = "****";

    private ApiTokens() {}

    /**
     * What is wrong with the token, described without quoting any part of it, or {@code null}
     * when it can be sent.
     */
    public static String problem(String token, String source) {
        if (token == null || token.isEmpty()) {
            return "No Inkit API token: " + source + " is empty.";
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return "The Inkit API token in " + source + " contains " + describe(c)
                        + ", which cannot be sent in an HTTP header. Copy the key from Inkit again and paste it"
                        + " without surrounding text; an Inkit API key has only letters, digits and punctuation.";
            }
        }
        return null;
    }

    /** The token, checked: an {@link InkitException.Kind#INVALID_INPUT} that never quotes it when it cannot be sent. */
    public static String requireSendable(String token, String source) throws InkitException {
        String problem = problem(token, source);
        if (problem != null) {
            throw new InkitException(InkitException.Kind.INVALID_INPUT, problem);
        }
        return token;
    }

    /** A run this long taken from the token is blanked out too: a token cut short, or only its end. */
    public static final int MIN_FRAGMENT = 8;

    /**
     * {@code text} with the token blanked out: every whole occurrence, whatever the token's
     * length, and every run of at least {@link #MIN_FRAGMENT} characters that also occurs in the
     * token, so that an excerpt cut in the middle of an echoed token does not show its first part.
     */
    public static String redact(String text, String token) {
        if (text == null || token == null || token.isEmpty()) {
            return text;
        }
        String out = text.contains(token) ? text.replace(token, MASK) : text;
        if (token.length() <= MIN_FRAGMENT) {
            return out;
        }
        StringBuilder clean = null;
        int copied = 0;
        for (int i = 0; i + MIN_FRAGMENT <= out.length(); ) {
            int run = longestTokenRunAt(out, i, token);
            if (run >= MIN_FRAGMENT) {
                if (clean == null) {
                    clean = new StringBuilder(out.length());
                }
                clean.append(out, copied, i).append(MASK);
                i += run;
                copied = i;
            } else {
                i++;
            }
        }
        return clean == null ? out : clean.append(out, copied, out.length()).toString();
    }

    /** The length of the longest run starting at {@code at} in {@code text} that also occurs in {@code token}. */
    private static int longestTokenRunAt(String text, int at, String token) {
        int best = 0;
        char first = text.charAt(at);
        for (int j = token.indexOf(first); j >= 0; j = token.indexOf(first, j + 1)) {
            int k = 0;
            while (at + k < text.length() && j + k < token.length() && text.charAt(at + k) == token.charAt(j + k)) {
                k++;
            }
            best = Math.max(best, k);
        }
        return best;
    }

    /** The same failure with the token blanked out of its message; the cause is dropped, as its text may hold it. */
    public static InkitException redact(InkitException e, String token) {
        String message = e.getMessage();
        String clean = redact(message, token);
        if (clean == message) {
            return e;
        }
        return new InkitException(e.kind(), clean, e.httpStatus(), e.retryAfter(), null, e.notSent());
    }

    private static String describe(char c) {
        return switch (c) {
            case ' ' -> "a space";
            case '\t' -> "a tab";
            case '\n', '\r' -> "a line break";
            case '\u00a0', '\u2007', '\u202f' -> "a non-breaking space";
            case '\u200b', '\ufeff' -> "an invisible zero-width character";
            default -> c < 0x20 || c == 0x7f ? "a control character" : "a character that is not plain ASCII";
        };
    }
}
