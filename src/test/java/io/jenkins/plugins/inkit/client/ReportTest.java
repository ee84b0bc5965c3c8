package io.jenkins.plugins.inkit.client;

import static io.jenkins.plugins.inkit.client.TestBatches.batch;
import static io.jenkins.plugins.inkit.client.TestBatches.dest;
import static io.jenkins.plugins.inkit.client.TestBatches.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
