package io.jenkins.plugins.inkit;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.jenkins.plugins.inkit.InkitApiStubs.CREDENTIALS_ID;
import static io.jenkins.plugins.inkit.InkitApiStubs.batch;
import static io.jenkins.plugins.inkit.InkitApiStubs.batchRequest;
import static io.jenkins.plugins.inkit.InkitApiStubs.dest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import hudson.model.Result;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The batch table on the build page. */
@WithJenkins
class InkitBatchActionTest {

    @RegisterExtension
    static final WireMockExtension INKIT = InkitApiStubs.server();

    private JenkinsRule j;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        j = rule;
        InkitApiStubs.addTokenCredential(j.jenkins);
    }

    private WorkflowRun build(Result expected, String script) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition(script, true));
        return j.buildAndAssertStatus(expected, p);
    }

    private static String step(String batchId, String extra) {
        return "inkitBatchStatus(batchId: '" + batchId + "', credentialsId: '" + CREDENTIALS_ID + "', apiUrl: '"
                + INKIT.baseUrl() + "'" + extra + ")\n";
    }

    private String buildPage(WorkflowRun b) throws Exception {
        HtmlPage page = j.createWebClient().getPage(b);
        return page.asXml();
    }

    @Test
    void aPassingBuildShowsTheTableAndLinksToItFromTheConsole() throws Exception {
        INKIT.stubFor(batchRequest("fb_done")
                .willReturn(okJson(batch(
                        "fb_done", "Completed", 3, dest("inkit_storage", 3, 3, 0, 0), dest("dropbox", 3, 3, 0, 0)))));
        WorkflowRun b = build(Result.SUCCESS, step("fb_done", ""));

        InkitBatchAction action = b.getAction(InkitBatchAction.class);
        assertNotNull(action);
        assertFalse(action.isWaiting());
        assertEquals(
                List.of("inkit_storage", "dropbox"),
                action.getDestinations().stream().map(d -> d.name()).toList());
        assertTrue(
                action.getOutcome().contains("finished: all 6 document generations completed."), action.getOutcome());

        String page = buildPage(b);
        assertTrue(page.contains("inkit-batch-table"), page);
        assertTrue(page.contains("Monthly statements") && page.contains("fb_done") && page.contains("dropbox"), page);
        assertFalse(page.contains("inkit-failed"), "no failed cell");

        String console = j.createWebClient().getPage(b, "console").asXml();
        assertTrue(console.contains(b.getUrl() + "inkit-batch-fb_done"), "the console links to the batch: " + console);
        HtmlPage batchPage = j.createWebClient().getPage(b, "inkit-batch-fb_done");
        assertTrue(batchPage.asXml().contains("inkit-batch-table"));
    }

    @Test
    void failedCellsAreMarked() throws Exception {
        INKIT.stubFor(batchRequest("fb_failed")
                .willReturn(okJson(batch(
                        "fb_failed",
                        "Completed",
                        3,
                        dest("inkit_storage", 3, 3, 0, 0),
                        dest("salesforce", 3, 1, 2, 0)))));
        WorkflowRun b = build(Result.FAILURE, step("fb_failed", ""));
        String page = buildPage(b);
        assertTrue(page.contains("inkit-failed"), page);
        // Marked with classes, not inline style, which a strict Content-Security-Policy blocks.
        HtmlPage html = j.createWebClient().getPage(b);
        DomElement cell = html.querySelector("td.inkit-failed");
        assertNotNull(cell, page);
        assertEquals(DomElement.ATTRIBUTE_NOT_DEFINED, cell.getAttribute("style"));
        assertEquals("2", cell.getTextContent().strip());
        DomElement strong = html.querySelector("td.inkit-failed strong");
        assertNotNull(strong, page);
        assertEquals("jenkins-!-error-color", strong.getAttribute("class"));
        assertTrue(b.getAction(InkitBatchAction.class).getOutcome().contains("2 failed documents (salesforce: 2)"));
    }

    @Test
    void theFailedDocumentsHaveTheirOwnTable() throws Exception {
        INKIT.stubFor(batchRequest("fb_failed")
                .willReturn(okJson(batch("fb_failed", "Completed", 3, dest("salesforce", 3, 2, 1, 0)))));
        INKIT.stubFor(InkitApiStubs.runListRequest()
                .willReturn(okJson(InkitApiStubs.runPage(
                        InkitApiStubs.failedRun("rend_7", "fb_failed", "<b>INVALID_FIELD</b>: Email")))));
        WorkflowRun b = build(Result.FAILURE, step("fb_failed", ""));
        // What is shown comes from build.xml, as after a restart.
        b.reload();
        InkitBatchAction action = b.getAction(InkitBatchAction.class);
        assertEquals(1, action.getFailedDocuments().size());
        assertEquals("rend_7", action.getFailedDocuments().get(0).runId());
        assertEquals(null, action.getFailedDocumentsGap());

        HtmlPage html = j.createWebClient().getPage(b);
        DomElement table = html.querySelector("table.inkit-failed-documents");
        assertNotNull(table, html.asXml());
        String text = table.getTextContent();
        assertTrue(text.contains("rend_7") && text.contains("Monthly statement"), text);
        assertTrue(text.contains("salesforce: <b>INVALID_FIELD</b>: Email"), "escaped, shown as text: " + text);
        assertEquals(0, table.getElementsByTagName("b").size(), "no markup from Inkit");
        assertFalse(html.asXml().contains(InkitApiStubs.PII_EMAIL));
    }

    @Test
    void aRunningWaitShowsTheLatestCountsAndThatItIsWaiting() throws Exception {
        INKIT.stubFor(batchRequest("fb_stuck")
                .willReturn(okJson(batch("fb_stuck", "Processing", 10, dest("inkit_storage", 10, 4, 0, 6)))));
        WorkflowJob p = j.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition(
                step("fb_stuck", ", wait: true, pollIntervalSeconds: 1, maxPollIntervalSeconds: 1"), true));
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        j.waitForMessage("Processing: 4/10 settled", b);
        InkitBatchAction action = b.getAction(InkitBatchAction.class);
        for (int i = 0; i < 50 && action.getBatch() == null; i++) {
            Thread.sleep(100);
        }
        assertTrue(action.isWaiting());
        assertEquals(4, action.getDestinations().get(0).completed());
        assertTrue(buildPage(b).contains("inkit-waiting"), "the table says it is waiting");

        b.doStop();
        j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(b));
        assertFalse(action.isWaiting());
        assertEquals("Stopped before the batch was finished.", action.getOutcome());
        assertFalse(buildPage(b).contains("inkit-waiting"));
    }

    @Test
    void everythingFromInkitIsEscaped() throws Exception {
        String evil = "<img src=x onerror=alert(1)>";
        INKIT.stubFor(batchRequest("fb_evil")
                .willReturn(okJson("{\"id\": \"fb_evil\", \"name\": \"" + evil + "\", \"status\": \"<b>x</b>\","
                        + " \"total\": 1, \"destinations\": {\"<script>alert(2)</script>\": {\"count\": 1, \"completed\": 1, \"failed\": 0,"
                        + " \"in_progress\": 0, \"status\": \"<i>y</i>\"}}}")));
        WorkflowRun b = build(Result.SUCCESS, step("fb_evil", ""));
        String page = buildPage(b);
        assertFalse(page.contains("<img src=\"x\""), page);
        assertFalse(page.contains("<script>alert(2)"), page);
        assertTrue(page.contains("&lt;img src=x onerror=alert(1)&gt;"), page);
        assertTrue(page.contains("&lt;script&gt;alert(2)&lt;/script&gt;"), page);
    }

    @Test
    void aBuildThatCheckedSeveralBatchesShowsEach() throws Exception {
        INKIT.stubFor(batchRequest("fb_one")
                .willReturn(okJson(batch("fb_one", "Completed", 1, dest("inkit_storage", 1, 1, 0, 0)))));
        INKIT.stubFor(
                batchRequest("fb_two").willReturn(okJson(batch("fb_two", "Completed", 1, dest("box", 1, 1, 0, 0)))));
        WorkflowRun b = build(Result.SUCCESS, step("fb_one", "") + step("fb_two", "") + step("fb_one", ""));
        List<InkitBatchAction> actions = b.getActions(InkitBatchAction.class);
        assertEquals(
                List.of("fb_one", "fb_two"),
                actions.stream().map(InkitBatchAction::getBatchId).toList(),
                "one per batch");
        String page = buildPage(b);
        assertTrue(page.contains("fb_one") && page.contains("fb_two") && page.contains("box"), page);
    }

    @Test
    void aWaitShowsWhenTheBatchShouldFinish() throws Exception {
        // Half of the batch settled in the 10 s since it was created: it should finish in about 10 s.
        String created = java.time.Instant.now().minusSeconds(10).toString();
        String serverNow = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC));
        INKIT.stubFor(batchRequest("fb_half")
                .willReturn(okJson("{\"id\": \"fb_half\", \"name\": \"Half\", \"status\": \"Processing\","
                                + " \"total\": 10, \"created_at\": \"" + created + "\", \"destinations\":"
                                + " {\"inkit_storage\": {\"count\": 10, \"completed\": 5, \"failed\": 0,"
                                + " \"in_progress\": 5}}}")
                        .withHeader("Date", serverNow)));
        WorkflowJob p = j.createProject(WorkflowJob.class);
        // A long poll interval: the first look's estimate is what the page shows for a while.
        p.setDefinition(new CpsFlowDefinition(
                step("fb_half", ", wait: true, pollIntervalSeconds: 120, maxPollIntervalSeconds: 120"), true));
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        j.waitForMessage("Processing: 5/10 settled", b);
        InkitBatchAction action = b.getAction(InkitBatchAction.class);
        for (int i = 0; i < 50 && action.getExpectedFinish() == null; i++) {
            Thread.sleep(100);
        }
        String expected = action.getExpectedFinish();
        assertNotNull(expected, "the page says when it should finish");
        assertTrue(expected.startsWith("should finish "), expected);
        assertTrue(buildPage(b).contains("inkit-expected-finish"), "shown next to 'waiting'");
        InkitBatchStatusExecution running = null;
        for (StepExecution e : b.getExecution().getCurrentExecutions(true).get(10, TimeUnit.SECONDS)) {
            if (e instanceof InkitBatchStatusExecution inkit) {
                running = inkit;
            }
        }
        assertNotNull(running, "the step is running");
        String status = running.getStatus();
        assertTrue(status.startsWith("waiting for Inkit batch fb_half: 5/10 settled, finishing in about "), status);
        b.doStop();
        j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(b));
        assertEquals(null, action.getExpectedFinish(), "no estimate once the step stopped");
    }

    @Test
    void anEstimateThatMovesLessThanThePageShowsIsNotWorthASave() {
        InkitBatchAction action = new InkitBatchAction("fb_moving");
        java.time.Instant finish = java.time.Instant.parse("2026-12-02T12:00:00Z");
        assertTrue(action.record(null, true, null, finish), "the first estimate");
        assertFalse(action.record(null, true, null, finish.plusMillis(4_999)), "moved by less than 5 s");
        assertTrue(action.record(null, true, null, finish.plusSeconds(6)), "moved by more");
        assertTrue(action.record(null, true, null, null), "no estimate any more");
    }

    @Test
    void aBuildThatIsOverIsNeverShownWaiting() throws Exception {
        INKIT.stubFor(batchRequest("fb_done")
                .willReturn(okJson(batch("fb_done", "Completed", 1, dest("inkit_storage", 1, 1, 0, 0)))));
        WorkflowRun b = build(Result.SUCCESS, step("fb_done", ""));
        InkitBatchAction action = b.getAction(InkitBatchAction.class);
        // As a build that crashed mid-wait and could not be resumed would have it saved.
        action.record(null, true, null);
        assertFalse(b.isBuilding());
        assertFalse(action.isWaiting(), "waiting only while the build runs");
        assertFalse(buildPage(b).contains("inkit-waiting"));
    }

    @Test
    void theTableIsKeptWithTheBuild() throws Exception {
        INKIT.stubFor(batchRequest("fb_done")
                .willReturn(okJson(batch("fb_done", "Completed", 1, dest("inkit_storage", 1, 1, 0, 0)))));
        WorkflowRun b = build(Result.SUCCESS, step("fb_done", ""));
        b.reload();
        InkitBatchAction reloaded = b.getAction(InkitBatchAction.class);
        assertEquals("Monthly statements", reloaded.getBatch().name());
        assertEquals(b, reloaded.getRun());
    }
}
