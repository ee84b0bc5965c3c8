package io.jenkins.plugins.inkit.client;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Texts from outside that made the old regular expressions take quadratic time (19.8 s for 100 KB
 * of {@code <}, 68 s for {@code <script>} repeated, 20.5 s for 100 KB of {@code a}), and a
 * realistic error page: for the tests that guard against a hang and for the text benchmark.
 */
public final class WorstCaseTexts {

    public static final int MIB = 1 << 20;

    private WorstCaseTexts() {}

    /** Each worst case, {@code length} characters long (about), by name. */
    public static Map<String, String> worstCases(int length) {
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("'<' repeated", "<".repeat(length));
        texts.put("'<script>' repeated", "<script>".repeat(length / 8));
        texts.put("'a...a@'", "a".repeat(length - 1) + "@");
        texts.put("'aaaa'", "a".repeat(length));
        return texts;
    }

    /** An error page as a proxy or a load balancer serves it: styles, a script, markup and some text. */
    public static String errorPage() {
        StringBuilder page = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>502 Bad Gateway</title>\n<style type=\"text/css\">\n");
        for (int i = 0; i < 60; i++) {
            page.append(".c")
                    .append(i)
                    .append(" { margin: 0 auto; padding: ")
                    .append(i)
                    .append("px; color: #333; }\n");
        }
        page.append("</style>\n<SCRIPT>\n");
        for (int i = 0; i < 60; i++) {
            page.append("window.__cfg")
                    .append(i)
                    .append(" = {\"id\": \"")
                    .append(i)
                    .append("\", \"retry\": true};\n");
        }
        page.append(
                "</SCRIPT></head>\n<body><div class=\"c1\"><h1>502 Bad Gateway</h1>\n<p>The server, while acting as a"
                        + " gateway or proxy, received an invalid response from the upstream server.</p>\n");
        for (int i = 0; i < 40; i++) {
            page.append("<p class=\"c")
                    .append(i)
                    .append("\">Ray ID: 8f")
                    .append(i)
                    .append("a1b2c3 &middot; ")
                    .append("Your IP: 203.0.113.")
                    .append(i)
                    .append(" &amp; performance &amp; security</p>\n");
        }
        return page.append("<hr><center>nginx</center></div></body></html>\n").toString();
    }
}
