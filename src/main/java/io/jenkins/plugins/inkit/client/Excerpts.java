package io.jenkins.plugins.inkit.client;

import java.nio.charset.StandardCharsets;

/** Short, printable excerpts of text from outside (response bodies, user input) for messages. */
final class Excerpts {

    static final int BODY_EXCERPT = 200;

    private Excerpts() {}

    /** Control characters replaced, at most {@code max} characters. */
    static String printable(String text, int max) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), max + 1));
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        return text.length() > max ? out.append('…').toString() : out.toString();
    }

    /**
     * A one-line excerpt of a text from an answer (a name, an error message): the token blanked
     * out before the text is cut, so that no part of it survives a cut, control characters and
     * runs of white space folded into one space, at most {@code max} characters.
     */
    static String line(String text, String token, int max) {
        String clean = ApiTokens.redact(text, token);
        clean = clean.replaceAll("(?U)[\\s\\p{Cntrl}]+", " ").strip();
        return ApiTokens.redact(printable(clean, max), token);
    }

    /**
     * A one-line excerpt of a response body: the token blanked out (should an error page echo
     * it) before anything else can split it, markup dropped, white space folded.
     */
    static String ofBody(byte[] body, String token) {
        String text = new String(body, 0, Math.min(body.length, 16 * 1024), StandardCharsets.UTF_8);
        text = ApiTokens.redact(text, token);
        text = text.replaceAll("(?is)<(script|style)[^>]*>.*?</\\1>", " ").replaceAll("<[^>]*>", " ");
        text = text.replaceAll("\\s+", " ").strip();
        return text.isEmpty() ? "(empty body)" : printable(ApiTokens.redact(text, token), BODY_EXCERPT);
    }
}
