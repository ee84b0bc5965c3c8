package io.jenkins.plugins.inkit.client.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.TestClients;
import io.jenkins.plugins.inkit.client.TestRuns;
import io.jenkins.plugins.inkit.client.model.Batch;
import io.jenkins.plugins.inkit.client.model.Destination;
import io.jenkins.plugins.inkit.client.model.FailedDocuments;
import io.jenkins.plugins.inkit.client.model.LaunchedBatch;
import io.jenkins.plugins.inkit.client.model.RunPage;
import io.jenkins.plugins.inkit.client.report.BatchMaps;
import io.jenkins.plugins.inkit.client.report.BatchReport;
import io.jenkins.plugins.inkit.client.report.Verdict;
import io.jenkins.plugins.inkit.client.text.ServerText;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Terminal escapes and invisible characters in what Inkit sends never reach what is printed or returned. */
class ServerTextTest {

    /**
     * As JSON escapes: a screen clear, a window title (OSC ... BEL), BEL, a right-to-left override, a
     * zero-width space, the isolates, a byte order mark, a line separator and a C1 control.
     */
    static final String ESCAPES = "\\u001b[2J\\u001b]0;title\\u0007\\u0007\\u202e\\u200b\\u2066\\u2067\\u2068\\u2069"
            + "\\ufeff\\u2028\\u009b";

    static final String TOKEN = TestClients.TOKEN;

    static void assertClean(String text) {
        for (char c : text.toCharArray()) {
            boolean bad = c < 0x20 && c != '\n'
                    || c >= 0x7f && c <= 0x9f
                    || Character.getType(c) == Character.FORMAT
                    || c == '\u2028'
                    || c == '\u2029';
            assertFalse(bad, String.format("U+%04X in: %s", (int) c, text));
        }
    }

    static Batch batch() throws InkitException {
        String json = "{\"id\": \"fb_1\", \"name\": \"Invoices" + ESCAPES + " " + TOKEN + "\", \"status\": \"Done"
                + ESCAPES + "\", \"total\": 2, \"created_at\": \"2026" + ESCAPES + "\", \"destinations\": {\"sales"
                + ESCAPES + "force\": {\"count\": 2, \"completed\": 1, \"failed\": 1, \"in_progress\": 0, \"status\":"
                + " \"fail" + ESCAPES + "ed\"}}}";
        return BatchParser.parse(json.getBytes(StandardCharsets.UTF_8), TOKEN);
    }

