package io.jenkins.plugins.inkit.client.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.LaunchTesting;
import io.jenkins.plugins.inkit.client.json.FlowsFile;
import io.jenkins.plugins.inkit.client.json.PipelineFlows;
import io.jenkins.plugins.inkit.client.text.MergeWords;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a launch sends, from a Pipeline's maps or a flows file, and how bad input is told without personal data. */
class LaunchRequestTest {

    static final String PII_NAME = LaunchTesting.PII_NAME;
    static final String PII_EMAIL = LaunchTesting.PII_EMAIL;
    static final ObjectMapper JSON = new ObjectMapper();

    static Map<String, Object> customer() {
        return LaunchTesting.customer();
    }

    static Map<String, Object> flow(String flowId, String name, List<?> parameters) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("flowId", flowId);
        if (name != null) {
            f.put("name", name);
        }
        f.put("mergeParameters", parameters);
        return f;
    }

    static JsonNode body(LaunchRequest r) throws Exception {
        return JSON.readTree(r.body());
    }

    /** The message names where, never what: no merge parameter value in it. */
    static InkitException invalid(List<?> flows, String expected) {
        InkitException e = assertThrows(InkitException.class, () -> PipelineFlows.read(flows));
        assertEquals(InkitException.Kind.INVALID_INPUT, e.kind());
        assertEquals(expected, e.getMessage());
        assertNoPersonalData(e.getMessage());
        return e;
    }

    static void assertNoPersonalData(String text) {
        assertFalse(text.contains(PII_NAME) || text.contains("Launchperson"), text);
        assertFalse(text.contains(PII_EMAIL), text);
    }

    @Test
    void fromPipelineMapsInInkitsFieldNames() throws Exception {
        Map<String, Object> doc = customer();
        doc.put("amount", new BigDecimal("10.50"));
        doc.put("count", 3);
        doc.put("vip", true);
        doc.put("note", null);
        doc.put("greeting", new StringBuilder("Dear ").append("customer")); // a GString is a CharSequence
        doc.put("lines", List.of(Map.of("sku", "A1"), 2.5));
        LaunchRequest r = PipelineFlows.read(List.of(
                        flow("flow_1", "Statement", List.of(doc, customer())),
                        flow(" flow_2 ", null, List.of(customer()))))
                .withName("November statements")
                .withDescription("Monthly");
        assertEquals(2, r.flowCount());
        assertEquals(3, r.documentCount());
        assertEquals("November statements", r.name());
        JsonNode body = body(r);
        assertEquals("November statements", body.get("name").asText());
        assertEquals("Monthly", body.get("description").asText());
        JsonNode first = body.get("flows").get(0);
        assertEquals("flow_1", first.get("flow_id").asText());
        assertEquals("Statement", first.get("name").asText());
        JsonNode sent = first.get("merge_parameters").get(0);
        assertEquals(PII_NAME, sent.get("customer_name").asText(), "sent as given");
        assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("\"amount\":10.50"), "numbers as given");
        assertEquals(3, sent.get("count").asInt());
        assertTrue(sent.get("vip").asBoolean());
        assertTrue(sent.get("note").isNull());
        assertEquals("Dear customer", sent.get("greeting").asText());
        assertEquals("A1", sent.get("lines").get(0).get("sku").asText());
        assertEquals("flow_2", body.get("flows").get(1).get("flow_id").asText(), "stripped");
        assertFalse(body.get("flows").get(1).has("name"));
        assertNoPersonalData(r.toString());
        assertEquals("LaunchRequest[name='November statements', 2 flow(s), 3 document(s)]", r.toString());
    }

    @Test
    void withoutNameOrDescriptionNeitherIsSent() throws Exception {
        LaunchRequest r = PipelineFlows.read(List.of(flow("flow_1", null, List.of(customer()))));
        assertNull(r.name());
        assertFalse(body(r).has("name"));
        assertFalse(body(r).has("description"));
        assertSame(r, r.withName(null));
        assertSame(r, r.withName("  "));
        assertSame(r, r.withDescription(null));
        byte[] copy = r.body();
        copy[0] = 'x';
        assertEquals('{', r.body()[0], "body() is a copy");
    }

    @Test
    void pipelineInputProblemsNameTheFlowAndFieldNeverAValue() {
        invalid(
                null,
                "No flows to launch: give flows, a list of maps with flowId and mergeParameters (a list with one map"
                        + " of merge parameters per document).");
        invalid(
                List.of(),
                "No flows to launch: give flows, a list of maps with flowId and mergeParameters (a list"
                        + " with one map of merge parameters per document).");
        invalid(List.of("flow_1"), "flows[0] is a text, not a map with flowId, name and mergeParameters.");
        Map<String, Object> noId = flow("flow_1", null, List.of(customer()));
        noId.remove("flowId");
        invalid(
                List.of(flow("flow_0", null, List.of(customer())), noId),
                "flows[1].flowId is missing: each flow" + " needs the ID of an Inkit flow.");
        invalid(
                List.of(flow("  ", null, List.of(customer()))),
                "flows[0].flowId is blank: each flow needs the ID of" + " an Inkit flow.");
        Map<String, Object> numericId = flow("x", null, List.of(customer()));
        numericId.put("flowId", 42);
        invalid(List.of(numericId), "flows[0].flowId is a number; it must be a text.");
        Map<String, Object> typo = flow("flow_1", null, List.of(customer()));
        typo.put("merge_parameters", List.of(customer()));
        invalid(
                List.of(typo),
                "flows[0] has the key 'merge_parameters'; a flow takes flowId, name and mergeParameters.");
        Map<String, Object> none = flow("flow_1", null, null);
        invalid(
                List.of(none),
                "flows[0].mergeParameters is missing: give a list with one map of merge parameters" + " per document.");
        invalid(
                List.of(flow("flow_1", null, List.of())),
                "flows[0].mergeParameters is empty: give one map of merge parameters per document.");
        Map<String, Object> asMap = flow("flow_1", null, null);
        asMap.put("mergeParameters", customer());
        invalid(
                List.of(asMap),
                "flows[0].mergeParameters is a map, not a list with one map of merge parameters per" + " document.");
        invalid(
                List.of(flow("flow_1", null, Arrays.asList(customer(), PII_NAME))),
                "flows[0].mergeParameters[1] is a text, not a map of merge parameters.");
        Map<String, Object> odd = customer();
        odd.put("born", new java.util.Date());
        invalid(
                List.of(flow("flow_1", null, List.of(odd))),
                "flows[0].mergeParameters[0].born is a value of type java.util.Date, which cannot be sent as JSON:"
                        + " use texts, numbers, booleans, lists and maps.");
        Map<String, Object> nan = customer();
        nan.put("score", Double.NaN);
        invalid(
                List.of(flow("flow_1", null, List.of(nan))),
                "flows[0].mergeParameters[0].score is a number that is not finite (NaN or infinity), which JSON"
                        + " cannot hold.");
        Map<Object, Object> badKey = new HashMap<>(customer());
        badKey.put(7, PII_NAME);
        invalid(
                List.of(flow("flow_1", null, List.of(badKey))),
                "flows[0].mergeParameters[0] has a key that is a number; the keys of merge parameters must be texts.");
        Map<String, Object> loop = customer();
        List<Object> self = new ArrayList<>();
        self.add(self);
        loop.put("loop", self);
        InkitException deep = assertThrows(
                InkitException.class, () -> PipelineFlows.read(List.of(flow("flow_1", null, List.of(loop)))));
        assertTrue(deep.getMessage().contains("nested more than 64 levels deep"), deep.getMessage());
    }

    @Test
    void aKeyThatIsNoFieldNameIsNeverQuoted() {
        // A value put where a name belongs: an email, a long number, a name with spaces.
        for (String key : List.of(PII_EMAIL, "4111111111111111", "x123-45-6789", PII_NAME + " Jr", "x".repeat(41))) {
            Map<String, Object> flow = flow("flow_1", null, List.of(customer()));
            flow.put(key, "x");
            InkitException e = invalid(
                    List.of(flow),
                    "flows[0] has a key whose name is not shown (it does not look like a field name); a flow takes"
                            + " flowId, name and mergeParameters.");
            assertFalse(e.getMessage().contains(key), e.getMessage());
            Map<String, Object> doc = customer();
            doc.put(key, new java.util.Date());
            invalid(
                    List.of(flow("flow_1", null, List.of(doc))),
                    "flows[0].mergeParameters[0].[key] is a value of type java.util.Date, which cannot be sent as"
                            + " JSON: use texts, numbers, booleans, lists and maps.");
            badFile(
                    "{\"flows\": [], \"" + key + "\": 1}",
                    "The flows file 'batch.json' has a field whose name is not shown (it does not look like a field"
                            + " name); a request takes name, description and flows.");
        }
        // A field name is said as it is, so that the user sees which one to fix.
        badFile(
                "[{\"flow_id\": \"f\", \"merge_parameters\": [" + DOC + "], \"customer-2.id\": 1}]",
                "The flows file 'batch.json': flows[0] has the field 'customer-2.id'; a flow takes Inkit's fields"
                        + " flow_id, name and merge_parameters.");
    }

    static LaunchRequest file(String json) throws InkitException {
        return FlowsFile.read(json.getBytes(StandardCharsets.UTF_8), "the flows file 'batch.json'");
    }

    static InkitException badFile(String json, String expected) {
        InkitException e = assertThrows(InkitException.class, () -> file(json));
        assertEquals(InkitException.Kind.INVALID_INPUT, e.kind());
        assertEquals(expected, e.getMessage());
        assertNoPersonalData(e.getMessage());
        return e;
    }

    static final String DOC =
            "{\"customer_name\": \"" + PII_NAME + "\", \"email\": \"" + PII_EMAIL + "\", \"amount\": 10.50}";

    @Test
    void aFlowsFileInInkitsNamesOrAWholeBody() throws Exception {
        LaunchRequest list = file("[{\"flow_id\": \"flow_1\", \"name\": \"Statement\", \"merge_parameters\": [" + DOC
                + ", " + DOC + "]}, {\"flow_id\": \"flow_2\", \"merge_parameters\": [" + DOC + "]}]");
        assertEquals(2, list.flowCount());
        assertEquals(3, list.documentCount());
        assertNull(list.name());
        JsonNode sent = body(list);
        assertEquals("flow_1", sent.get("flows").get(0).get("flow_id").asText());
        assertTrue(new String(list.body(), StandardCharsets.UTF_8).contains("\"amount\":10.50"));

        LaunchRequest whole = file("{\"name\": \"From file\", \"description\": \"desc\", \"flows\": [{\"flow_id\":"
                + " \"flow_1\", \"merge_parameters\": [" + DOC + "]}]}");
        assertEquals("From file", whole.name());
        assertEquals("desc", whole.description());
        LaunchRequest renamed = whole.withName("Given").withDescription(null);
        assertEquals("Given", body(renamed).get("name").asText());
        assertEquals("desc", body(renamed).get("description").asText());
        assertArrayEquals(
                body(whole).get("flows").toString().getBytes(StandardCharsets.UTF_8),
                body(renamed).get("flows").toString().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aMalformedFileSaysWhereWithoutQuotingIt() {
        badFile(
                "[{\"flow_id\": \"flow_1\",\n \"merge_parameters\": [{\"customer_name\": " + PII_NAME + "}]}]",
                "The flows file 'batch.json' is not valid JSON at line 2, column 41: check the syntax there.");
        badFile(
                "[{\"flow_id\": \"flow_1\", \"merge_parameters\": [{\"email\": \"" + PII_EMAIL + "\"",
                "The flows file 'batch.json' is not valid JSON: it ends in the middle of a value at line 1,"
                        + " column 85.");
        badFile(
                "[] " + PII_NAME,
                "The flows file 'batch.json' is not valid JSON at line 1, column 4: check the syntax there.");
        badFile(
                "",
                "The flows file 'batch.json' is empty: it must hold the flows, [{\"flow_id\": ...,"
                        + " \"merge_parameters\": [...]}], or a whole request, {\"name\": ..., \"flows\": [...]}.");
    }

    @Test
    void aFileOfTheWrongShapeNamesTheFlowAndField() {
        badFile("[]", "The flows file 'batch.json' has no flows: the list of flows is empty.");
        badFile(
                "\"" + PII_NAME + "\"",
                "The flows file 'batch.json' holds a text: it must hold the flows, a list,"
                        + " or a whole request, a map with flows.");
        badFile(
                "{\"name\": \"x\"}",
                "The flows file 'batch.json' has no 'flows': a request is {\"name\": ...,"
                        + " \"flows\": [{\"flow_id\": ..., \"merge_parameters\": [...]}]}.");
        badFile(
                "{\"flows\": [], \"extra\": 1}",
                "The flows file 'batch.json' has the field 'extra'; a request takes" + " name, description and flows.");
        badFile("{\"name\": 3, \"flows\": []}", "The flows file 'batch.json': 'name' is a number; it must be a text.");
        badFile(
                "[{\"flowId\": \"flow_1\", \"mergeParameters\": [" + DOC + "]}]",
                "The flows file 'batch.json': flows[0] has the field 'flowId'; a flow takes Inkit's fields flow_id,"
                        + " name and merge_parameters.");
        badFile(
                "[{\"flow_id\": \"flow_1\", \"merge_parameters\": [" + DOC + "]}, {\"merge_parameters\": [" + DOC
                        + "]}]",
                "The flows file 'batch.json': flows[1].flow_id is missing: each flow needs the ID of an Inkit flow.");
        badFile(
                "[{\"flow_id\": 5, \"merge_parameters\": [" + DOC + "]}]",
                "The flows file 'batch.json': flows[0].flow_id is a number; it must be the ID of an Inkit flow, a"
                        + " text.");
        badFile(
                "[{\"flow_id\": \"f\", \"merge_parameters\": [" + DOC + ", \"" + PII_EMAIL + "\"]}]",
                "The flows file 'batch.json': flows[0].merge_parameters[1] is a text, not a map of merge parameters.");
        badFile(
                "[{\"flow_id\": \"f\", \"merge_parameters\": []}]",
                "The flows file 'batch.json': flows[0].merge_parameters is empty: give one map of merge parameters"
                        + " per document.");
        badFile(
                "[{\"flow_id\": \"f\", \"merge_parameters\": " + DOC + "}]",
                "The flows file 'batch.json': flows[0].merge_parameters is a map, not a list with one map of merge"
                        + " parameters per document.");
        badFile(
                "[7]",
                "The flows file 'batch.json': flows[0] is a number, not a map with flow_id, name and"
                        + " merge_parameters.");
    }

    @Test
    void tenThousandDocumentsAreCountedAndSentWhole() throws Exception {
        StringBuilder json = new StringBuilder(
                "{\"name\": \"Big\", \"flows\": [{\"flow_id\": \"flow_big\"," + " \"merge_parameters\": [");
        for (int i = 0; i < 10_000; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"n\": ")
                    .append(i)
                    .append(", \"email\": \"c")
                    .append(i)
                    .append("@example.org\"}");
        }
        json.append("]}]}");
        LaunchRequest r = file(json.toString());
        assertEquals(10_000, r.documentCount());
        JsonNode docs = body(r).get("flows").get(0).get("merge_parameters");
        assertEquals(10_000, docs.size());
        assertEquals(9_999, docs.get(9_999).get("n").asInt());
        assertEquals("LaunchRequest[name='Big', 1 flow(s), 10000 document(s)]", r.toString());
    }

    @Test
    void theWordsOfTheMergeParametersAreKnownForBlankingOutEchoes() throws Exception {
        LaunchRequest r = file("{\"name\": \"Statements\", \"flows\": [{\"flow_id\": \"flow_1\", \"name\":"
                + " \"Statement\", \"merge_parameters\": [" + DOC
                + ", {\"nested\": {\"list\": [\"Zo\u00eb-Marie\"]}}]}]}");
        MergeWords words = r.mergeWords();
        for (String word : List.of("Ada", "LAUNCHPERSON", "ada", "example", "org", "zoe", "MARIE")) {
            assertTrue(words.containsWord(word), word);
        }
        assertFalse(words.containsWord("Statements"), "the batch's name is not one");
        assertFalse(words.containsWord("Statement"), "nor the flow's");
        assertFalse(words.containsWord("flow_1"));
        assertFalse(words.containsWord("customer_name"), "keys are not values");
        assertFalse(words.containsWord("10"), "numbers are blanked anyway");
        assertSame(words, r.mergeWords(), "read once");
        assertTrue(words.containsWord("Launchperson"), "the same from a request renamed");
        assertTrue(r.withName("Other").mergeWords().containsWord("Launchperson"));
    }
}
