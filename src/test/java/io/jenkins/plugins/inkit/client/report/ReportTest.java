package io.jenkins.plugins.inkit.client.report;

import static io.jenkins.plugins.inkit.client.TestBatches.batch;
import static io.jenkins.plugins.inkit.client.TestBatches.dest;
import static io.jenkins.plugins.inkit.client.TestBatches.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.inkit.client.TestBatches;
import io.jenkins.plugins.inkit.client.model.Batch;
import io.jenkins.plugins.inkit.client.model.FailedDocument;
import io.jenkins.plugins.inkit.client.model.FailedDocuments;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verdict, the report people read and the map Pipelines get. */
class ReportTest {

    @Test
    void anyFailedDocumentFailsTheBuildUnlessTurnedOff() throws Exception {
        Batch b = parse(batch(
                "fb_1", 5, dest("inkit_storage", 5, 5, 0, 0), dest("salesforce", 5, 3, 2, 0), dest("box", 5, 4, 1, 0)));
        Verdict strict = Verdict.of(b, true);
        assertTrue(strict.finished());
        assertEquals(3, strict.failedDocuments());
        assertEquals(Map.of("salesforce", 2L, "box", 1L), strict.failedByDestination());
        assertEquals(
                List.of("salesforce", "box"),
                List.copyOf(strict.failedByDestination().keySet()));
        assertTrue(strict.failsBuild());
        assertEquals(
                "Inkit batch 'Test batch' (fb_1) finished with 3 failed documents (salesforce: 2, box: 1).",
                strict.describe());

        Verdict lenient = Verdict.of(b, false);
        assertFalse(lenient.failsBuild());
        assertTrue(lenient.describe().endsWith("; not failing, as asked."), lenient.describe());
    }

    @Test
    void failedDocumentsCountEvenBeforeTheBatchFinishes() throws Exception {
        Verdict v = Verdict.of(parse(batch("fb_1", 5, dest("docusign", 5, 1, 1, 3))), true);
        assertFalse(v.finished());
        assertTrue(v.failsBuild());
        assertEquals("Inkit batch 'Test batch' (fb_1) has 1 failed document (docusign: 1).", v.describe());
    }

    @Test
    void aCleanBatchPasses() throws Exception {
        Verdict done = Verdict.of(parse(TestBatches.DOCUMENTED_EXAMPLE), true);
        assertFalse(done.failsBuild());
        assertEquals(
                "Inkit batch 'Batch Name' (fb_4AO6oyjh5yc9jvRKJplghb) finished: all 1 document generations completed.",
                done.describe());
        Verdict running = Verdict.of(parse(batch("fb_1", 5, dest("box", 5, 2, 0, 3))), true);
        assertEquals(
                "Inkit batch 'Test batch' (fb_1) is not finished yet: 2 of 5 document generations settled, none failed so far.",
                running.describe());
    }

    @Test
    void theTableListsEveryDestinationWithAlignedColumns() throws Exception {
        String table = BatchReport.table(
                parse(batch("fb_1", 12, dest("inkit_storage", 12, 12, 0, 0), dest("salesforce", 12, 9, 2, 1))));
        assertEquals("""
                Inkit batch 'Test batch' (fb_1), status Processing, 12 document(s), created 2026-11-29T10:00:00.000000Z
                  destination    count  completed  failed  in progress  status
                  inkit_storage     12         12       0            0  completed
                  salesforce        12          9       2            1  in_progress
                """, table);
        assertTrue(
                BatchReport.table(parse("{\"id\": \"fb_2\", \"total\": 3}")).contains("(no destination reported yet)"));
    }

    @Test
    void textFromOutsideIsMadePrintable() throws Exception {
        Batch b = parse("{\"id\": \"fb_1\", \"name\": \"evil\\u001b[31m\\nname\", \"total\": 0}");
        String table = BatchReport.table(b);
        assertFalse(table.contains("\u001b"));
        assertTrue(table.startsWith("Inkit batch 'evil [31m name' (fb_1)"), table);
    }

