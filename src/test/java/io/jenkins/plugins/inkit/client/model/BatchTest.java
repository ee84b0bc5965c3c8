package io.jenkins.plugins.inkit.client.model;

import static io.jenkins.plugins.inkit.client.TestBatches.batch;
import static io.jenkins.plugins.inkit.client.TestBatches.dest;
import static io.jenkins.plugins.inkit.client.TestBatches.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.inkit.client.TestBatches;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class BatchTest {

    @Test
    void finishedOnlyWhenEveryDestinationSettledAndTheTotalIsAccountedFor() throws Exception {
        assertTrue(parse(batch("fb_1", 4, dest("inkit_storage", 4, 3, 1, 0), dest("box", 4, 4, 0, 0)))
                .isFinished());
        assertFalse(parse(batch("fb_1", 4, dest("inkit_storage", 4, 3, 0, 1))).isFinished(), "one in progress");
        assertFalse(
                parse(batch("fb_1", 4, dest("inkit_storage", 4, 3, 0, 0))).isFinished(),
                "one not yet counted as anything");
        assertFalse(
                parse(batch("fb_1", 4, dest("inkit_storage", 2, 2, 0, 0))).isFinished(),
                "two documents not yet registered");
        // Two flows with a destination each: together they account for the total.
        assertTrue(parse(batch("fb_1", 4, dest("salesforce", 2, 2, 0, 0), dest("docusign", 2, 1, 1, 0)))
                .isFinished());
    }

    @Test
    void theStatusWordAloneDecidesNothing() throws Exception {
        Batch b = parse("{\"id\": \"fb_1\", \"status\": \"Completed\", \"total\": 2, \"destinations\": {\"box\":"
                + " {\"count\": 2, \"completed\": 1, \"failed\": 0, \"in_progress\": 1, \"status\": \"completed\"}}}");
        assertFalse(b.isFinished());
    }

    @Test
    void countsSettledExpectedAndFailedDocuments() throws Exception {
        Batch b = parse(batch("fb_1", 10, dest("inkit_storage", 10, 6, 2, 2), dest("box", 8, 1, 1, 6)));
        assertEquals(10, b.settledDocuments());
        assertEquals(18, b.expectedDocuments());
        assertEquals(3, b.failedDocuments());
        assertEquals(8, b.inProgressDocuments());
    }

    @Test
    void progressComparisonSeesEveryCountAndTheStatus() throws Exception {
        Batch a = parse(batch("fb_1", 4, dest("box", 4, 1, 0, 3)));
        assertTrue(a.sameProgressAs(parse(batch("fb_1", 4, dest("box", 4, 1, 0, 3)))));
        assertFalse(a.sameProgressAs(parse(batch("fb_1", 4, dest("box", 4, 2, 0, 2)))));
        assertFalse(a.sameProgressAs(parse(batch("fb_1", 4, dest("box", 4, 1, 0, 3), dest("dropbox", 4, 0, 0, 4)))));
        assertFalse(a.sameProgressAs(null));
    }

    @Test
    void survivesJavaSerialisationAsTheStepsStateDoes() throws Exception {
        Batch b = parse(TestBatches.DOCUMENTED_EXAMPLE);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(b);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(b, in.readObject());
        }
    }
}
