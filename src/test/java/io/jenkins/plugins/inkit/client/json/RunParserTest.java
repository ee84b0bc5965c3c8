package io.jenkins.plugins.inkit.client.json;

import static io.jenkins.plugins.inkit.client.TestRuns.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.TestClients;
import io.jenkins.plugins.inkit.client.TestRuns;
import io.jenkins.plugins.inkit.client.model.RunPage;
import io.jenkins.plugins.inkit.client.text.PersonalData;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A page of Inkit's list of workflow runs, in every shape its undocumented parts might take. */
class RunParserTest {

    static final Instant T = Instant.parse("2026-11-29T10:00:05.123456Z");

    static RunPage.Run single(String run) throws InkitException {
        RunPage page = parse(TestRuns.page(1, 1, List.of(run)));
        assertEquals(1, page.runs().size());
        return page.runs().get(0);
    }

    static Map<String, String> map(String... nameThenError) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenError.length; i += 2) {
            m.put(nameThenError[i], nameThenError[i + 1]);
        }
        return m;
    }

    @Test
    void readsTheDocumentedFieldsOfAFailedRun() throws Exception {
        RunPage.Run r = single(TestRuns.failed("rend_0151", "fb_1", T, "INVALID_FIELD: bad value"));
        assertEquals("rend_0151", r.id());
        assertEquals("flow_1", r.flowId());
        assertEquals("Monthly statement", r.flowName());
        assertEquals("fb_1", r.batchId());
        assertEquals(T.toString(), r.createdAt());
        assertEquals(T, r.created());
        assertTrue(r.failed());
        assertEquals(map("salesforce", "INVALID_FIELD: bad value"), r.failedDestinations());
        assertNull(r.unreadable());
        assertFalse(single(TestRuns.ok("rend_1", "fb_1", T)).failed());
    }

    @Test
    void failedIsReadFromAnyStatusInAnyCase() throws Exception {
        for (String word : List.of("failed", "FAILED", "Error", " failure ")) {
            RunPage.Run byRun = single(TestRuns.run("rend_1", "fb_1", T, word));
            assertTrue(byRun.failed(), word);
            assertEquals(Map.of(), byRun.failedDestinations(), "no destination named: " + word);
            assertTrue(
                    single(TestRuns.run("rend_1", "fb_1", T, "completed", "\"box\": \"" + word + "\""))
                            .failed(),
                    word);
        }
        for (String word : List.of("completed", "Completed", "in_progress", "queued", "failed_over", "")) {
            assertFalse(
                    single(TestRuns.run("rend_1", "fb_1", T, word, "\"box\": {\"status\": \"" + word + "\"}"))
                            .failed(),
                    word);
        }
    }

    @Test
    void unknownDestinationNamesAndStatusesAreKept() throws Exception {
        RunPage.Run r = single(TestRuns.run(
                "rend_1",
                "fb_1",
                T,
                "partially_delivered",
                "\"acme_archive\": {\"status\": \"Failure\", \"reason\": \"quota exceeded\"}",
                "\"pigeon_post\": {\"status\": \"delayed\"}",
                "\"sharepoint\": \"ERROR\"",
                "\"unused\": null"));
        assertTrue(r.failed());
        assertEquals(map("acme_archive", "quota exceeded", "sharepoint", null), r.failedDestinations());
        assertEquals(
                List.of("acme_archive", "sharepoint"),
                List.copyOf(r.failedDestinations().keySet()),
                "Inkit's order");
    }

    @Test
    void theErrorTextIsTheFirstStringAmongTheKnownFields() throws Exception {
        String[][] cases = {
            {"\"error\": \"E\", \"message\": \"M\"", "E"},
            {"\"error\": {\"code\": 42, \"message\": \"nested\"}, \"detail\": \"D\"", "nested"},
            {"\"error\": {\"code\": 42}, \"detail\": \"D\"", "D"},
            {"\"error\": null, \"error_message\": \"EM\", \"message\": \"M\"", "EM"},
            {"\"error\": 17, \"message\": \"M\"", "M"},
            {"\"error\": \"  \", \"reason\": \"R\"", "R"},
            {"\"code\": \"X\"", null},
        };
        for (String[] c : cases) {
            RunPage.Run r = single(
                    TestRuns.run("rend_1", "fb_1", T, "failed", "\"box\": {\"status\": \"failed\", " + c[0] + "}"));
            assertEquals(map("box", c[1]), r.failedDestinations(), c[0]);
        }
    }

    @Test
    void destinationStatusMayBeAnObjectAndNamesDestinationsWithTheirErrors() throws Exception {
        String run = "{\"id\": \"rend_1\", \"flows_batch_id\": \"fb_1\", \"status\": \"completed\","
                + " \"destination_status\": {\"docusign\": \"failed\", \"box\": \"completed\", \"s3\": null},"
                + " \"destinations\": {\"docusign\": {\"status\": \"sent\", \"message\": \"envelope voided\"}}}";
        RunPage.Run r = single(run);
        assertTrue(r.failed());
        assertEquals(map("docusign", "envelope voided"), r.failedDestinations());
        assertNull(r.createdAt());
        assertNull(r.created(), "no time: never taken as older than the batch");
    }

    @Test
    void errorTextsAreShortPrintableAndWithoutTheToken() throws Exception {
        String token = TestClients.TOKEN;
        String error = "line one\\r\\n\\u001b[31mline two\\t" + token + " " + "x".repeat(500);
        RunPage.Run r = single(TestRuns.run(
                "rend_" + token,
                "fb_1",
                T,
                "failed",
                "\"" + token + "\": {\"status\": \"failed\", \"error\": \"" + error + "\"}"));
        assertEquals("rend_****", r.id());
        String text = r.failedDestinations().get("****");
        // The escape's parameters are left as text, a number in it blanked by the rule.
        assertTrue(text.startsWith("line one [[number] two **** xxx"), text);
        assertEquals(201, text.length(), "200 characters and the ellipsis: " + text);
        assertTrue(text.endsWith("…"), text);

        // A token cut by the 200 characters is still blanked out: it is removed before the cut.
        String cut = "y".repeat(195) + token;
        RunPage.Run atTheEdge = single(TestRuns.failed("rend_2", "fb_1", T, cut));
        String edge = atTheEdge.failedDestinations().get("salesforce");
        assertEquals("y".repeat(195) + "****", edge);
        assertFalse(edge.contains(token.substring(0, 5)), edge);
    }

    @Test
    void mergeParametersAreNeverKept() throws Exception {
        RunPage page = parse(TestRuns.page(
                1,
                1,
                List.of(
                        TestRuns.failed("rend_1", "fb_1", T, "bad"),
                        // Even where no merge parameters should be: inside a destination.
                        TestRuns.run(
                                "rend_2",
                                "fb_1",
                                T,
                                "failed",
                                "\"box\": {\"status\": \"failed\", " + TestRuns.MERGE_PARAMETERS + "}"))));
        String everything = page.toString();
        for (String pii : List.of(TestRuns.PII_NAME, TestRuns.PII_EMAIL, TestRuns.PII_IBAN)) {
            assertFalse(everything.contains(pii), everything);
        }
        assertEquals(map("box", null), page.runs().get(1).failedDestinations());
        assertTrue(PersonalData.isMergeParameters("merge_parameters")
                && PersonalData.isMergeParameters("mergeParameters"));
    }

    @Test
    void aRunThatCannotBeReadIsMarkedNotFatal() throws Exception {
        RunPage page = parse(TestRuns.page(
                1,
                1,
                List.of(
                        "\"just a string\"",
                        "{\"id\": \"rend_1\", \"flows_batch_id\": 7}",
                        "{\"id\": \"rend_2\", \"flows_batch_id\": \"fb_1\", \"destinations\": [\"box\"]}",
                        "{\"id\": \"rend_3\", \"flows_batch_id\": \"fb_1\", \"destinations\": {\"box\": 3}}",
                        "{\"id\": \"rend_4\", \"flows_batch_id\": \"fb_1\", \"destination_status\": 3}",
                        "{\"id\": {\"x\": 1}, \"flows_batch_id\": \"fb_1\"}",
                        "{\"flows_batch_id\": \"fb_1\", \"status\": \"failed\"}",
                        TestRuns.ok("rend_5", "fb_1", T))));
        List<String> why = page.runs().stream().map(RunPage.Run::unreadable).toList();
        assertEquals(
                java.util.Arrays.asList(
                        "it is not an object",
                        "its 'flows_batch_id' is not a string",
                        "its 'destinations' is not an object",
                        "a destination is neither an object nor a status",
                        "its 'destination_status' is neither a status nor an object",
                        "its 'id' is not a plain value",
                        "it has no 'id'",
                        null),
                why);
        assertNull(page.runs().get(1).batchId(), "unknown, not another batch's");
        assertEquals("fb_1", page.runs().get(2).batchId());
    }

    @Test
    void aPageThatIsNotTheDocumentedShapeCannotBeTrustedAndIsNotQuoted() {
        String[][] cases = {
            {"[]", "it is not a JSON object"},
            {"{\"data\": []}", "it has no 'items' list"},
            {"{\"items\": {\"id\": \"" + TestRuns.PII_NAME + "\"}}", "it has no 'items' list"},
            {"{\"items\": [], \"metadata\": []}", "'metadata' is not an object"},
            {"{\"items\": [], \"metadata\": {\"pagination\": 3}}", "'metadata.pagination' is not an object"},
            {
                "{\"items\": [], \"metadata\": {\"pagination\": {\"current_page\": 2}}}",
                "it is page 2 when page 1 was asked for"
            },
            {
                "{\"items\": [], \"metadata\": {\"pagination\": {\"next_page\": \"two\"}}}",
                "'metadata.pagination.next_page' is not a whole number"
            },
            {"{\"items\": [{\"id\": \"" + TestRuns.PII_NAME + "\", }]}", "it is not valid JSON (line 1, column"},
            {"{\"items\": [], \"items\": []}", "it is not valid JSON"},
            {"{\"items\": []} " + TestRuns.PII_NAME, "it is not valid JSON"},
            {"", "it is empty"},
        };
        for (String[] c : cases) {
            InkitException e = assertThrows(InkitException.class, () -> parse(c[0]), c[0]);
            assertEquals(InkitException.Kind.UNTRUSTED_RESPONSE, e.kind(), c[0]);
            assertTrue(
                    e.getMessage().startsWith("Inkit's list of workflow runs cannot be trusted: " + c[1]),
                    e.getMessage());
            assertFalse(e.getMessage().contains(TestRuns.PII_NAME), e.getMessage());
        }
    }

    @Test
    void theNextPageIsToldByNextPageElsePageCountElseAFullPage() throws Exception {
        assertTrue(parse(TestRuns.page(1, 2, List.of())).hasNext());
        assertFalse(parse(TestRuns.page(1, 1, List.of())).hasNext());
        assertTrue(parse("{\"items\": [], \"metadata\": {\"pagination\": {\"page_count\": 3}}}")
                .hasNext());
        assertFalse(parse("{\"items\": [], \"metadata\": {\"pagination\": {\"page_count\": 1}}}")
                .hasNext());
        String full = "{\"items\": [" + String.join(", ", java.util.Collections.nCopies(100, TestRuns.ok("r", null, T)))
                + "]}";
        assertTrue(parse(full).hasNext(), "a full page without pagination may have a next one");
        assertFalse(parse("{\"items\": [" + TestRuns.ok("r", null, T) + "]}").hasNext());
    }

    @Test
    void anErrorTextThatQuotesPersonalDataHasItBlankedOut() throws Exception {
        // Salesforce quotes the value it refused; the value comes from the run's merge parameters.
        RunPage page = parse(TestRuns.page(
                1,
                1,
                List.of(
                        TestRuns.failed(
                                "rend_1",
                                "fb_1",
                                T,
                                "INVALID_EMAIL_ADDRESS: Email: invalid email address: " + TestRuns.PII_EMAIL),
                        TestRuns.failed(
                                "rend_2",
                                "fb_1",
                                T,
                                "STRING_TOO_LONG: Name: data value too large: " + TestRuns.PII_NAME
                                        + " (max length=8); IBAN " + TestRuns.PII_IBAN),
                        // An address that is not among its merge parameters is still an address.
                        TestRuns.failed("rend_3", "fb_1", T, "bounced: someone.else@example.net"))));
        assertEquals(
                "INVALID_EMAIL_ADDRESS: Email: invalid email address: [personal data]",
                page.runs().get(0).failedDestinations().get("salesforce"));
        assertEquals(
                "STRING_TOO_LONG: Name: data value too large: [personal data] [personal data] (max length=[number]);"
                        + " IBAN [number]",
                page.runs().get(1).failedDestinations().get("salesforce"));
        assertEquals(
                "bounced: [personal data]",
                page.runs().get(2).failedDestinations().get("salesforce"));
        String everything = page.toString();
        for (String pii : List.of(TestRuns.PII_NAME, TestRuns.PII_EMAIL, TestRuns.PII_IBAN)) {
            assertFalse(everything.contains(pii), everything);
        }
    }

    @Test
    void theRuleAppliesOnceTheMergeParametersAreKnownWhereverTheyCome() throws Exception {
        String error = "Contact Ann Lee rejected: phone (555) 010-9999, born 02/01/1990";
        String params = "{\"first\": \"Ann\", \"last\": \"Lee\", \"phone\": \"5550109999\", \"born\": \"1990-01-02\"}";
        String expected = "Contact [personal data] [personal data] rejected: phone [number], born [number]";
        String[] runs = {
            // After the destinations, as Inkit may send them.
            "{\"id\": \"rend_1\", \"destinations\": {\"box\": {\"status\": \"failed\", \"error\": \"" + error
                    + "\"}}, \"merge_parameters\": " + params + "}",
            // Before them, spelt otherwise.
            "{\"MERGE-PARAMETERS\": [" + params + "], \"id\": \"rend_1\", \"destinations\": {\"box\":"
                    + " {\"status\": \"failed\", \"detail\": \"" + error + "\"}}}",
            // Within the destination, or deeper in a field nobody reads.
            "{\"id\": \"rend_1\", \"destinations\": {\"box\": {\"status\": \"failed\", \"error\": {\"message\": \""
                    + error + "\", \"mergeParameters\": " + params + "}}}, \"extra\": [{\"merge_parameters\": 1}]}",
            "{\"id\": \"rend_1\", \"extra\": {\"input\": {\"merge_parameters\": [" + params + "]}},"
                    + " \"destinations\": {\"box\": {\"status\": \"failed\", \"reason\": \"" + error + "\"}}}",
        };
        for (String run : runs) {
            assertEquals(map("box", expected), single(run).failedDestinations(), run);
        }
        // Without merge parameters, numbers and addresses are still blanked; names are words like others.
        assertEquals(
                map("box", "Contact Ann Lee ([personal data]) rejected: phone [number]"),
                single("{\"id\": \"rend_1\", \"destinations\": {\"box\": {\"status\": \"failed\", \"error\":"
                                + " \"Contact Ann Lee (ann@example.org) rejected: phone 555-0109\"}}}")
                        .failedDestinations());
    }

    @Test
    void aRunKeepsAtMostTwentyFailedDestinationsAndNoFormatCharacters() throws Exception {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            many.append(i == 0 ? "" : ", ").append("\"d").append(i).append("\": \"failed\"");
        }
        RunPage page = parse(TestRuns.page(
                1,
                1,
                List.of(
                        TestRuns.run("rend_1", "fb_1", T, "failed", many.toString()),
                        TestRuns.failed("rend_2", "fb_1", T, "abc\u202edcba\u200f"))));
        assertEquals(
                RunParser.MAX_DESTINATIONS,
                page.runs().get(0).failedDestinations().size());
        assertEquals("abcdcba", page.runs().get(1).failedDestinations().get("salesforce"), "no reordering marks");
    }
}
