package io.jenkins.plugins.inkit.client.text;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Short, printable excerpts of text from outside (response bodies, user input) for messages. Every
 * text is first cut to what can be shown (a few times the excerpt, and room for an escaped token):
 * answers reach 1 MiB, and nothing past the bound is ever looked at by a pattern, so the cost is
 * linear in the text's length whatever it holds.
 */
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
     * out before the text is cut, so that no part of it survives a cut, then {@link
     * ServerText#clean cleaned}: at most {@code max} characters.
     */
    public static String line(String text, String token, int max) {
        return line(text, token, max, null);
    }

    /** {@link #line(String, String, int)} with the {@link PersonalData} rule applied before the cut. */
    public static String line(String text, String token, int max, MergeWords words) {
        return text == null ? null : finish(prepare(text, token, max), max, words);
    }

    /**
     * The first part of {@link #line}: the token blanked out, the text cut to a bound (dropping the
     * word the bound falls into), cleaned, the token blanked again (a zero-width character between
     * its halves is gone now), but not yet cut to {@code max}: for a text whose personal data can
     * only be blanked later, once the merge parameters are known.
     */
    public static String prepare(String text, String token, int max) {
        String bounded = bounded(withoutToken(text, token), bound(max, 0));
        String clean = ServerText.clean(ApiTokens.redact(bounded, token), Integer.MAX_VALUE - 1);
        return ApiTokens.redact(clean, token);
    }

    /**
     * The last part of {@link #line}: a {@link #prepare prepared} text blanked by the rule (unless
     * {@code words} is {@code null}), then cut.
     */
    public static String finish(String prepared, int max, MergeWords words) {
        return ServerText.cut(words == null ? prepared : PersonalData.blank(prepared, words), max);
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
        return ofBody(body, token, max, null);
    }

    /**
     * {@link #ofBody(byte[], String, int)} with the {@link PersonalData} rule applied before the cut
     * (unless {@code words} is {@code null}).
     */
    public static String ofBody(byte[] body, String token, int max, MergeWords words) {
        String raw = withoutToken(new String(body, StandardCharsets.UTF_8), token);
        // An escape is at most 10 characters for one (&#1114111;): room for a whole escaped token.
        String visible = VisibleText.of(raw, bound(max, 10 * length(token)));
        String text = ServerText.clean(ApiTokens.redact(unescape(visible), token), Integer.MAX_VALUE - 1);
        text = ApiTokens.redact(text, token);
        return text.isEmpty() ? "(empty body)" : finish(text, max, words);
    }

    /** How much of a text is looked at for an excerpt of {@code max} characters. */
    static int bound(int max, int extra) {
        long bound = 4L * max + extra + 64;
        return (int) Math.min(bound, Integer.MAX_VALUE / 2);
    }

    /** {@code text} cut to {@code bound} characters (see {@link Words#safeCut}), then {@code …}. */
    static String bounded(String text, int bound) {
        if (text.length() <= bound) {
            return text;
        }
        int end = Character.isWhitespace(text.charAt(bound)) ? bound : Words.safeCut(text, bound);
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end).stripTrailing() + " …";
    }

    /** Every whole occurrence of the token replaced, in the whole text, before anything can cut it. */
    private static String withoutToken(String text, String token) {
        return token == null || token.isEmpty() ? text : text.replace(token, ApiTokens.MASK);
    }

    private static int length(String token) {
        return token == null ? 0 : token.length();
    }

    private static final Pattern ESCAPE = Pattern.compile(
            "\\\\u([0-9a-fA-F]{4})|\\\\([/\"\\\\])|&#(\\d{1,7});|&#[xX]([0-9a-fA-F]{1,6});|&(amp|lt|gt|quot|apos);");

    /**
     * JSON's {@code \\uXXXX}, {@code \\/}, {@code \\"} and {@code \\\\}, and HTML's character
     * references, read. Only ever given bounded text; each alternative has a bounded length, so
     * the scan is linear.
     */
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
