package io.jenkins.plugins.inkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.jenkins.plugins.inkit.InkitApiStubs.CREDENTIALS_ID;
import static io.jenkins.plugins.inkit.InkitApiStubs.PII_EMAIL;
import static io.jenkins.plugins.inkit.InkitApiStubs.PII_NAME;
import static io.jenkins.plugins.inkit.InkitApiStubs.TOKEN;
import static io.jenkins.plugins.inkit.InkitApiStubs.batch;
import static io.jenkins.plugins.inkit.InkitApiStubs.dest;
import static io.jenkins.plugins.inkit.InkitApiStubs.launchRequest;
import static io.jenkins.plugins.inkit.InkitApiStubs.launched;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import hudson.model.Result;
import java.nio.charset.StandardCharsets;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** {@code inkitLaunchBatch} against a stub of Inkit: the request, the answer, and never a second launch. */
@WithJenkins
class InkitLaunchBatchStepTest {

    @SuppressWarnings("unused")
    @RegisterExtension
    static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @RegisterExtension
    static final WireMockExtension INKIT = InkitApiStubs.server();

    /** A flows file with personal data in its merge parameters, as it would sit in a workspace. */
    static final String FLOWS_FILE = "{\"name\": \"Statements from file\", \"flows\": [{\"flow_id\": \"flow_abc\","
            + " \"merge_parameters\": [{\"name\": \"" + PII_NAME + "\", \"email\": \"" + PII_EMAIL + "\"},"
            + " {\"name\": \"Someone Else-Entirely\"}]}]}";

