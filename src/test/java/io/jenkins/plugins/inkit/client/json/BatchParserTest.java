package io.jenkins.plugins.inkit.client.json;

import static io.jenkins.plugins.inkit.client.TestBatches.batch;
import static io.jenkins.plugins.inkit.client.TestBatches.dest;
import static io.jenkins.plugins.inkit.client.TestBatches.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.TestBatches;
import io.jenkins.plugins.inkit.client.model.Batch;
import io.jenkins.plugins.inkit.client.model.Destination;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BatchParserTest {

    @Test
    void readsTheDocumentedExampleVerbatim() throws Exception {
        Batch b = parse(TestBatches.DOCUMENTED_EXAMPLE);
        assertEquals("fb_4AO6oyjh5yc9jvRKJplghb", b.id());
        assertEquals("Batch Name", b.name());
        assertEquals("Completed", b.status());
        assertEquals(1L, b.total());
        assertEquals("2023-11-07T02:16:22.319388Z", b.createdAt());
        Destination storage = b.destinations().get("inkit_storage");
        assertEquals(1, storage.count());
        assertEquals(1, storage.completed());
        assertEquals(0, storage.failed());
        assertEquals(0, storage.inProgress());
        assertEquals("completed", storage.status());
        assertTrue(b.isFinished());
        assertEquals(0, b.failedDocuments());
    }

    @Test
    void statusWordsKeepTheirCaseAndCompareWithoutIt() throws Exception {
        Batch b = parse(TestBatches.DOCUMENTED_EXAMPLE);
        assertTrue(b.statusIs("COMPLETED"));
        assertTrue(b.destinations().get("inkit_storage").statusIs("Completed"));
        assertFalse(b.statusIs("failed"));
    }

    @Test
    void keepsUndocumentedDestinationsInInkitsOrder() throws Exception {
        Batch b = parse(batch(
                "fb_1", 3, dest("zoho_sign", 3, 3, 0, 0), dest("inkit_storage", 3, 3, 0, 0), dest("box", 3, 2, 1, 0)));
        assertEquals(
                List.of("zoho_sign", "inkit_storage", "box"),
                List.copyOf(b.destinations().keySet()));
        assertEquals(1, b.failedDocuments());
    }

    @Test
    void unusedDestinationsMayBeNullEmptyOrAbsent() throws Exception {
        Batch b = parse("{\"id\": \"fb_1\", \"total\": 2, \"destinations\": {\"salesforce\": null, \"box\": {},"
                + " \"inkit_storage\": {\"count\": 2, \"completed\": 2, \"failed\": 0, \"in_progress\": 0}}}");
        assertEquals(List.of("inkit_storage"), List.copyOf(b.destinations().keySet()));
        assertTrue(b.isFinished());

        Batch none = parse("{\"id\": \"fb_1\", \"total\": 2}");
        assertTrue(none.destinations().isEmpty());
        assertFalse(none.isFinished(), "documents not yet counted by any destination");

        Batch nullDestinations = parse("{\"id\": \"fb_1\", \"total\": 0, \"destinations\": null}");
        assertTrue(nullDestinations.isFinished(), "an empty batch has nothing to wait for");
    }

    @Test
    void missingPartsCountAsZeroAndAMissingCountIsTheSumOfItsParts() throws Exception {
        Batch b = parse("{\"id\": \"fb_1\", \"destinations\": {\"box\": {\"completed\": 2, \"failed\": null}}}");
        Destination box = b.destinations().get("box");
        assertEquals(2, box.count());
        assertEquals(0, box.failed());
        assertNull(b.total());
        assertNull(b.name());
        assertTrue(b.isFinished());
    }

    @Test
    void ignoresUnknownFields() throws Exception {
        Batch b = parse("{\"id\": \"fb_1\", \"total\": 1, \"flows\": [1, 2], \"destinations\": {\"box\": "
                + "{\"count\": 1, \"completed\": 1, \"failed\": 0, \"in_progress\": 0, \"extra\": {\"a\": 1}}}}");
        assertTrue(b.isFinished());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"id\": \"fb_1\", \"total\": -1}",
                "{\"id\": \"fb_1\", \"total\": 1.5}",
                "{\"id\": \"fb_1\", \"total\": \"3\"}",
                "{\"id\": \"fb_1\", \"total\": 1, \"destinations\": {\"box\": {\"count\": 1, \"completed\": -1}}}",
                "{\"id\": \"fb_1\", \"total\": 5, \"destinations\": {\"box\": {\"count\": 2, \"completed\": 2, \"failed\": 1}}}",
                "{\"id\": \"fb_1\", \"total\": 1, \"destinations\": {\"box\": {\"count\": 2, \"completed\": 2}}}",
                "{\"id\": \"fb_1\", \"total\": 1, \"destinations\": {\"box\": {\"count\": 99999999999999999999999}}}",
                "{\"id\": \"fb_1\", \"total\": 1, \"destinations\": [1]}",
                "{\"id\": \"fb_1\", \"total\": 1, \"destinations\": {\"box\": 3}}",
                "{\"id\": \"fb_1\", \"total\": 1, \"total\": 2}",
                "{\"id\": \"fb_1\", \"name\": {\"a\": 1}}",
                "{\"name\": \"no id\"}",
                "{\"id\": \"\"}",
                "[1, 2]",
                "{\"id\": \"fb_1\", \"total\": 1",
                "{\"id\": \"fb_1\"} {\"id\": \"fb_2\"}",
                "<html><body>Bad gateway</body></html>",
                ""
            })
    void refusesWhatCannotBeTrue(String json) {
        InkitException e = assertThrows(InkitException.class, () -> parse(json));
        assertEquals(InkitException.Kind.UNTRUSTED_RESPONSE, e.kind());
        assertTrue(e.getMessage().startsWith("Inkit's answer cannot be trusted: "), e.getMessage());
    }

    @Test
    void saysWhichFieldIsWrong() {
        InkitException e = assertThrows(
                InkitException.class,
                () -> parse(
                        "{\"id\": \"fb_1\", \"total\": 5, \"destinations\": {\"box\": {\"count\": 2, \"completed\": 2, \"failed\": 1}}}"));
        assertEquals(
                "Inkit's answer cannot be trusted: destination 'box' has 2 completed + 1 failed + 0 in progress, more than its count of 2.",
                e.getMessage());
        InkitException negative = assertThrows(InkitException.class, () -> parse("{\"id\": \"fb_1\", \"total\": -3}"));
        assertTrue(negative.getMessage().contains("'total' is -3; a count cannot be negative"), negative.getMessage());
    }
}
