package io.jenkins.plugins.inkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.jenkins.plugins.inkit.InkitApiStubs.CREDENTIALS_ID;
import static io.jenkins.plugins.inkit.InkitApiStubs.TOKEN;
import static io.jenkins.plugins.inkit.InkitApiStubs.batch;
import static io.jenkins.plugins.inkit.InkitApiStubs.batchRequest;
import static io.jenkins.plugins.inkit.InkitApiStubs.dest;
import static io.jenkins.plugins.inkit.InkitApiStubs.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import hudson.model.Fingerprint;
import hudson.model.Result;
import hudson.security.ACL;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class InkitBatchStatusStepTest {

    @SuppressWarnings("unused")
    @RegisterExtension
    static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @RegisterExtension
    static final WireMockExtension INKIT = InkitApiStubs.server();

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

    /** The step's arguments for the stub server, with {@code extra} appended. */
    private static String args(String batchId, String extra) {
        return "batchId: '" + batchId + "', credentialsId: '" + CREDENTIALS_ID + "', apiUrl: '" + INKIT.baseUrl() + "'"
                + (extra.isEmpty() ? "" : ", " + extra);
    }

    @Test
    void aFinishedBatchPassesAndReturnsTheMap() throws Exception {
        INKIT.stubFor(batchRequest("fb_done")
                .willReturn(okJson(batch(
                        "fb_done",
                        "Completed",
                        2,
                        dest("inkit_storage", 2, 2, 0, 0),
                        dest("salesforce", 2, 2, 0, 0)))));
        // No executor anywhere: the step must not need one.
        j.jenkins.setNumExecutors(0);
        WorkflowJob p = job(
                "def b = inkitBatchStatus(" + args("fb_done", "") + ")\n"
                        + "echo \"id=${b.id} name=${b.name} status=${b.status} total=${b.total} created=${b.createdAt}\"\n"
                        + "echo \"finished=${b.finished} failed=${b.failed} stored=${b.destinations.inkit_storage.completed}"
                        + " sf=${b.destinations.salesforce.count}/${b.destinations.salesforce.inProgress}/${b.destinations.salesforce.status}\"");
        WorkflowRun b = j.buildAndAssertSuccess(p);
        j.assertLogContains(
                "id=fb_done name=Monthly statements status=Completed total=2 created=2026-11-29T10:00:00.000000Z", b);
        j.assertLogContains("finished=true failed=0 stored=2 sf=2/0/completed", b);
        j.assertLogContains("  inkit_storage      2          2       0            0  completed", b);
        j.assertLogContains("finished: all 4 document generations completed.", b);
        INKIT.verify(1, getRequestedFor(urlEqualTo(path("fb_done"))));
    }

    @Test
    void failedDocumentsFailTheBuildNamingTheDestination() throws Exception {
        INKIT.stubFor(batchRequest("fb_failed")
                .willReturn(okJson(batch(
                        "fb_failed",
                        "Completed",
                        3,
                        dest("inkit_storage", 3, 3, 0, 0),
                        dest("salesforce", 3, 1, 2, 0)))));
        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, job("inkitBatchStatus(" + args("fb_failed", "") + ")"));
        j.assertLogContains("2 document(s) failed in Inkit batch fb_failed (salesforce: 2).", b);
        j.assertLogContains("failOnFailedDocuments: false", b);
        j.assertLogNotContains("\tat ", b);
    }

    @Test
    void failedDocumentsOnlyReportedWhenAsked() throws Exception {
        INKIT.stubFor(batchRequest("fb_failed")
                .willReturn(okJson(batch("fb_failed", "Completed", 3, dest("salesforce", 3, 1, 2, 0)))));
        WorkflowRun b = j.buildAndAssertSuccess(
                job("def b = inkitBatchStatus(" + args("fb_failed", "failOnFailedDocuments: false") + ")\n"
                        + "echo \"failed=${b.failed} sf=${b.destinations.salesforce.failed}\""));
        j.assertLogContains("failed=2 sf=2", b);
        j.assertLogContains("not failing, as asked.", b);
    }

    @Test
    void waitsOverSeveralLooksReportingProgress() throws Exception {
        InkitApiStubs.answerInTurn(
                INKIT,
                "fb_progress",
                batch("fb_progress", "Processing", 4, dest("inkit_storage", 4, 0, 0, 4)),
                batch("fb_progress", "Processing", 4, dest("inkit_storage", 4, 2, 0, 2)),
                batch("fb_progress", "Processing", 4, dest("inkit_storage", 4, 3, 0, 1)),
                batch("fb_progress", "Completed", 4, dest("inkit_storage", 4, 4, 0, 0)));
        WorkflowRun b = j.buildAndAssertSuccess(job("def b = inkitBatchStatus("
                + args("fb_progress", "wait: true, pollIntervalSeconds: 1, maxPollIntervalSeconds: 2") + ")\n"
                + "echo \"finished=${b.finished}\""));
        j.assertLogContains("Waiting for Inkit batch fb_progress", b);
        j.assertLogContains("Processing: 0/4 settled", b);
        j.assertLogContains("Processing: 2/4 settled", b);
        j.assertLogContains("Completed: 4/4 settled", b);
        j.assertLogContains("finished=true", b);
        INKIT.verify(4, getRequestedFor(urlEqualTo(path("fb_progress"))));
    }

    @Test
    void worksInADeclarativePipeline() throws Exception {
        INKIT.stubFor(batchRequest("fb_done")
                .willReturn(okJson(batch("fb_done", "Completed", 1, dest("inkit_storage", 1, 1, 0, 0)))));
        WorkflowRun b = j.buildAndAssertSuccess(
                job("pipeline {\n  agent none\n  stages {\n    stage('Documents') {\n      steps {\n"
                        + "        inkitBatchStatus " + args("fb_done", "wait: true") + "\n"
                        + "        script {\n          def batch = inkitBatchStatus(" + args("fb_done", "") + ")\n"
                        + "          echo \"declarative status=${batch.status}\"\n        }\n      }\n    }\n  }\n}"));
        j.assertLogContains("declarative status=Completed", b);
    }

    @Test
    void aTimeoutFailsWithTheLastCountsAndHowToRaiseIt() throws Exception {
        INKIT.stubFor(batchRequest("fb_stuck")
                .willReturn(okJson(batch("fb_stuck", "Processing", 10, dest("inkit_storage", 10, 4, 0, 6)))));
        WorkflowRun b = j.buildAndAssertStatus(
                Result.FAILURE,
                job("inkitBatchStatus("
                        + args("fb_stuck", "wait: true, timeout: 1, pollIntervalSeconds: 5, maxPollIntervalSeconds: 10")
                        + ")"));
        j.assertLogContains(
                "Inkit batch fb_stuck did not finish within 1m. Last seen: 4 of 10 document generations settled;"
                        + " inkit_storage: 4 completed, 0 failed, 6 in progress of 10.",
                b);
        j.assertLogContains("raise its timeout (in minutes) to wait longer.", b);
    }

    @Test
    void aRateLimitLongerThanTheTimeoutEndsTheStepAtOnce() throws Exception {
        INKIT.stubFor(batchRequest("fb_limited")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7200")));
        WorkflowRun b = j.buildAndAssertStatus(
                Result.FAILURE, job("inkitBatchStatus(" + args("fb_limited", "timeout: 5") + ")"));
        j.assertLogContains("Inkit asked to wait 2h before trying again (Retry-After), longer than the ", b);
        j.assertLogContains("before the time limit of 5m. Last error: Inkit is rate limiting requests (HTTP 429)", b);
        INKIT.verify(1, getRequestedFor(urlEqualTo(path("fb_limited"))));
    }

    @Test
    void anAbsurdRetryAfterEndsTheStepWithoutAStackTrace() throws Exception {
        INKIT.stubFor(batchRequest("fb_limited")
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "99999999999999999")));
        WorkflowRun b = j.buildAndAssertStatus(
                Result.FAILURE, job("inkitBatchStatus(" + args("fb_limited", "wait: true, timeout: 5") + ")"));
        j.assertLogContains("Inkit asked to wait 87600h before trying again (Retry-After)", b);
        j.assertLogNotContains("\tat ", b);
        j.assertLogNotContains("ArithmeticException", b);
    }

    @Test
    void aWaitRidesOutAnOutage() throws Exception {
        InkitApiStubs.answerInTurn(
                INKIT,
                "fb_outage",
                aResponse().withStatus(503).withBody("redeploying"),
                aResponse().withStatus(502).withBody("bad gateway"),
                aResponse().withStatus(503).withBody("redeploying"),
                okJson(batch("fb_outage", "Completed", 1, dest("inkit_storage", 1, 1, 0, 0))));
        WorkflowRun b = j.buildAndAssertSuccess(job("inkitBatchStatus(" + args("fb_outage", "wait: true") + ")"));
        j.assertLogContains("(retry 3, until the time limit).", b);
        j.assertLogContains("finished: all 1 document generations completed.", b);
        INKIT.verify(4, getRequestedFor(urlEqualTo(path("fb_outage"))));
    }

    @Test
    void anAbortEndsTheWaitAtOnce() throws Exception {
        INKIT.stubFor(batchRequest("fb_stuck")
                .willReturn(okJson(batch("fb_stuck", "Processing", 10, dest("inkit_storage", 10, 4, 0, 6)))));
        WorkflowJob p = job("inkitBatchStatus("
                + args("fb_stuck", "wait: true, pollIntervalSeconds: 1, maxPollIntervalSeconds: 1") + ")");
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        j.waitForMessage("Processing: 4/10 settled", b);
        b.doStop();
        j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(b));
        int requests =
                INKIT.findAll(getRequestedFor(urlEqualTo(path("fb_stuck")))).size();
        // Another wait with the same one-second interval looks three times: the aborted one, had it
        // gone on, would have looked again meanwhile.
        InkitApiStubs.answerInTurn(
                INKIT,
                "fb_other",
                batch("fb_other", "Processing", 2, dest("inkit_storage", 2, 0, 0, 2)),
                batch("fb_other", "Processing", 2, dest("inkit_storage", 2, 1, 0, 1)),
                batch("fb_other", "Completed", 2, dest("inkit_storage", 2, 2, 0, 0)));
        j.buildAndAssertSuccess(job("inkitBatchStatus("
                + args("fb_other", "wait: true, pollIntervalSeconds: 1, maxPollIntervalSeconds: 1") + ")"));
        assertEquals(
                requests,
                INKIT.findAll(getRequestedFor(urlEqualTo(path("fb_stuck")))).size(),
                "no look after the abort");
    }

    @Test
    void anAbortFreesTheRequestThreadsThatAServerHoldsByTrickling() throws Exception {
        // Headers at once, then the body a little at a time over 30 s: no read timeout fires, and the
        // requests would hold their threads far longer than the seconds that the check below allows.
        INKIT.stubFor(batchRequest("fb_trickle")
                .willReturn(okJson(batch("fb_trickle", "Processing", 4, dest("inkit_storage", 4, 1, 0, 3)))
                        .withChunkedDribbleDelay(30, 30_000)));
        int builds = 3;
        List<WorkflowRun> running = new ArrayList<>();
        for (int i = 0; i < builds; i++) {
            running.add(job("inkitBatchStatus(" + args("fb_trickle", "wait: true") + ")")
                    .scheduleBuild2(0)
                    .waitForStart());
        }
        // Each build's request now holds a request thread.
        InkitApiStubs.awaitRequests(INKIT, "fb_trickle", builds);
        assertTrue(InkitHttp.activeRequests() >= 1, "requests are under way");
        for (WorkflowRun b : running) {
            b.doStop();
        }
        for (WorkflowRun b : running) {
            j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(b));
        }
        // The aborted builds' requests were cancelled: no thread is held by them any more.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (InkitHttp.activeRequests() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, InkitHttp.activeRequests(), "the aborted builds' requests were cancelled");
        // And the next build is answered at once.
        INKIT.stubFor(batchRequest("fb_done")
                .willReturn(okJson(batch("fb_done", "Completed", 1, dest("inkit_storage", 1, 1, 0, 0)))));
        j.buildAndAssertSuccess(job("inkitBatchStatus(" + args("fb_done", "") + ")"));
    }

    @Test
    void aLongPollIntervalAloneRaisesTheMaximumWithIt() throws Exception {
        INKIT.stubFor(batchRequest("fb_done")
                .willReturn(okJson(batch("fb_done", "Completed", 1, dest("inkit_storage", 1, 1, 0, 0)))));
        WorkflowRun b = j.buildAndAssertSuccess(
                job("inkitBatchStatus(" + args("fb_done", "wait: true, pollIntervalSeconds: 600") + ")"));
        j.assertLogNotContains("maximum poll interval", b);
        j.assertLogContains("finished: all 1 document generations completed.", b);
    }

    @Test
    void theDefaultCredentialGoesOnlyToTheDefaultUrl() throws Exception {
        InkitGlobalConfiguration.get().setCredentialsId(CREDENTIALS_ID);
        // No URL of its own: the default credential and the default URL (here the stub) go together.
        InkitGlobalConfiguration.get().setApiUrl(INKIT.baseUrl());
        INKIT.stubFor(batchRequest("fb_done")
                .willReturn(okJson(batch("fb_done", "Completed", 1, dest("inkit_storage", 1, 1, 0, 0)))));
        j.buildAndAssertSuccess(job("inkitBatchStatus(batchId: 'fb_done')"));
        INKIT.verify(1, getRequestedFor(urlEqualTo(path("fb_done"))));
        // A URL of its own without a credential of its own: the default credential is not sent there.
        WorkflowRun b = j.buildAndAssertStatus(
                Result.FAILURE,
                job("inkitBatchStatus(batchId: 'fb_done', apiUrl: 'http://127.0.0.1:" + INKIT.getPort() + "/other')"));
        j.assertLogContains(
                "No credential given, and the default credential inkit-api-token is sent only to the default API URL",
                b);
        j.assertLogContains("give this step a credentialsId for http://127.0.0.1:" + INKIT.getPort() + "/other", b);
        j.assertLogNotContains(TOKEN, b);
        INKIT.verify(1, getRequestedFor(urlEqualTo(path("fb_done"))));
        assertEquals(1, INKIT.getAllServeEvents().size(), "nothing more was sent anywhere");
    }

    @Test
    void aTimeoutBeyondThirtyDaysIsRefusedSayingTheLimit() throws Exception {
        WorkflowRun b = j.buildAndAssertStatus(
                Result.FAILURE, job("inkitBatchStatus(" + args("fb_1", "wait: true, timeout: 2147483647") + ")"));
        j.assertLogContains("The timeout is 2147483647 minutes; it may be at most 43200 (30 days).", b);
        j.assertLogNotContains("\tat ", b);
        assertTrue(INKIT.getAllServeEvents().isEmpty(), "nothing was sent");
    }

    @Test
    void theStatusSaysWhatTheStepWaitsForAndTheTimeLeft() throws Exception {
        INKIT.stubFor(batchRequest("fb_stuck")
                .willReturn(okJson(batch("fb_stuck", "Processing", 10, dest("inkit_storage", 10, 4, 0, 6)))));
        WorkflowRun b = job("inkitBatchStatus(" + args("fb_stuck", "wait: true, timeout: 30") + ")")
                .scheduleBuild2(0)
                .waitForStart();
        j.waitForMessage("Processing: 4/10 settled", b);
        InkitBatchStatusExecution running = null;
        for (StepExecution e : b.getExecution().getCurrentExecutions(true).get(10, TimeUnit.SECONDS)) {
            if (e instanceof InkitBatchStatusExecution inkit) {
                running = inkit;
            }
        }
        assertNotNull(running, "the step is running");
        String status = running.getStatus();
        assertTrue(
                status.matches(
                        "waiting for Inkit batch fb_stuck: 4/10 settled(, finishing in about [^,]+)?, (29|30) min"
                                + " left"),
                status);
        b.doStop();
        j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(b));
        assertEquals("40 sec", InkitBatchStatusExecution.timeLeft(java.time.Duration.ofSeconds(40)));
        assertEquals("2 min", InkitBatchStatusExecution.timeLeft(java.time.Duration.ofSeconds(61)));
        assertEquals("0 sec", InkitBatchStatusExecution.timeLeft(java.time.Duration.ofSeconds(-5)));
    }

    @Test
    void aMissingCredentialIsNamed() throws Exception {
        WorkflowRun b = j.buildAndAssertStatus(
                Result.FAILURE,
                job("inkitBatchStatus(batchId: 'fb_1', credentialsId: 'nope', apiUrl: '" + INKIT.baseUrl() + "')"));
        j.assertLogContains(
                "There is no credential nope that this build may use. Add a \"Secret text\" credential with the ID nope",
                b);
        assertTrue(INKIT.getAllServeEvents().isEmpty(), "nothing was sent");
    }

    @Test
    void aCredentialOfAnotherKindIsNamed() throws Exception {
        CredentialsProvider.lookupStores(j.jenkins)
                .iterator()
                .next()
                .addCredentials(
                        Domain.global(),
                        new UsernamePasswordCredentialsImpl(
                                CredentialsScope.GLOBAL,
                                "user-pass",
                                "not a token",
                                "someone",
                                "a-long-enough-password"));
        WorkflowRun b = j.buildAndAssertStatus(
                Result.FAILURE,
                job("inkitBatchStatus(batchId: 'fb_1', credentialsId: 'user-pass', apiUrl: '" + INKIT.baseUrl()
                        + "')"));
        j.assertLogContains(
                "The credential user-pass is of the kind \"Username with password\"; the Inkit API token must be a \"Secret text\"",
                b);
        assertTrue(INKIT.getAllServeEvents().isEmpty(), "nothing was sent");
    }

    @Test
    void aRejectedTokenNamesTheCredentialNotTheToken() throws Exception {
        INKIT.stubFor(batchRequest("fb_1")
                .willReturn(aResponse().withStatus(401).withBody("{\"detail\": \"bad token " + TOKEN + "\"}")));
        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, job("inkitBatchStatus(" + args("fb_1", "") + ")"));
        j.assertLogContains("Inkit rejected the API token (HTTP 401). Check the credential inkit-api-token", b);
        j.assertLogNotContains(TOKEN, b);
    }

    @Test
    void badInputIsRefusedBeforeAnyRequest() throws Exception {
        WorkflowRun badId =
                j.buildAndAssertStatus(Result.FAILURE, job("inkitBatchStatus(" + args("../../users", "") + ")"));
        j.assertLogContains("may contain only letters, digits, '_' and '-'", badId);
        WorkflowRun plainHttp = j.buildAndAssertStatus(
                Result.FAILURE,
                job("inkitBatchStatus(batchId: 'fb_1', credentialsId: '" + CREDENTIALS_ID
                        + "', apiUrl: 'http://inkit.example.com')"));
        j.assertLogContains("the API token would cross the network unencrypted", plainHttp);
        WorkflowRun noCredential = j.buildAndAssertStatus(Result.FAILURE, job("inkitBatchStatus(batchId: 'fb_1')"));
        j.assertLogContains("No credential given: set credentialsId", noCredential);
        WorkflowRun inverted = j.buildAndAssertStatus(
                Result.FAILURE,
                job("inkitBatchStatus(" + args("fb_1", "pollIntervalSeconds: 60, maxPollIntervalSeconds: 10") + ")"));
        j.assertLogContains("The maximum poll interval (10s) is shorter than the poll interval (1m)", inverted);
        assertTrue(INKIT.getAllServeEvents().isEmpty(), "nothing was sent");
    }

    @Test
    void aTokenPastedWithANonBreakingSpaceIsRefusedAndWrittenNowhere() throws Exception {
        String pasted = "inkit-PASTED-secret-4c2e\u00a0";
        InkitApiStubs.addSecretText(j.jenkins, CredentialsScope.GLOBAL, "pasted", pasted);
        WorkflowJob p =
                job("inkitBatchStatus(batchId: 'fb_1', credentialsId: 'pasted', apiUrl: '" + INKIT.baseUrl() + "')");
        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains(
                "The Inkit API token in the credential pasted contains a non-breaking space, which cannot be sent in"
                        + " an HTTP header.",
                b);
        j.assertLogNotContains("inkit-PASTED-secret", b);
        j.assertLogNotContains("\tat ", b);
        assertNoFileContains(p.getRootDir().toPath(), "inkit-PASTED-secret");
        assertTrue(INKIT.getAllServeEvents().isEmpty(), "nothing was sent");
    }

    @Test
    void anAnswerThatEchoesTheTokenShowsItNowhere() throws Exception {
        INKIT.stubFor(batchRequest("fb_echo")
                .willReturn(okJson("{\"id\": \"fb_echo\", \"name\": \"key " + TOKEN + "\", \"status\": \"" + TOKEN
                        + "\", \"total\": 1, \"destinations\": {\"inkit_storage\": {\"count\": 1, \"completed\": 1,"
                        + " \"failed\": 0, \"in_progress\": 0, \"status\": \"" + TOKEN + "\"}}}")));
        WorkflowJob p = job("def b = inkitBatchStatus(" + args("fb_echo", "") + ")\necho \"name=${b.name}\"");
        WorkflowRun b = j.buildAndAssertSuccess(p);
        j.assertLogContains("name=key ****", b);
        j.assertLogNotContains(TOKEN, b);
        assertNoFileContains(p.getRootDir().toPath(), TOKEN);
    }

    @Test
    void theCredentialsUseIsRecordedWithTheBuild() throws Exception {
        INKIT.stubFor(batchRequest("fb_done")
                .willReturn(okJson(batch("fb_done", "Completed", 1, dest("inkit_storage", 1, 1, 0, 0)))));
        WorkflowJob p = job("inkitBatchStatus(" + args("fb_done", "") + ")");
        WorkflowRun b = j.buildAndAssertSuccess(p);
        StringCredentials credential = CredentialsMatchers.firstOrNull(
                CredentialsProvider.lookupCredentialsInItemGroup(
                        StringCredentials.class, j.jenkins, ACL.SYSTEM2, List.of()),
                CredentialsMatchers.withId(CREDENTIALS_ID));
        Fingerprint fingerprint = CredentialsProvider.getFingerprintOf(credential);
        assertNotNull(fingerprint, "the credential's use was tracked");
        assertTrue(fingerprint.getRangeSet(p.getFullName()).includes(b.getNumber()), fingerprint.toString());
    }

    @Test
    void anExplicitInkitUrlWinsOverTheDefaultAndAKeyStaysInsideItsDomain() throws Exception {
        InkitApiStubs.addLocalhostOnlyCredential(j.jenkins, "local-token");
        InkitGlobalConfiguration.get().setApiUrl(INKIT.baseUrl());
        INKIT.stubFor(batchRequest("fb_done")
                .willReturn(okJson(batch("fb_done", "Completed", 1, dest("inkit_storage", 1, 1, 0, 0)))));
        // Without a URL of its own, the step uses the default: the stub, which the key's domain covers.
        j.buildAndAssertSuccess(job("inkitBatchStatus(batchId: 'fb_done', credentialsId: 'local-token')"));
        // Inkit's own URL written on the step wins over the default, and the key is not sent there.
        WorkflowRun b = j.buildAndAssertStatus(
                Result.FAILURE,
                job(
                        "inkitBatchStatus(batchId: 'fb_done', credentialsId: 'local-token', apiUrl: 'https://api.inkit.com')"));
        j.assertLogContains("Checking Inkit batch fb_done at https://api.inkit.com/", b);
        j.assertLogContains(
                "The credential local-token belongs to a credentials domain that does not cover https://api.inkit.com/,"
                        + " so it is not sent there.",
                b);
        INKIT.verify(1, getRequestedFor(urlEqualTo(path("fb_done"))));
    }

    @Test
    void failedDocumentsAreNamedButTheirPersonalDataShowsNowhere() throws Exception {
        INKIT.stubFor(batchRequest("fb_failed")
                .willReturn(okJson(batch(
                        "fb_failed",
                        "Completed",
                        3,
                        dest("inkit_storage", 3, 3, 0, 0),
                        dest("salesforce", 3, 1, 2, 0)))));
        INKIT.stubFor(InkitApiStubs.runListRequest()
                .willReturn(okJson(InkitApiStubs.runPage(
                        InkitApiStubs.failedRun("rend_2", "fb_failed", "INVALID_FIELD: Email"),
                        InkitApiStubs.failedRun("rend_other", "fb_another", "not ours"),
                        InkitApiStubs.failedRun(
                                "rend_1",
                                "fb_failed",
                                "INVALID_EMAIL_ADDRESS: invalid email address: " + InkitApiStubs.PII_EMAIL)))));
        // Failing the build, as by default: the console names them.
        WorkflowJob failing = job("inkitBatchStatus(" + args("fb_failed", "") + ")");
        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, failing);
        j.assertLogContains("Failed documents:", b);
        j.assertLogContains("  rend_2  Monthly statement  salesforce: INVALID_FIELD: Email", b);
        j.assertLogContains(
                "  rend_1  Monthly statement  salesforce: INVALID_EMAIL_ADDRESS: invalid email address: [personal data]",
                b);
        j.assertLogNotContains("rend_other", b);
        j.assertLogContains("2 document(s) failed in Inkit batch fb_failed (salesforce: 2).", b);
        // Reporting only: the script gets them in the returned map.
        WorkflowJob reporting = job("def r = inkitBatchStatus(" + args("fb_failed", "failOnFailedDocuments: false")
                + ")\necho \"first=${r.failedDocuments[0].id} why=${r.failedDocuments[0].destinations.salesforce}"
                + " second=${r.failedDocuments[1].id} flow=${r.failedDocuments[1].flowName}"
                + " complete=${r.failedDocumentsComplete}\"");
        WorkflowRun reported = j.buildAndAssertSuccess(reporting);
        j.assertLogContains(
                "first=rend_2 why=INVALID_FIELD: Email second=rend_1 flow=Monthly statement complete=true", reported);
        for (WorkflowJob p : List.of(failing, reporting)) {
            WorkflowRun run = p.getLastBuild();
            j.assertLogNotContains(InkitApiStubs.PII_NAME, run);
            j.assertLogNotContains(InkitApiStubs.PII_EMAIL, run);
            assertNoFileContains(p.getRootDir().toPath(), InkitApiStubs.PII_NAME);
            assertNoFileContains(p.getRootDir().toPath(), InkitApiStubs.PII_EMAIL);
        }
    }

    @Test
    void aKeyThatMayNotListRunsLeavesTheVerdictAsItIs() throws Exception {
        INKIT.stubFor(batchRequest("fb_failed")
                .willReturn(okJson(batch("fb_failed", "Completed", 3, dest("salesforce", 3, 1, 2, 0)))));
        INKIT.stubFor(InkitApiStubs.runListRequest().willReturn(aResponse().withStatus(403)));
        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, job("inkitBatchStatus(" + args("fb_failed", "") + ")"));
        j.assertLogContains("The failed documents could not be named: ", b);
        j.assertLogContains("(HTTP 403)", b);
        j.assertLogContains("2 document(s) failed in Inkit batch fb_failed (salesforce: 2).", b);
        // Reporting only, the step still succeeds, and says the list is not complete.
        WorkflowRun reported = j.buildAndAssertSuccess(job("def r = inkitBatchStatus("
                + args("fb_failed", "failOnFailedDocuments: false") + ")\necho \"failed=${r.failed}"
                + " named=${r.failedDocuments} complete=${r.failedDocumentsComplete}\""));
        j.assertLogContains("failed=2 named=[] complete=false", reported);
    }

    @Test
    void theTokenAppearsInNoLogAndNoFileOfTheBuild() throws Exception {
        InkitApiStubs.answerInTurn(
                INKIT,
                "fb_progress",
                batch("fb_progress", "Processing", 2, dest("inkit_storage", 2, 1, 0, 1)),
                batch("fb_progress", "Completed", 2, dest("inkit_storage", 2, 1, 1, 0)));
        WorkflowRun b = j.buildAndAssertStatus(
                Result.FAILURE,
                job("inkitBatchStatus(" + args("fb_progress", "wait: true, pollIntervalSeconds: 1") + ")"));
        j.assertLogNotContains(TOKEN, b);
        assertNoFileContains(b.getParent().getRootDir().toPath(), TOKEN);
        // The token did reach Inkit, in its header.
        INKIT.verify(
                2,
                getRequestedFor(urlEqualTo(path("fb_progress")))
                        .withHeader(
                                "X-Inkit-API-Token", com.github.tomakehurst.wiremock.client.WireMock.equalTo(TOKEN)));
    }

    static void assertNoFileContains(Path dir, String secret) throws IOException {
        byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertFalse(files.isEmpty());
        for (Path f : files) {
            byte[] content = Files.readAllBytes(f);
            assertFalse(indexOf(content, needle) >= 0, "the token is in " + f);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