    private JenkinsRule j;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        j = rule;
        InkitApiStubs.addTokenCredential(j.jenkins);
    }

    private WorkflowJob job(String script) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition(script, true));
        return p;
    }

    private static String args(String extra) {
        return "credentialsId: '" + CREDENTIALS_ID + "', apiUrl: '" + INKIT.baseUrl() + "'"
                + (extra.isEmpty() ? "" : ", " + extra);
    }

    private static final String INLINE_FLOWS =
            "flows: [[flowId: 'flow_abc', mergeParameters: [[name: 'Ann Example'], [name: 'Bo Example']]]]";

    @Test
    void launchesInlineFlowsAndReturnsInkitsAnswer() throws Exception {
        INKIT.stubFor(launchRequest().willReturn(okJson(launched("fb_launched", "Statements 1", 2))));
        // No executor anywhere: without a flows file the step needs none.
        j.jenkins.setNumExecutors(0);
        WorkflowRun b = j.buildAndAssertSuccess(
                job("def l = inkitLaunchBatch(" + args("name: 'Statements 1', " + INLINE_FLOWS) + ")\n"
                        + "echo \"id=${l.id} name=${l.name} first=${l.documents[0].id}/${l.documents[0].documentId}"
                        + " second=${l.documents[1].documentId}\""));
        j.assertLogContains(
                "Launching Inkit batch 'Statements 1' at " + INKIT.baseUrl() + "/: 1 flow(s), 2 document(s)", b);
        j.assertLogContains("Launched Inkit batch 'Statements 1': fb_launched, 1 flow(s), 2 document(s)", b);
        j.assertLogContains("id=fb_launched name=Statements 1 first=rend_1/doc_1 second=doc_2", b);
        j.assertLogNotContains("Bo Example", b);
        j.assertLogNotContains(TOKEN, b);
        INKIT.verify(
                1,
                postRequestedFor(urlEqualTo("/v1/invoke/batch"))
                        .withRequestBody(matchingJsonPath("$.name", equalTo("Statements 1")))
                        .withRequestBody(matchingJsonPath("$.flows[0].flow_id", equalTo("flow_abc")))
                        .withRequestBody(
                                matchingJsonPath("$.flows[0].merge_parameters[1].name", equalTo("Bo Example"))));
        // The launched batch is recorded with the build, with its own page, before the step ends.
        InkitBatchAction action = b.getAction(InkitBatchAction.class);
        assertNotNull(action);
        assertEquals("fb_launched", action.getBatchId());
        assertEquals("Launched by this build: 1 flow(s), 2 document(s).", action.getOutcome());
    }

    @Test
    void launchThenWaitAcrossAMomentWhenInkitDoesNotShowTheBatchYet() throws Exception {
        INKIT.stubFor(launchRequest().willReturn(okJson(launched("fb_new", "Statements 2", 1))));
        InkitApiStubs.answerInTurn(
                INKIT,
                "fb_new",
                aResponse().withStatus(404),
                okJson(batch("fb_new", "Completed", 1, dest("inkit_storage", 1, 1, 0, 0))));
        WorkflowRun b = j.buildAndAssertSuccess(job("def l = inkitLaunchBatch("
                + args("name: 'Statements 2', " + INLINE_FLOWS) + ")\n"
                + "def s = inkitBatchStatus(batchId: l.id, " + args("wait: true, pollIntervalSeconds: 1") + ")\n"
                + "echo \"finished=${s.finished}\""));
        j.assertLogContains("Inkit does not show batch fb_new yet", b);
        j.assertLogContains("finished=true", b);
        assertEquals(1, b.getActions(InkitBatchAction.class).size(), "one table for the batch launched and waited on");
    }

    @Test
    void aFlowsFileIsReadInTheWorkspaceAndItsPersonalDataShowsNowhere() throws Exception {
        INKIT.stubFor(launchRequest().willReturn(okJson(launched("fb_file", "Statements from file", 2))));
        WorkflowJob p = job("node {\n  def l = inkitLaunchBatch(" + args("flowsFile: 'batch.json'") + ")\n"
                + "  echo \"id=${l.id}\"\n}");
        j.jenkins.getWorkspaceFor(p).child("batch.json").write(FLOWS_FILE, StandardCharsets.UTF_8.name());
        WorkflowRun b = j.buildAndAssertSuccess(p);
        j.assertLogContains("Launching Inkit batch 'Statements from file' at", b);
        j.assertLogContains("id=fb_file", b);
        INKIT.verify(
                1,
                postRequestedFor(urlEqualTo("/v1/invoke/batch"))
                        .withRequestBody(matchingJsonPath("$.name", equalTo("Statements from file")))
                        .withRequestBody(matchingJsonPath("$.flows[0].merge_parameters[0].email", equalTo(PII_EMAIL))));
        j.assertLogNotContains(PII_NAME, b);
        j.assertLogNotContains(PII_EMAIL, b);
        InkitBatchStatusStepTest.assertNoFileContains(p.getRootDir().toPath(), PII_NAME);
        InkitBatchStatusStepTest.assertNoFileContains(p.getRootDir().toPath(), PII_EMAIL);
    }

    @Test
    void aFlowsFileOutsideNodeOrMissingIsAClearError() throws Exception {
        WorkflowRun outside = j.buildAndAssertStatus(
                Result.FAILURE, job("inkitLaunchBatch(" + args("flowsFile: 'batch.json'") + ")"));
        j.assertLogContains(
                "The flows file batch.json is read from the workspace: run inkitLaunchBatch inside node {", outside);
        WorkflowRun missing = j.buildAndAssertStatus(
                Result.FAILURE, job("node { inkitLaunchBatch(" + args("flowsFile: 'nowhere.json'") + ") }"));
        j.assertLogContains("There is no flows file nowhere.json in", missing);
        j.assertLogNotContains("\tat ", missing);
        assertTrue(INKIT.getAllServeEvents().isEmpty(), "nothing was sent");
    }

    @Test
    void badFlowsAreRefusedBeforeAnythingIsSent() throws Exception {
        WorkflowRun none = j.buildAndAssertStatus(Result.FAILURE, job("inkitLaunchBatch(" + args("name: 'x'") + ")"));
        j.assertLogContains("Give the flows to launch", none);
        WorkflowRun both = j.buildAndAssertStatus(
                Result.FAILURE, job("inkitLaunchBatch(" + args(INLINE_FLOWS + ", flowsFile: 'batch.json'") + ")"));
        j.assertLogContains("Give either flows or flowsFile, not both.", both);
        WorkflowRun noFlowId = j.buildAndAssertStatus(
                Result.FAILURE,
                job("inkitLaunchBatch(" + args("flows: [[mergeParameters: [[name: 'Carla Example']]]]") + ")"));
        j.assertLogContains("flowId", noFlowId);
        j.assertLogNotContains("Carla Example", noFlowId);
        assertTrue(INKIT.getAllServeEvents().isEmpty(), "nothing was sent");
    }

    @Test
    void aServerErrorOnceSentIsNeverRetriedAndSaysTheBatchMayExist() throws Exception {
        INKIT.stubFor(launchRequest().willReturn(aResponse().withStatus(503).withBody("upstream down")));
        WorkflowRun b = j.buildAndAssertStatus(
                Result.FAILURE, job("inkitLaunchBatch(" + args("name: 'Statements 3', " + INLINE_FLOWS) + ")"));
        j.assertLogContains("may or may not have been launched", b);
        j.assertLogContains("Statements 3", b);
        INKIT.verify(1, postRequestedFor(urlEqualTo("/v1/invoke/batch")));
    }

    @Test
    void aRateLimitIsWaitedOutAndTheLaunchSentAgain() throws Exception {
        INKIT.stubFor(launchRequest()
                .inScenario("rate limited")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1"))
                .willSetStateTo("allowed"));
        INKIT.stubFor(launchRequest()
                .inScenario("rate limited")
                .whenScenarioStateIs("allowed")
                .willReturn(okJson(launched("fb_later", "Statements 4", 2))));
        WorkflowRun b = j.buildAndAssertSuccess(job("def l = inkitLaunchBatch("
                + args("name: 'Statements 4', " + INLINE_FLOWS) + ")\necho \"id=${l.id}\""));
        j.assertLogContains("id=fb_later", b);
        INKIT.verify(2, postRequestedFor(urlEqualTo("/v1/invoke/batch")));
    }

    @Test
    void theFormRoundTrips() throws Exception {
        InkitLaunchBatchStep step = new InkitLaunchBatchStep();
        step.setCredentialsId(CREDENTIALS_ID);
        step.setFlowsFile("batch.json");
        step.setName("Statements");
        step.setDescription("Monthly");
        step.setTimeout(10);
        InkitLaunchBatchStep after = new StepConfigTester(j).configRoundTrip(step);
        j.assertEqualDataBoundBeans(step, after);
        InkitLaunchBatchStep.DescriptorImpl d =
                j.jenkins.getDescriptorByType(InkitLaunchBatchStep.DescriptorImpl.class);
        assertEquals(
                "Statements",
                d.argumentsToString(java.util.Map.of("name", "Statements", "flows", java.util.List.of())),
                "Pipeline views show the name, never the flows");
    }
}
