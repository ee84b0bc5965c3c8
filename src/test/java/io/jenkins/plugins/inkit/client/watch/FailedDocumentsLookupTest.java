package io.jenkins.plugins.inkit.client.watch;

import static io.jenkins.plugins.inkit.client.TestBatches.batch;
import static io.jenkins.plugins.inkit.client.TestBatches.dest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.inkit.client.Cancellation;
import io.jenkins.plugins.inkit.client.InkitClient;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.MockInkitTest;
import io.jenkins.plugins.inkit.client.TestBatches;
import io.jenkins.plugins.inkit.client.TestClients;
import io.jenkins.plugins.inkit.client.TestRuns;
import io.jenkins.plugins.inkit.client.model.Batch;
import io.jenkins.plugins.inkit.client.model.FailedDocument;
import io.jenkins.plugins.inkit.client.model.FailedDocuments;
import io.jenkins.plugins.inkit.client.report.BatchMaps;
import io.jenkins.plugins.inkit.client.report.BatchReport;
import io.jenkins.plugins.inkit.client.report.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** Paging through the run list for a batch's failed runs: the stop conditions, the failures, the retries. */
class FailedDocumentsLookupTest extends MockInkitTest {

    static final String ID = "fb_1";
    /** The batch's creation, as {@link TestBatches#batch} gives it. */
    static final Instant CREATED = Instant.parse("2026-11-29T10:00:00Z");

    static final RetryPolicy RETRIES = BatchWatchTest.RETRIES;

    final List<Duration> delays = new ArrayList<>();
    final List<String> lines = new ArrayList<>();
    /** Runs made so far by {@link #others}, each older than the one before. */
    int made;

    /** A batch that finished with {@code failed} failed documents on salesforce. */
    static Batch batchWithFailures(long failed) throws InkitException {
        return TestBatches.parse(
                batch(ID, 10, dest("inkit_storage", 10, 10, 0, 0), dest("salesforce", 10, 10 - failed, failed, 0)));
    }

