package io.jenkins.plugins.inkit.client.text;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Short, printable excerpts of text from outside (response bodies, user input) for messages. */
public final class Excerpts {

    public static final int BODY_EXCERPT = 200;

    private Excerpts() {}

    /** Control characters replaced, at most {@code max} characters. */
    public static String printable(String text, int max) {
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
    public static String line(String text, String token, int max) {
        String clean = ApiTokens.redact(text, token);
        // Format characters (right-to-left overrides and the like) could show text reordered.
        clean = clean.replaceAll("\\p{Cf}+", "")
                .replaceAll("(?U)[\\s\\p{Cntrl}]+", " ")
                .strip();
        return ApiTokens.redact(printable(clean, max), token);
    }

    /**
     * A one-line excerpt of a response body: the token blanked out before anything can split it,
     * and again once markup is dropped and JSON and HTML escapes are read (an echo written as
     * {@code tok\\u005fABC} or {@code tok&#95;ABC} is still the token); white space folded; cut only
     * at the end.
     */
    public static String ofBody(byte[] body, String token) {
        return ofBody(body, token, BODY_EXCERPT);
    }

    /** {@link #ofBody(byte[], String)} cut at {@code max} characters. */
    public static String ofBody(byte[] body, String token, int max) {
        String text = ApiTokens.redact(new String(body, StandardCharsets.UTF_8), token);
        text = text.replaceAll("(?is)<(script|style)[^>]*>.*?</\\1>", " ").replaceAll("<[^>]*>", " ");
        text = ApiTokens.redact(unescape(text), token);
        text = text.replaceAll("\\s+", " ").strip();
        return text.isEmpty() ? "(empty body)" : printable(text, max);
    }

    private static final Pattern ESCAPE = Pattern.compile(
            "\\\\u([0-9a-fA-F]{4})|\\\\([/\"\\\\])|&#(\\d{1,7});|&#[xX]([0-9a-fA-F]{1,6});|&(amp|lt|gt|quot|apos);");

    /** JSON's {@code \\uXXXX}, {@code \\/}, {@code \\"} and {@code \\\\}, and HTML's character references, read. */
    static String unescape(String text) {
        if (text.indexOf('\\') < 0 && text.indexOf('&') < 0) {
            return text;
        }
        Matcher m = ESCAPE.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String replacement;
            if (m.group(1) != null) {
                replacement = String.valueOf((char) Integer.parseInt(m.group(1), 16));
            } else if (m.group(2) != null) {
                replacement = m.group(2);
            } else if (m.group(3) != null || m.group(4) != null) {
                int code = m.group(3) != null ? Integer.parseInt(m.group(3)) : Integer.parseInt(m.group(4), 16);
                replacement = Character.isValidCodePoint(code) ? new String(Character.toChars(code)) : "?";
            } else {
                replacement = switch (m.group(5)) {
                    case "amp" -> "&";
                    case "lt" -> "<";
                    case "gt" -> ">";
                    case "quot" -> "\"";
                    default -> "'";
                };
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        return m.appendTail(out).toString();
    }
}
