package io.jenkins.plugins.inkit;

import static io.jenkins.plugins.inkit.InkitApiStubs.CREDENTIALS_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.jenkinsci.plugins.workflow.cps.Snippetizer;
import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The step in the Snippet Generator and the configuration form, and who may see what there. */
@WithJenkins
class InkitBatchStatusStepConfigTest {

    private static final String DESCRIPTOR_URL = "descriptorByName/" + InkitBatchStatusStep.class.getName() + "/";

    private JenkinsRule j;
    private WorkflowJob job;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        j = rule;
        InkitApiStubs.addTokenCredential(j.jenkins);
        job = j.createProject(WorkflowJob.class, "p");
    }

    private void secure() {
        InkitApiStubs.secure(j);
    }

    private static InkitBatchStatusStep fullyConfigured() {
        InkitBatchStatusStep step = new InkitBatchStatusStep("fb_4AO6oyjh5yc9jvRKJplghb");
        step.setCredentialsId(CREDENTIALS_ID);
        step.setWait(true);
        step.setTimeout(30);
        step.setPollIntervalSeconds(10);
        step.setMaxPollIntervalSeconds(120);
        step.setFailOnFailedDocuments(false);
        step.setApiUrl("https://inkit-proxy.example.com");
        return step;
    }

    @Test
    void theFormRoundTripsEverySetting() throws Exception {
        InkitBatchStatusStep before = fullyConfigured();
        InkitBatchStatusStep after = new StepConfigTester(j).configRoundTrip(before);
        j.assertEqualDataBoundBeans(before, after);

        InkitBatchStatusStep minimal = new InkitBatchStatusStep("fb_1");
        minimal.setCredentialsId(CREDENTIALS_ID);
        InkitBatchStatusStep minimalAfter = new StepConfigTester(j).configRoundTrip(minimal);
        j.assertEqualDataBoundBeans(minimal, minimalAfter);
        assertNull(minimalAfter.getApiUrl(), "the default URL is not stored");
        assertEquals(60, minimalAfter.getTimeout());
        assertTrue(minimalAfter.isFailOnFailedDocuments());
    }

    @Test
    void theSnippetGeneratorRoundTrips() throws Exception {
        InkitBatchStatusStep minimal = new InkitBatchStatusStep("fb_1");
        minimal.setCredentialsId(CREDENTIALS_ID);
        String snippet = Snippetizer.object2Groovy(minimal);
        assertEquals(
                "inkitBatchStatus batchId: 'fb_1', credentialsId: 'inkit-api-token'", snippet, "defaults are left out");
        new SnippetizerTester(j).assertRoundTrip(minimal, snippet);

        InkitBatchStatusStep full = fullyConfigured();
        String fullSnippet = Snippetizer.object2Groovy(full);
        for (String part : List.of(
                "batchId: 'fb_4AO6oyjh5yc9jvRKJplghb'",
                "wait: true",
                "timeout: 30",
                "pollIntervalSeconds: 10",
                "maxPollIntervalSeconds: 120",
                "failOnFailedDocuments: false",
                "apiUrl: 'https://inkit-proxy.example.com'")) {
            assertTrue(fullSnippet.contains(part), fullSnippet + " lacks " + part);
        }
        new SnippetizerTester(j).assertRoundTrip(full, fullSnippet);
    }

    private ListBoxModel credentialsAs(String user) throws Exception {
        InkitBatchStatusStep.DescriptorImpl d =
                j.jenkins.getDescriptorByType(InkitBatchStatusStep.DescriptorImpl.class);
        try (ACLContext ignored = ACL.as2(User.getById(user, true).impersonate2())) {
            return d.doFillCredentialsIdItems(job, "", null);
        }
    }

    @Test
    void onlyThoseWhoMayConfigureTheJobSeeTheCredentials() throws Exception {
        secure();
        ListBoxModel forConfigurer = credentialsAs("configurer");
        assertTrue(
                forConfigurer.stream().anyMatch(o -> o.value.equals(CREDENTIALS_ID)),
                "configurer sees " + forConfigurer);

        ListBoxModel forReader = credentialsAs("reader");
        assertEquals(1, forReader.size(), "reader sees only the current (empty) value: " + forReader);
        assertEquals("", forReader.get(0).value);
    }

    @Test
    void checksAreRefusedOverGet() throws Exception {
        secure();
        JenkinsRule.WebClient wc = j.createWebClient().withThrowExceptionOnFailingStatusCode(false);
        wc.login("admin");
        Page page = wc.goTo("job/p/" + DESCRIPTOR_URL + "checkBatchId?value=" + "..%2Fusers", null);
        int status = page.getWebResponse().getStatusCode();
        assertTrue(status == 404 || status == 405, "a GET must not run the check: HTTP " + status);
    }

    private String postCheck(String user, String method, String query) throws Exception {
        JenkinsRule.WebClient wc = j.createWebClient().withThrowExceptionOnFailingStatusCode(false);
        wc.login(user);
        WebRequest request =
                new WebRequest(wc.createCrumbedUrl("job/p/" + DESCRIPTOR_URL + method + "?" + query), HttpMethod.POST);
        Page page = wc.getPage(request);
        assertEquals(200, page.getWebResponse().getStatusCode());
        return page.getWebResponse().getContentAsString();
    }

    @Test
    void checksValidateForThoseWhoMayConfigure() throws Exception {
        secure();
        assertTrue(postCheck("configurer", "checkBatchId", "value=..%2Fusers").contains("may contain only letters"));
        assertTrue(postCheck("configurer", "checkApiUrl", "value=http%3A%2F%2Finkit.example.com")
                .contains("unencrypted"));
        assertTrue(postCheck("configurer", "checkCredentialsId", "value=nope").contains("There is no"));
        assertEquals("<div/>", postCheck("configurer", "checkCredentialsId", "value=" + CREDENTIALS_ID));
        assertTrue(postCheck("configurer", "checkTimeout", "value=0").contains("at least 1"));
        assertTrue(postCheck("configurer", "checkTimeout", "value=43201").contains("at most 43200"));
        assertTrue(postCheck("configurer", "checkCredentialsId", "value=").contains("No credential given"));
        InkitGlobalConfiguration.get().setCredentialsId(CREDENTIALS_ID);
        assertTrue(postCheck("configurer", "checkCredentialsId", "value=")
                .contains("the default credential inkit-api-token"));
        String elsewhere = URLEncoder.encode("https://inkit-proxy.example.com", StandardCharsets.UTF_8);
        assertTrue(postCheck("configurer", "checkCredentialsId", "value=&apiUrl=" + elsewhere)
                .contains("is sent only to the default API URL"));
        // Those who may not configure the job learn nothing, not even whether a credential exists.
        assertEquals("<div/>", postCheck("reader", "checkCredentialsId", "value=nope"));
        assertEquals("<div/>", postCheck("reader", "checkBatchId", "value=..%2Fusers"));
    }

    @Test
    void pipelineViewsShowTheBatchId() {
        InkitBatchStatusStep.DescriptorImpl d =
                j.jenkins.getDescriptorByType(InkitBatchStatusStep.DescriptorImpl.class);
        assertEquals("fb_1", d.argumentsToString(java.util.Map.of("batchId", "fb_1", "credentialsId", CREDENTIALS_ID)));
    }

    @Test
    void formValidationOfIntervals() {
        InkitBatchStatusStep.DescriptorImpl d =
                j.jenkins.getDescriptorByType(InkitBatchStatusStep.DescriptorImpl.class);
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            assertEquals(FormValidation.Kind.ERROR, d.doCheckMaxPollIntervalSeconds(job, "10", "60").kind);
            assertEquals(FormValidation.Kind.OK, d.doCheckMaxPollIntervalSeconds(job, "60", "").kind);
            assertEquals(
                    FormValidation.Kind.OK,
                    d.doCheckMaxPollIntervalSeconds(job, "", "600").kind,
                    "empty follows the poll interval up");
            assertEquals(FormValidation.Kind.OK, d.doCheckBatchId(job, "${BATCH_ID}").kind);
        }
    }

    @Test
    void inkitsOwnUrlWrittenOnTheStepIsKept() throws Exception {
        InkitBatchStatusStep step = new InkitBatchStatusStep("fb_1");
        step.setCredentialsId(CREDENTIALS_ID);
        step.setApiUrl(" https://api.inkit.com ");
        assertEquals("https://api.inkit.com", step.getApiUrl(), "an explicit URL wins over a global default");
        String snippet = Snippetizer.object2Groovy(step);
        assertTrue(snippet.contains("apiUrl: 'https://api.inkit.com'"), snippet);
        new SnippetizerTester(j).assertRoundTrip(step, snippet);
        step.setApiUrl("  ");
        assertNull(step.getApiUrl(), "blank means none: the default applies");
    }

    @Test
    void theCredentialCheckUsesTheUrlTheBuildWouldUse() throws Exception {
        secure();
        InkitApiStubs.addLocalhostOnlyCredential(j.jenkins, "local-token");
        String stub = URLEncoder.encode("http://localhost:8089", StandardCharsets.UTF_8);
        assertEquals("<div/>", postCheck("configurer", "checkCredentialsId", "value=local-token&apiUrl=" + stub));
        String forInkit = postCheck("configurer", "checkCredentialsId", "value=local-token&apiUrl=");
        assertTrue(forInkit.contains("that this job may send to https://api.inkit.com/"), forInkit);
        // With a default URL that its domain covers, the step needs no URL of its own.
        InkitGlobalConfiguration.get().setApiUrl("http://localhost:8089");
        assertEquals("<div/>", postCheck("configurer", "checkCredentialsId", "value=local-token&apiUrl="));
    }
}