    /** {@code n} runs of another batch, from an hour after the batch's creation, each a second older. */
    List<String> others(int n) {
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            made++;
            runs.add(TestRuns.ok("rend_other_" + made, "fb_other", CREATED.plusSeconds(3600 - made)));
        }
        return runs;
    }

    static List<String> join(List<String> a, String... b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(List.of(b));
        return all;
    }

    void answer(int code, String body) {
        server.enqueue(new MockResponse.Builder().code(code).body(body).build());
    }

    FailedDocumentsLookup lookup(Batch batch, Duration timeLeft) {
        return new FailedDocumentsLookup(
                client, TestClients.TOKENS, batch, clock.instant().plus(timeLeft), RETRIES, clock, new Cancellation());
    }

    /** Runs the look-up to its end as the watch would, moving the clock by each delay. */
    FailedDocuments run(FailedDocumentsLookup lookup) {
        for (int i = 0; i < 50; i++) {
            FailedDocumentsLookup.Step step = lookup.step();
            if (step.isDone()) {
                return step.result();
            }
            if (step.line() != null) {
                lines.add(step.line());
            }
            if (!step.delay().isZero()) {
                delays.add(step.delay());
            }
            clock.advance(step.delay());
        }
        throw new AssertionError("the look-up did not end");
    }

    List<String> pagesAsked() throws InterruptedException {
        List<String> pages = new ArrayList<>();
        for (int i = server.getRequestCount(); i > 0; i--) {
            RecordedRequest r = server.takeRequest(1, TimeUnit.SECONDS);
            assertEquals("/v1/invoke", r.getUrl().encodedPath());
            assertEquals("100", r.getUrl().queryParameter("page_size"));
            assertEquals("-created_at", r.getUrl().queryParameter("sort"));
            pages.add(r.getUrl().queryParameter("page"));
        }
        return pages;
    }

    @Test
    void pagesThroughNewerRunsToTheBatchsFailedRunsAndStopsWhenAllAreFound() throws Exception {
        answer(200, TestRuns.page(1, 5, others(100)));
        answer(
                200,
                TestRuns.page(
                        2,
                        5,
                        join(
                                others(97),
                                TestRuns.failed("rend_0151", ID, CREATED.plusSeconds(3), "INVALID_FIELD: Postal code"),
                                TestRuns.ok("rend_0150", ID, CREATED.plusSeconds(2)),
                                TestRuns.ok("rend_single", null, CREATED.plusSeconds(2)))));
        answer(
                200,
                TestRuns.page(
                        3,
                        5,
                        List.of(
                                TestRuns.failed("rend_0149", ID, CREATED.plusSeconds(1), "REQUIRED_FIELD_MISSING"),
                                TestRuns.failed("rend_x", "fb_other", CREATED, "another batch's failure"))));
        FailedDocuments f = run(lookup(batchWithFailures(2), Duration.ofMinutes(5)));
        assertTrue(f.complete(), f.toString());
        assertNull(f.why());
        assertEquals(
                List.of("rend_0151", "rend_0149"),
                f.documents().stream().map(FailedDocument::runId).toList());
        FailedDocument first = f.documents().get(0);
        assertEquals("Monthly statement", first.flowName());
        assertEquals("flow_1", first.flowId());
        assertEquals(CREATED.plusSeconds(3).toString(), first.createdAt());
        assertEquals(Map.of("salesforce", "INVALID_FIELD: Postal code"), first.destinations());
        assertEquals(List.of("1", "2", "3"), pagesAsked(), "no page after every failure was found");
    }

    @Test
    void stopsAtAPageOfRunsOlderThanTheBatchWithAMinuteOfSlack() throws Exception {
        answer(
                200,
                TestRuns.page(
                        1,
                        10,
                        List.of(
                                TestRuns.failed("rend_1", ID, CREATED.plusSeconds(1), "bad"),
                                // Within the minute of slack: the next page may still hold the batch's runs.
                                TestRuns.ok("rend_early", "fb_other", CREATED.minusSeconds(59)))));
        answer(
                200,
                TestRuns.page(
                        2,
                        10,
                        List.of(
                                TestRuns.ok("rend_old_1", "fb_other", CREATED.minusSeconds(61)),
                                TestRuns.ok("rend_old_2", "fb_other", CREATED.minusSeconds(3600)))));
        FailedDocuments f = run(lookup(batchWithFailures(2), Duration.ofMinutes(5)));
        assertEquals(List.of("1", "2"), pagesAsked());
        assertFalse(f.complete());
        assertEquals(1, f.documents().size());
        assertEquals(
                "Inkit's list of workflow runs shows 1 of the 2 failed document generations the batch counts.",
                f.why());
    }

    @Test
    void readsTenPagesAtMost() throws Exception {
        for (int page = 1; page <= 12; page++) {
            answer(200, TestRuns.page(page, 50, others(100)));
        }
        FailedDocuments f = run(lookup(batchWithFailures(1), Duration.ofMinutes(5)));
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10"), pagesAsked());
        assertFalse(f.complete());
        assertTrue(f.documents().isEmpty());
        assertEquals(
                "the look-up stopped after 10 pages of 100 workflow runs, the most it reads, before reaching the"
                        + " batch's first run.",
                f.why());
    }

    @Test
    void stopsAtTheLastPage() throws Exception {
        // One run failed on two destinations: two failed document generations, as the batch counts them.
        answer(
                200,
                TestRuns.page(
                        1,
                        1,
                        List.of(TestRuns.run(
                                "rend_1",
                                ID,
                                CREATED,
                                "failed",
                                "\"salesforce\": {\"status\": \"failed\", \"error\": \"E1\"}",
                                "\"box\": {\"status\": \"error\"}"))));
        FailedDocuments f = run(lookup(batchWithFailures(2), Duration.ofMinutes(5)));
        assertTrue(f.complete(), f.toString());
        Map<String, String> destinations = f.documents().get(0).destinations();
        assertEquals(List.of("salesforce", "box"), List.copyOf(destinations.keySet()));
        assertEquals("[number]", destinations.get("salesforce"));
        assertNull(destinations.get("box"), "no error text given");

        answer(200, TestRuns.page(1, 1, List.of(TestRuns.failed("rend_1", ID, CREATED, "E1"))));
        FailedDocuments short1 = run(lookup(batchWithFailures(3), Duration.ofMinutes(5)));
        assertFalse(short1.complete());
        assertEquals(1, short1.documents().size());
        assertTrue(short1.why().contains("shows 1 of the 3"), short1.why());
        assertEquals(2, server.getRequestCount(), "one page each");
    }

    @Test
    void aRunSeenTwiceAsNewRunsPushItToTheNextPageCountsOnce() throws Exception {
        String failed = TestRuns.failed("rend_1", ID, CREATED.plusSeconds(5), "E1");
        answer(200, TestRuns.page(1, 2, join(others(99), failed)));
        answer(200, TestRuns.page(2, 2, List.of(failed)));
        FailedDocuments f = run(lookup(batchWithFailures(2), Duration.ofMinutes(5)));
        assertEquals(1, f.documents().size());
        assertFalse(f.complete());
    }

    @Test
    void aKeyThatMayNotListRunsLeavesTheDocumentsUnnamedAndSaysWhy() throws Exception {
        answer(403, "{\"detail\": \"Forbidden\"}");
        FailedDocuments f = run(lookup(batchWithFailures(2), Duration.ofMinutes(5)));
        assertFalse(f.complete());
        assertTrue(f.documents().isEmpty());
        assertTrue(f.why().startsWith("Inkit refused to list workflow runs to the key in the credential"), f.why());
        assertTrue(f.why().contains("(HTTP 403)"), f.why());
        assertEquals(1, server.getRequestCount(), "a refusal is not retried");
    }

    @Test
    void anAnswerThatCannotBeTrustedEndsTheLookUpKeepingWhatWasFound() throws Exception {
        answer(200, TestRuns.page(1, 3, List.of(TestRuns.failed("rend_1", ID, CREATED, "E1"))));
        answer(200, "<html>maintenance</html>");
        FailedDocuments f = run(lookup(batchWithFailures(2), Duration.ofMinutes(5)));
        assertFalse(f.complete());
        assertEquals(
                List.of("rend_1"),
                f.documents().stream().map(FailedDocument::runId).toList());
        assertTrue(
                f.why().startsWith("Inkit's list of workflow runs cannot be trusted: it is not valid JSON"), f.why());
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void aRunOfTheBatchThatCannotBeReadMakesTheListIncomplete() throws Exception {
        answer(
                200,
                TestRuns.page(
                        1,
                        1,
                        List.of(
                                TestRuns.failed("rend_1", ID, CREATED, "E1"),
                                "{\"id\": \"rend_2\", \"flows_batch_id\": \"" + ID + "\", \"destinations\": 5}",
                                "{\"id\": \"rend_3\", \"flows_batch_id\": \"fb_other\", \"destinations\": 5}")));
        FailedDocuments f = run(lookup(batchWithFailures(2), Duration.ofMinutes(5)));
        assertFalse(f.complete());
        assertEquals(1, f.documents().size());
        assertEquals("1 workflow run in Inkit's list could not be read (an unknown shape).", f.why());
    }

    @Test
    void theTimeLimitCutsASlowPage() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .body(TestRuns.page(1, 1, List.of()))
                .headersDelay(5, TimeUnit.SECONDS)
                .build());
        long start = System.nanoTime();
        FailedDocuments f = run(lookup(batchWithFailures(1), Duration.ofMillis(300)));
        assertTrue((System.nanoTime() - start) / 1_000_000 < 4000, "cut, not waited out");
        assertFalse(f.complete());
        assertEquals("the time limit passed while listing workflow runs.", f.why());
    }

    @Test
    void retriesTransientFailuresHonouringRetryAfter() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(503)
                .addHeader("Retry-After", "3")
                .build());
        answer(429, "slow down");
        answer(200, TestRuns.page(1, 1, List.of(TestRuns.failed("rend_1", ID, CREATED, "E1"))));
        FailedDocuments f = run(lookup(batchWithFailures(1), Duration.ofMinutes(5)));
        assertTrue(f.complete(), f.toString());
        assertEquals(List.of(Duration.ofSeconds(3), Duration.ofSeconds(1)), delays);
        assertTrue(
                lines.get(0)
                        .startsWith("Listing workflow runs to name the failed documents: Inkit had a server error"
                                + " (HTTP 503)"),
                lines.get(0));
        assertTrue(lines.get(0).endsWith("Trying again in 3s (retry 1 of 2)."), lines.get(0));
        assertEquals(List.of("1", "1", "1"), pagesAsked(), "the same page again");
    }

    @Test
    void givesUpAfterTwoRetries() throws Exception {
        for (int i = 0; i < 5; i++) {
            answer(502, "bad gateway");
        }
        FailedDocuments f = run(lookup(batchWithFailures(1), Duration.ofMinutes(5)));
        assertFalse(f.complete());
        assertEquals(
                "Inkit had a server error (HTTP 502): (its body is not shown: it may hold customers' data) Gave up"
                        + " after 3 attempts in a row.",
                f.why());
        assertEquals(
                3, server.getRequestCount(), "the verdict is known: the look-up does not retry as long as a check");
    }

    @Test
    void theLookUpHasTwoMinutesWhateverTheStepHasLeft() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .addHeader("Retry-After", "150")
                .build());
        FailedDocuments f = run(lookup(batchWithFailures(1), Duration.ofMinutes(60)));
        assertTrue(
                f.why()
                        .startsWith("Inkit asked to wait 2m 30s before trying again (Retry-After), longer than the 2m"
                                + " left."),
                f.why());
        assertTrue(delays.isEmpty());
        assertEquals(Duration.ofMinutes(2), FailedDocumentsLookup.BUDGET);
    }

    @Test
    void neverWaitsPastTheDeadline() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .addHeader("Retry-After", "600")
                .build());
        FailedDocuments f = run(lookup(batchWithFailures(1), Duration.ofMinutes(5)));
        assertTrue(
                f.why()
                        .startsWith("Inkit asked to wait 10m before trying again (Retry-After), longer than the 2m"
                                + " left. Last error: Inkit is rate limiting requests (HTTP 429)"),
                f.why());
        assertTrue(delays.isEmpty());

        // A backoff is cut to leave the last try its time; after it, no time is left for another.
        for (int i = 0; i < 2; i++) {
            answer(503, "down");
        }
        FailedDocuments cut = run(lookup(batchWithFailures(1), Duration.ofMillis(2500)));
        assertEquals(List.of(Duration.ofMillis(500)), delays, "the backoff cut to the time left less 2 s");
        assertFalse(cut.complete());
        assertEquals(
                "the time limit passed while listing workflow runs. Last error: Inkit had a server error (HTTP 503):"
                        + " (its body is not shown: it may hold customers' data)",
                cut.why());
        assertEquals(1 + 2, server.getRequestCount());
    }

    @Test
    void aHostThatDoesNotResolveIsTriedTwiceAtMost() throws Exception {
        List<String> lookups = new ArrayList<>();
        client = new InkitClient(TestClients.unresolvable(lookups), "https://inkit.example.invalid", clock);
        FailedDocuments f = run(lookup(batchWithFailures(1), Duration.ofMinutes(5)));
        assertEquals(List.of("inkit.example.invalid", "inkit.example.invalid"), lookups);
        assertTrue(f.why().endsWith("Gave up after 2 attempts in a row."), f.why());
    }

    @Test
    void aCancelledLookUpEndsWithoutARequest() throws Exception {
        Cancellation cancellation = new Cancellation();
        cancellation.cancel();
        FailedDocumentsLookup lookup = new FailedDocumentsLookup(
                client,
                TestClients.TOKENS,
                batchWithFailures(1),
                clock.instant().plusSeconds(60),
                RETRIES,
                clock,
                cancellation);
        FailedDocumentsLookup.Step step = lookup.step();
        assertTrue(step.isDone());
        assertEquals("the look-up was cancelled.", step.result().why());
        assertEquals(0, server.getRequestCount());
    }

    @Test
    void aBatchWithoutACreationTimeIsReadToItsLastPageOrTenPages() throws Exception {
        Batch noTime = TestBatches.parse("{\"id\": \"" + ID + "\", \"total\": 1, \"destinations\": {\"box\":"
                + " {\"count\": 1, \"completed\": 0, \"failed\": 1, \"in_progress\": 0}}}");
        answer(200, TestRuns.page(1, 2, List.of(TestRuns.ok("rend_old", "fb_other", CREATED.minusSeconds(86400)))));
        answer(200, TestRuns.page(2, 2, List.of(TestRuns.run("rend_1", ID, CREATED, "failed", "\"box\": \"failed\""))));
        FailedDocuments f = run(lookup(noTime, Duration.ofMinutes(5)));
        assertTrue(f.complete(), f.toString());
        assertEquals(2, server.getRequestCount(), "old runs prove nothing without the batch's creation time");
    }

    @Test
    void personalDataShowsNowhere() throws Exception {
        // Every run of the page carries merge parameters; the failed ones are shown in every form.
        answer(
                200,
                TestRuns.page(
                        1,
                        1,
                        List.of(
                                TestRuns.failed("rend_1", ID, CREATED.plusSeconds(2), "INVALID_FIELD"),
                                TestRuns.failed("rend_2", ID, CREATED.plusSeconds(1), "REQUIRED_FIELD_MISSING"))));
        Batch batch = batchWithFailures(2);
        FailedDocuments f = run(lookup(batch, Duration.ofMinutes(5)));
        assertEquals(2, f.documents().size());
        assertTrue(server.takeRequest().getUrl().encodedPath().equals("/v1/invoke"));

        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(f);
        }
        Map<String, Object> map = BatchMaps.toMap(batch, f);
        List<String> forms = List.of(
                BatchReport.summary(batch, Verdict.of(batch, true), f),
                new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(map),
                map.toString(),
                f.toString(),
                f.documents().toString(),
                bytes.toString(java.nio.charset.StandardCharsets.UTF_8),
                bytes.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
        for (String form : forms) {
            for (String pii : List.of(TestRuns.PII_NAME, TestRuns.PII_EMAIL, TestRuns.PII_IBAN, "Testperson")) {
                assertFalse(form.contains(pii), pii + " in " + form);
            }
            assertFalse(form.contains(TestClients.TOKEN), form);
        }
        assertTrue(forms.get(0).contains("rend_1  Monthly statement  salesforce: INVALID_FIELD"), forms.get(0));
    }

    @Test
    void atMostAHundredFailedDocumentsAreKeptAndTheRestCounted() throws Exception {
        List<String> runs = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            runs.add(TestRuns.failed("rend_" + i, ID, CREATED.plusSeconds(300 - i), "E"));
        }
        answer(200, TestRuns.page(1, 2, runs));
        List<String> more = new java.util.ArrayList<>();
        for (int i = 100; i < 130; i++) {
            more.add(TestRuns.failed("rend_" + i, ID, CREATED.plusSeconds(300 - i), "E"));
        }
        answer(200, TestRuns.page(2, 2, more));
        Batch big = TestBatches.parse(batch(ID, 200, dest("salesforce", 200, 70, 130, 0)));
        FailedDocuments f = run(lookup(big, Duration.ofMinutes(5)));
        assertEquals(FailedDocumentsLookup.MAX_DOCUMENTS, f.documents().size());
        assertEquals("rend_0", f.documents().get(0).runId(), "the newest first");
        assertFalse(f.complete());
        assertEquals("only the newest 100 are listed; 30 more failed in Inkit's list of workflow runs.", f.why());
    }
}