    @Test
    void aChangeLineOnlyWhenSomethingChanged() throws Exception {
        Batch a = parse(batch("fb_1", 4, dest("box", 4, 1, 0, 3)));
        Batch same = parse(batch("fb_1", 4, dest("box", 4, 1, 0, 3)));
        Batch moved = parse(batch("fb_1", 4, dest("box", 4, 2, 1, 1)));
        assertNull(BatchReport.changeLine(a, same));
        assertEquals(
                "Inkit batch 'Test batch' (fb_1) Processing: 3/4 settled, 1 failed [box 2/4 (1 failed)]",
                BatchReport.changeLine(a, moved));
        assertEquals(
                "Inkit batch 'Test batch' (fb_1) Processing: 1/4 settled [box 1/4]", BatchReport.changeLine(null, a));
    }

    @Test
    void aChangeLineSaysRoughlyHowLongIsLeftWhileTheBatchIsNotFinished() throws Exception {
        Batch a = parse(batch("fb_1", 4, dest("box", 4, 1, 0, 3)));
        Batch done = parse(batch("fb_1", 4, dest("box", 4, 4, 0, 0)));
        assertEquals(
                "Inkit batch 'Test batch' (fb_1) Processing: 1/4 settled [box 1/4], about 40 s left",
                BatchReport.changeLine(null, a, java.time.Duration.ofMillis(41_300)));
        assertEquals(
                "Inkit batch 'Test batch' (fb_1) Processing: 1/4 settled [box 1/4]",
                BatchReport.changeLine(null, a, null),
                "no estimate, no words about one");
        assertFalse(
                BatchReport.changeLine(a, done, java.time.Duration.ofSeconds(3)).contains("left"));
        assertNull(BatchReport.changeLine(a, a, java.time.Duration.ofSeconds(3)));
    }

    @Test
    void timeLeftIsAsPreciseAsItDeservesToBe() {
        String[][] cases = {
            {"0", "5 s"},
            {"2400", "5 s"},
            {"41000", "40 s"},
            {"43000", "45 s"},
            {"57000", "55 s"},
            {"58000", "1 min"},
            {"90000", "2 min"},
            {"3569000", "59 min"},
            {"3570000", "1 h"},
            {"5640000", "1 h 30 min"},
            {"5700000", "1 h 40 min"},
            {"172500000", "2 days"}
        };
        for (String[] c : cases) {
            assertEquals(c[1], BatchReport.roughly(java.time.Duration.ofMillis(Long.parseLong(c[0]))), c[0] + " ms");
        }
    }

    @Test
    void theMapHasPlainValuesOnly() throws Exception {
        Map<String, Object> map = BatchMaps.toMap(parse(TestBatches.DOCUMENTED_EXAMPLE));
        assertEquals(
                List.of("id", "name", "status", "total", "createdAt", "finished", "failed", "destinations"),
                List.copyOf(map.keySet()));
        assertEquals("fb_4AO6oyjh5yc9jvRKJplghb", map.get("id"));
        assertEquals(1L, map.get("total"));
        assertEquals(true, map.get("finished"));
        assertEquals(0L, map.get("failed"));
        @SuppressWarnings("unchecked")
        Map<String, Object> storage =
                (Map<String, Object>) ((Map<String, Object>) map.get("destinations")).get("inkit_storage");
        assertEquals(
                Map.of("count", 1L, "completed", 1L, "failed", 0L, "inProgress", 0L, "status", "completed"), storage);
    }

    static FailedDocument doc(String id, String flow, Map<String, String> destinations) {
        return new FailedDocument(id, "flow_" + id, flow, "2026-11-29T10:00:01Z", destinations);
    }