    @Test
    void aBatchComesOutCleanAndWithoutTheToken() throws Exception {
        Batch b = batch();
        assertEquals("Invoices [2J ]0;title ****", b.name());
        assertEquals("Done [2J ]0;title", b.status());
        Destination d = b.destinations().values().iterator().next();
        assertEquals("sales [2J ]0;title force", d.name());
        assertEquals("fail [2J ]0;title ed", d.status());
        assertEquals("sales [2J ]0;title force: 1 completed, 1 failed, 0 in progress of 2", d.toString());
        Verdict v = Verdict.of(b, true);
        for (String printed : List.of(
                BatchReport.table(b),
                BatchReport.changeLine(null, b),
                BatchReport.summary(b, v, FailedDocuments.complete(List.of())),
                v.describe(),
                v.failedList(),
                d.toString(),
                b.toString(),
                BatchMaps.toMap(b).toString())) {
            assertClean(printed);
            assertFalse(printed.contains(TOKEN), printed);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> destinations =
                (Map<String, Object>) BatchMaps.toMap(b).get("destinations");
        assertEquals(List.of("sales [2J ]0;title force"), List.copyOf(destinations.keySet()));
    }

    @Test
    void twoDestinationsThatPrintTheSameCannotBeTrusted() {
        String json = "{\"id\": \"fb_1\", \"total\": 2, \"destinations\": {\"box\": {\"count\": 1, \"completed\": 1},"
                + " \"b\\u200bo\\u202ex\": {\"count\": 1, \"failed\": 1}}}";
        InkitException e = assertThrows(
                InkitException.class, () -> BatchParser.parse(json.getBytes(StandardCharsets.UTF_8), TOKEN));
        assertEquals(InkitException.Kind.UNTRUSTED_RESPONSE, e.kind());
        assertEquals(
                "Inkit's answer cannot be trusted: two destinations are named 'box' once their unprintable characters"
                        + " are removed.",
                e.getMessage());
        String unnamed = "{\"id\": \"fb_1\", \"destinations\": {\"\\u200b\": {\"count\": 1}}}";
        assertThrows(InkitException.class, () -> BatchParser.parse(unnamed.getBytes(StandardCharsets.UTF_8), TOKEN));
        String badId = "{\"id\": \"fb_1\\u001b[2J\"}";
        assertThrows(InkitException.class, () -> BatchParser.parse(badId.getBytes(StandardCharsets.UTF_8), TOKEN));
    }

    @Test
    void everyTextOfARunIsClean() throws Exception {
        String run = "{\"id\": \"rend_1" + ESCAPES + "\", \"flow_id\": \"flow" + ESCAPES + "\", \"flow_name\": \"Letter"
                + ESCAPES + "\", \"flows_batch_id\": \"fb_1" + ESCAPES + "\", \"created_at\": \"2026" + ESCAPES
                + "\", \"status\": \"failed\", \"destinations\": {\"box" + ESCAPES + "\": {\"status\": \"failed\","
                + " \"error\": \"quota" + ESCAPES + " exceeded\"}}, \"destination_status\": {\"s3" + ESCAPES
                + "\": \"failed\"}}";
        RunPage.Run r = TestRuns.parse(TestRuns.page(1, 1, List.of(run))).runs().get(0);
        assertNull(r.unreadable());
        // The error text, like every error text, has its numbers blanked too.
        assertEquals(
                Map.of("box [2J ]0;title", "quota [[number] ][number];title exceeded", "s3 [2J ]0;title", "null"),
                r.failedDestinations().entrySet().stream()
                        .collect(java.util.stream.Collectors.toMap(
                                Map.Entry::getKey, e -> String.valueOf(e.getValue()))));
        for (String text : List.of(r.id(), r.flowId(), r.flowName(), r.batchId(), r.createdAt(), r.toString())) {
            assertClean(text);
        }
    }

    @Test
    void aLaunchAnswerIsClean() throws Exception {
        String answer = "{\"id\": \"fb_1\", \"name\": \"Batch" + ESCAPES + "\", \"description\": \"About" + ESCAPES
                + "\", \"flows_data\": [{\"id\": \"rend" + ESCAPES + "\", \"document_id\": \"doc" + ESCAPES + "\"}]}";
        LaunchedBatch b = LaunchAnswers.parse(answer.getBytes(StandardCharsets.UTF_8), TOKEN);
        assertEquals("Batch [2J ]0;title", b.name());
        assertClean(b.toMap().toString());
        String error = "{\"detail\": \"no" + ESCAPES + " way\"}";
        String excerpt = LaunchAnswers.excerpt(error.getBytes(StandardCharsets.UTF_8), TOKEN, null);
        assertEquals("{\"detail\":\"no [[number] ][number];title way\"}", excerpt);
    }

    @Test
    void cleaningFoldsCutsAndKeepsNull() {
        assertNull(ServerText.clean(null, 10));
        assertEquals("a b c", ServerText.clean("  a\t\r\n b\u2029\u0085c \u00a0", 10));
        assertEquals("abcde…", ServerText.clean("ab\u200bcdefgh", 5));
        assertEquals("abcde", ServerText.clean("abcde   ", 5), "trailing blanks are not more text");
        assertEquals("\ud83d\ude00…", ServerText.clean("\ud83d\ude00\ud83d\ude00", 3), "a pair is never split");
        assertEquals("a\ufffdb", ServerText.clean("a\ud800b", 5), "a lone surrogate is replaced");
    }
}
