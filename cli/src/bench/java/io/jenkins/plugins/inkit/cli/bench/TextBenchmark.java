package io.jenkins.plugins.inkit.cli.bench;

import io.jenkins.plugins.inkit.client.LaunchTesting;
import io.jenkins.plugins.inkit.client.TestClients;
import io.jenkins.plugins.inkit.client.TestRuns;
import io.jenkins.plugins.inkit.client.WorstCaseTexts;
import io.jenkins.plugins.inkit.client.json.BatchParser;
import io.jenkins.plugins.inkit.client.json.LaunchAnswers;
import io.jenkins.plugins.inkit.client.json.RunParser;
import io.jenkins.plugins.inkit.client.model.LaunchRequest;
import io.jenkins.plugins.inkit.client.text.Excerpts;
import io.jenkins.plugins.inkit.client.text.MergeWords;
import io.jenkins.plugins.inkit.client.text.PersonalData;
import io.jenkins.plugins.inkit.client.text.ServerText;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How long each function that takes text from outside needs per MiB, on the inputs that made the
 * old regular expressions quadratic (1 MiB each) and on a realistic error page: each is called for
 * five rounds of 150 ms after a warm-up, and the median round counts; making its input (the JSON
 * around the text) is not timed. Prints a Markdown table.
 */
public final class TextBenchmark {

    /** One function that takes text from outside, given the input {@code prepare} makes of a text (not timed). */
    record Subject(Prepare prepare, Call call) {}

    interface Prepare {
        Object of(String text);
    }

    interface Call {
        Object apply(Object input) throws Exception;
    }

    static Subject text(Call call) {
        return new Subject(t -> t, call);
    }

    static Subject bytes(Prepare prepare, Call call) {
        return new Subject(t -> utf8((String) prepare.of(t)), call);
    }

    private TextBenchmark() {}

    public static void main(String[] args) throws Exception {
        String token = TestClients.TOKEN;
        LaunchRequest request = LaunchTesting.request();
        MergeWords words = request.mergeWords();
        Map<String, Subject> subjects = new LinkedHashMap<>();
        subjects.put("Excerpts.ofBody", bytes(t -> t, b -> Excerpts.ofBody((byte[]) b, token)));
        subjects.put("Excerpts.line", text(t -> Excerpts.line((String) t, token, 200)));
        subjects.put("ServerText.clean", text(t -> ServerText.clean((String) t, 200)));
        subjects.put("PersonalData.blank (whole text)", text(t -> PersonalData.blank((String) t, words)));
        subjects.put(
                "LaunchAnswers.excerpt (JSON)",
                bytes(
                        t -> "{\"detail\": \"" + jsonText(t) + "\"}",
                        b -> LaunchAnswers.excerpt((byte[]) b, token, request)));
        subjects.put(
                "LaunchAnswers.excerpt (not JSON)",
                bytes(t -> t, b -> LaunchAnswers.excerpt((byte[]) b, token, request)));
        subjects.put(
                "RunParser (a run's error text)",
                bytes(
                        t -> TestRuns.page(
                                1, 1, List.of(TestRuns.failed("rend_1", "fb_1", Instant.EPOCH, jsonText(t)))),
                        b -> RunParser.parse((byte[]) b, 1, 100, token)));
        subjects.put(
                "BatchParser (a batch's name)",
                bytes(
                        t -> "{\"id\": \"fb_1\", \"name\": \"" + jsonText(t) + "\"}",
                        b -> BatchParser.parse((byte[]) b, token)));

        Map<String, String> inputs = new LinkedHashMap<>(WorstCaseTexts.worstCases(WorstCaseTexts.MIB));
        inputs.put("error page (" + WorstCaseTexts.errorPage().length() / 1024 + " KiB)", WorstCaseTexts.errorPage());

        System.out.println("## Text from outside: milliseconds per MiB (JDK "
                + Runtime.version().feature() + ")");
        System.out.println();
        StringBuilder header = new StringBuilder("| function |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String input : inputs.keySet()) {
            header.append(' ').append(input).append(" |");
            rule.append("---:|");
        }
        System.out.println(header);
        System.out.println(rule);
        for (Map.Entry<String, Subject> s : subjects.entrySet()) {
            StringBuilder row = new StringBuilder("| ").append(s.getKey()).append(" |");
            for (String input : inputs.values()) {
                row.append(String.format(Locale.ROOT, " %.1f |", millisPerMib(s.getValue(), input)));
            }
            System.out.println(row);
        }
    }

    /** The median over five rounds of the mean time of one call, after a warm-up, scaled to a MiB of the text. */
    static double millisPerMib(Subject subject, String text) throws Exception {
        Object input = subject.prepare().of(text);
        long warm = System.nanoTime();
        while (System.nanoTime() - warm < 300_000_000L) {
            subject.call().apply(input);
        }
        double[] rounds = new double[5];
        for (int r = 0; r < rounds.length; r++) {
            long start = System.nanoTime();
            long calls = 0;
            do {
                subject.call().apply(input);
                calls++;
            } while (System.nanoTime() - start < 150_000_000L);
            rounds[r] = (System.nanoTime() - start) / 1e6 / calls;
        }
        java.util.Arrays.sort(rounds);
        return rounds[rounds.length / 2] * WorstCaseTexts.MIB / text.length();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code text} as the content of a JSON string. */
    static String jsonText(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