    static Map<String, String> dests(String... nameThenError) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nameThenError.length; i += 2) {
            m.put(nameThenError[i], nameThenError[i + 1]);
        }
        return m;
    }

    @Test
    void theFailedDocumentsFollowTheTableOnePerLine() throws Exception {
        Batch b = parse(batch("fb_1", 3, dest("salesforce", 3, 1, 2, 0), dest("docusign", 3, 2, 1, 0)));
        FailedDocuments f = FailedDocuments.complete(List.of(
                doc(
                        "rend_0151",
                        "Monthly statement",
                        dests("salesforce", "INVALID_FIELD: Postal code", "docusign", null)),
                doc("rend_0150", null, dests("salesforce", null)),
                new FailedDocument("rend_0149", null, null, null, Map.of())));
        String summary = BatchReport.summary(b, Verdict.of(b, true), f);
        assertEquals(BatchReport.table(b) + """
                        Failed documents:
                          rend_0151  Monthly statement  salesforce: INVALID_FIELD: Postal code; docusign
                          rend_0150  flow_rend_0150  salesforce
                          rend_0149  (no flow name)  (no failed destination named)
                        Inkit batch 'Test batch' (fb_1) finished with 3 failed documents (salesforce: 2, docusign: 1).
                        """, summary);
        assertEquals(BatchReport.summary(b, Verdict.of(b, true)), BatchReport.summary(b, Verdict.of(b, true), null));
        assertEquals("", BatchReport.failedDocuments(null));
    }

    @Test
    void twentyLinesAtMostThenHowManyMore() {
        List<FailedDocument> many = new java.util.ArrayList<>();
        for (int i = 1; i <= 23; i++) {
            many.add(doc("rend_" + i, "Letter", dests("box", "E" + i)));
        }
        List<String> lines = BatchReport.failedDocuments(FailedDocuments.complete(many))
                .lines()
                .toList();
        assertEquals(22, lines.size(), "the heading, 20 runs and the rest counted: " + lines);
        assertEquals("  rend_20  Letter  box: E20", lines.get(20));
        assertEquals("  and 3 more", lines.get(21));
    }

    @Test
    void anIncompleteListSaysWhyInOneLine() {
        assertEquals(
                "The failed documents could not be named: Inkit refused (HTTP 403).\n",
                BatchReport.failedDocuments(FailedDocuments.incomplete(List.of(), "Inkit refused (HTTP 403).")));
        String partial = BatchReport.failedDocuments(FailedDocuments.incomplete(
                List.of(doc("rend_1", "Letter", dests("box", null))), "the time limit\npassed."));
        assertEquals(
                "Failed documents:\n  rend_1  Letter  box\nNot every failed document could be named: the time limit"
                        + " passed.\n",
                partial);
    }

    @Test
    void theMapNamesTheFailedDocumentsOnlyWhenLookedUp() throws Exception {
        Batch b = parse(batch("fb_1", 3, dest("salesforce", 3, 1, 2, 0)));
        assertEquals(BatchMaps.toMap(b), BatchMaps.toMap(b, null));
        assertFalse(BatchMaps.toMap(b).containsKey("failedDocuments"));
        Map<String, Object> map = BatchMaps.toMap(
                b,
                FailedDocuments.incomplete(
                        List.of(doc("rend_1", "Letter", dests("salesforce", "E1", "box", null))), "stopped"));
        assertEquals(
                List.of(
                        "id",
                        "name",
                        "status",
                        "total",
                        "createdAt",
                        "finished",
                        "failed",
                        "destinations",
                        "failedDocuments",
                        "failedDocumentsComplete"),
                List.copyOf(map.keySet()));
        assertEquals(false, map.get("failedDocumentsComplete"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> docs = (List<Map<String, Object>>) map.get("failedDocuments");
        assertEquals(1, docs.size());
        assertEquals(
                List.of("id", "flowId", "flowName", "createdAt", "destinations"),
                List.copyOf(docs.get(0).keySet()));
        assertEquals("rend_1", docs.get(0).get("id"));
        assertEquals("flow_rend_1", docs.get(0).get("flowId"));
        assertEquals("Letter", docs.get(0).get("flowName"));
        assertEquals("2026-11-29T10:00:01Z", docs.get(0).get("createdAt"));
        Map<String, String> expected = dests("salesforce", "E1", "box", null);
        assertEquals(expected, docs.get(0).get("destinations"));
        assertEquals(
                true, BatchMaps.toMap(b, FailedDocuments.complete(List.of())).get("failedDocumentsComplete"));
    }

    @Test
    void failedDocumentsSurviveSerialisation() throws Exception {
        FailedDocuments f = FailedDocuments.incomplete(List.of(doc("rend_1", "Letter", dests("box", null))), "why");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(f);
        }
        try (java.io.ObjectInputStream in =
                new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(f, in.readObject());
        }
    }
}
