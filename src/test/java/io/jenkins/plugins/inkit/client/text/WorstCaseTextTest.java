package io.jenkins.plugins.inkit.client.text;

import static io.jenkins.plugins.inkit.client.WorstCaseTexts.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.LaunchTesting;
import io.jenkins.plugins.inkit.client.TestClients;
import io.jenkins.plugins.inkit.client.TestRuns;
import io.jenkins.plugins.inkit.client.WorstCaseTexts;
import io.jenkins.plugins.inkit.client.json.BatchParser;
import io.jenkins.plugins.inkit.client.json.LaunchAnswers;
import io.jenkins.plugins.inkit.client.model.LaunchRequest;
import io.jenkins.plugins.inkit.client.model.RunPage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;

/**
 * Every function that takes text from outside, on 1 MiB of each worst case: a hang guard, not a
 * timing (the old code took about half an hour on some of these; docs/performance.md has figures).
 */
class WorstCaseTextTest {

    static final Duration GUARD = Duration.ofSeconds(20);
    static final String TOKEN = TestClients.TOKEN;

    static <T> T guarded(String what, ThrowingSupplier<T> work) {
        return assertTimeoutPreemptively(GUARD, work, what);
    }

    /** Each worst case given to {@code function}, whose answer must be short. */
    static void eachWorstCase(String function, int max, Function<String, String> apply) {
        for (Map.Entry<String, String> c : WorstCaseTexts.worstCases(MIB).entrySet()) {
            String out = guarded(function + " on " + c.getKey(), () -> apply.apply(c.getValue()));
            assertTrue(out.length() <= max + 1, function + " on " + c.getKey() + ": " + out.length());
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void excerptsOfBodiesAndLines() {
        eachWorstCase("Excerpts.ofBody", 200, t -> Excerpts.ofBody(utf8(t), TOKEN));
        eachWorstCase("Excerpts.ofBody with words", 200, t -> Excerpts.ofBody(utf8(t), TOKEN, 200, words()));
        eachWorstCase("Excerpts.line", 200, t -> Excerpts.line(t, TOKEN, 200));
        eachWorstCase("Excerpts.line with words", 200, t -> Excerpts.line(t, TOKEN, 200, words()));
        eachWorstCase("ServerText.clean", 200, t -> ServerText.clean(t, 200));
        assertEquals("(empty body)", Excerpts.ofBody(utf8("<script>".repeat(MIB / 8)), TOKEN));
        assertTrue(Excerpts.ofBody(utf8("<".repeat(MIB)), TOKEN).startsWith("<<<<"));
    }

    @Test
    void thePersonalDataRuleItself() {
        // Callers give it bounded text; on a whole MiB it is linear all the same.
        eachWorstCase("PersonalData.blank", Integer.MAX_VALUE - 1, t -> PersonalData.blank(t, words()));
        String digits = "1 ".repeat(MIB / 2);
        assertEquals("[number] ", guarded("a MiB of one number", () -> PersonalData.blank(digits, words())));
        String addresses = "a@".repeat(MIB / 2);
        assertFalse(guarded("a MiB of '@'", () -> PersonalData.blank(addresses, words()))
                .contains("a@a"));
    }

    @Test
    void theParsersErrorTexts() {
        for (Map.Entry<String, String> c : WorstCaseTexts.worstCases(MIB).entrySet()) {
            String text = c.getValue();
            RunPage page = guarded(
                    c.getKey() + " in a run's error text",
                    () -> TestRuns.parse(
                            TestRuns.page(1, 1, List.of(TestRuns.failed("rend_1", "fb_1", Instant.EPOCH, text)))));
            String error = page.runs().get(0).failedDestinations().get("salesforce");
            assertTrue(error == null || error.length() <= 201, c.getKey() + ": " + error);

            String launch = guarded(
                    c.getKey() + " in a launch's error answer",
                    () -> LaunchAnswers.excerpt(utf8("{\"detail\": \"" + text + "\"}"), TOKEN, request()));
            assertTrue(launch.length() <= 201, c.getKey() + ": " + launch);
            guarded(
                    c.getKey() + " as a launch's error answer",
                    () -> LaunchAnswers.excerpt(utf8(text), TOKEN, request()));

            String name = guarded(
                    c.getKey() + " as a batch's name",
                    () -> BatchParser.parse(utf8("{\"id\": \"fb_1\", \"name\": \"" + text + "\"}"), TOKEN)
                            .name());
            assertTrue(name.length() <= 201, c.getKey() + ": " + name.length());
        }
    }

    static MergeWords words() {
        MergeWords words = new MergeWords();
        words.addValue(LaunchTesting.PII_NAME);
        words.addValue("aaaa");
        return words;
    }

    static LaunchRequest request() throws InkitException {
        return LaunchTesting.request();
    }
}
