package io.jenkins.plugins.inkit;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.jenkins.plugins.inkit.InkitApiStubs.CREDENTIALS_ID;
import static io.jenkins.plugins.inkit.InkitApiStubs.TOKEN;
import static io.jenkins.plugins.inkit.InkitApiStubs.batch;
import static io.jenkins.plugins.inkit.InkitApiStubs.batchRequest;
import static io.jenkins.plugins.inkit.InkitApiStubs.dest;
import static io.jenkins.plugins.inkit.InkitApiStubs.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import hudson.model.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/** A controller restart in the middle of a wait: the wait goes on toward the same deadline and finishes. */
class InkitBatchStatusRestartTest {

    @SuppressWarnings("unused")
    @RegisterExtension
    static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @RegisterExtension
    static final WireMockExtension INKIT = InkitApiStubs.server();

    @RegisterExtension
    final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @Test
    void aWaitSurvivesARestartAndFinishes() throws Throwable {
        INKIT.stubFor(batchRequest("fb_long")
                .willReturn(okJson(batch("fb_long", "Processing", 4, dest("inkit_storage", 4, 1, 0, 3)))));
        sessions.then(j -> {
            InkitApiStubs.addTokenCredential(j.jenkins);
            WorkflowJob p = j.createProject(WorkflowJob.class, "p");
            p.setDefinition(new CpsFlowDefinition(
                    "def b = inkitBatchStatus(batchId: 'fb_long', credentialsId: '" + CREDENTIALS_ID
                            + "', apiUrl: '" + INKIT.baseUrl()
                            + "', wait: true, timeout: 10, pollIntervalSeconds: 1, maxPollIntervalSeconds: 2)\n"
                            + "echo \"after restart: finished=${b.finished} completed=${b.destinations.inkit_storage.completed}\"",
                    true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            j.waitForMessage("Processing: 1/4 settled", b);
            // The saved program holds the wait's state, and never the token.
            Path program = b.getRootDir().toPath().resolve("program.dat");
            for (int i = 0; i < 100 && !Files.exists(program); i++) {
                Thread.sleep(100);
            }
            assertTrue(Files.exists(program), "the program was saved");
            InkitBatchStatusStepTest.assertNoFileContains(b.getRootDir().toPath(), TOKEN);
        });
        // While Jenkins is down, the batch finishes.
        INKIT.resetAll();
        INKIT.stubFor(batchRequest("fb_long")
                .willReturn(okJson(batch("fb_long", "Completed", 4, dest("inkit_storage", 4, 4, 0, 0)))));
        sessions.then(j -> {
            WorkflowRun b = j.jenkins.getItemByFullName("p", WorkflowJob.class).getLastBuild();
            j.assertBuildStatusSuccess(j.waitForCompletion(b));
            j.assertLogContains("Jenkins restarted; continuing with Inkit batch fb_long", b);
            j.assertLogContains("after restart: finished=true completed=4", b);
            j.assertLogNotContains(TOKEN, b);
            String log = JenkinsRule.getLog(b);
            assertEquals(
                    1,
                    log.split("Waiting for Inkit batch fb_long", -1).length - 1,
                    "the wait was resumed, not started again");
            INKIT.verify(1, getRequestedFor(urlEqualTo(path("fb_long"))));
        });
    }

    @Test
    void aWaitWhoseDeadlinePassedWhileJenkinsWasDownEndsAtOnceSayingSo() throws Throwable {
        INKIT.stubFor(batchRequest("fb_late")
                .willReturn(okJson(batch("fb_late", "Processing", 4, dest("inkit_storage", 4, 1, 0, 3)))));
        Instant[] started = new Instant[1];
        sessions.then(j -> {
            InkitApiStubs.addTokenCredential(j.jenkins);
            WorkflowJob p = j.createProject(WorkflowJob.class, "late");
            p.setDefinition(new CpsFlowDefinition(
                    "inkitBatchStatus(batchId: 'fb_late', credentialsId: '" + CREDENTIALS_ID + "', apiUrl: '"
                            + INKIT.baseUrl()
                            + "', wait: true, timeout: 1, pollIntervalSeconds: 30, maxPollIntervalSeconds: 30)",
                    true));
            started[0] = Instant.now();
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            j.waitForMessage("Processing: 1/4 settled", b);
        });
        // Jenkins stays down past the step's one-minute deadline.
        Instant pastDeadline = started[0].plus(Duration.ofSeconds(65));
        while (Instant.now().isBefore(pastDeadline)) {
            Thread.sleep(
                    Math.max(1, Duration.between(Instant.now(), pastDeadline).toMillis()));
        }
        sessions.then(j -> {
            WorkflowRun b =
                    j.jenkins.getItemByFullName("late", WorkflowJob.class).getLastBuild();
            j.assertBuildStatus(Result.FAILURE, j.waitForCompletion(b));
            j.assertLogContains(
                    "Inkit batch fb_late did not finish within 1m. Last seen: 1 of 4 document generations settled", b);
            j.assertLogContains("raise its timeout (in minutes) to wait longer.", b);
            INKIT.verify(1, getRequestedFor(urlEqualTo(path("fb_late"))));
            InkitBatchAction action = b.getAction(InkitBatchAction.class);
            assertFalse(action.isWaiting(), "the build page does not say it is waiting");
            assertTrue(action.getOutcome().contains("did not finish within 1m"), action.getOutcome());
        });
    }

    @Test
    void aRestartWhileTheLaunchRequestIsInFlightNeverSendsItAgain() throws Throwable {
        // Inkit takes its time to answer: Jenkins goes down while the request is in flight.
        INKIT.stubFor(InkitApiStubs.launchRequest()
                .willReturn(okJson(InkitApiStubs.launched("fb_maybe", "Restarted", 1))
                        .withFixedDelay(120_000)));
        sessions.then(j -> {
            InkitApiStubs.addTokenCredential(j.jenkins);
            WorkflowJob p = j.createProject(WorkflowJob.class, "launcher");
            p.setDefinition(new CpsFlowDefinition(
                    "inkitLaunchBatch(name: 'Restarted', credentialsId: '" + CREDENTIALS_ID + "', apiUrl: '"
                            + INKIT.baseUrl() + "', flows: [[flowId: 'flow_abc', mergeParameters: [[name: 'Ann']]]])",
                    true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            InkitApiStubs.awaitRequests(INKIT, postRequestedFor(urlEqualTo("/v1/invoke/batch")), 1);
            j.waitForMessage("Launching Inkit batch 'Restarted'", b);
        });
        sessions.then(j -> {
            WorkflowRun b =
                    j.jenkins.getItemByFullName("launcher", WorkflowJob.class).getLastBuild();
            j.assertBuildStatus(Result.FAILURE, j.waitForCompletion(b));
            j.assertLogContains(
                    "Jenkins restarted before the launch of Inkit batch 'Restarted' was confirmed: the batch may or may"
                            + " not have been launched.",
                    b);
            INKIT.verify(1, postRequestedFor(urlEqualTo("/v1/invoke/batch")));
        });
    }
}
