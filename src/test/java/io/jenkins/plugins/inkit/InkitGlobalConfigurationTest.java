package io.jenkins.plugins.inkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.jenkins.plugins.inkit.InkitApiStubs.CREDENTIALS_ID;
import static io.jenkins.plugins.inkit.InkitApiStubs.TOKEN;
import static io.jenkins.plugins.inkit.InkitApiStubs.batch;
import static io.jenkins.plugins.inkit.InkitApiStubs.batchRequest;
import static io.jenkins.plugins.inkit.InkitApiStubs.dest;
import static io.jenkins.plugins.inkit.InkitApiStubs.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import hudson.model.Result;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The Inkit section of Manage Jenkins > System, its "Test connection" button, and the step using its defaults. */
@WithJenkins
class InkitGlobalConfigurationTest {

    @RegisterExtension
    static final WireMockExtension INKIT = InkitApiStubs.server();

    private static final String TEST_URL =
            "descriptorByName/" + InkitGlobalConfiguration.class.getName() + "/testConnection";

    private JenkinsRule j;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        j = rule;
        InkitApiStubs.addTokenCredential(j.jenkins);
    }

    @Test
    void theFormRoundTrips() throws Exception {
        InkitGlobalConfiguration config = InkitGlobalConfiguration.get();
        config.setApiUrl("https://inkit-proxy.example.com");
        config.setCredentialsId(CREDENTIALS_ID);
        j.configRoundtrip();
        assertEquals("https://inkit-proxy.example.com", config.getApiUrl());
        assertEquals(CREDENTIALS_ID, config.getCredentialsId());

        config.setApiUrl("https://api.inkit.com");
        assertNull(config.getApiUrl(), "the default is not stored");
        assertThrows(IllegalArgumentException.class, () -> config.setApiUrl("http://inkit.example.com"));
    }

    private Page testConnection(String user, String credentialsId, String apiUrl) throws Exception {
        JenkinsRule.WebClient wc = j.createWebClient().withThrowExceptionOnFailingStatusCode(false);
        if (user != null) {
            wc.login(user);
        }
        String query = "credentialsId=" + URLEncoder.encode(credentialsId, StandardCharsets.UTF_8) + "&apiUrl="
                + URLEncoder.encode(apiUrl, StandardCharsets.UTF_8);
        return wc.getPage(new WebRequest(wc.createCrumbedUrl(TEST_URL + "?" + query), HttpMethod.POST));
    }

    @Test
    void testConnectionSaysWhetherInkitAcceptsTheTokenWithoutShowingIt() throws Exception {
        INKIT.stubFor(get(urlPathEqualTo("/v1/invoke/batch"))
                .withHeader("X-Inkit-API-Token", equalTo(TOKEN))
                .willReturn(okJson("{\"items\": [], \"metadata\": {}}")));
        String accepted = testConnection(null, CREDENTIALS_ID, INKIT.baseUrl())
                .getWebResponse()
                .getContentAsString();
        assertTrue(accepted.contains("accepted the token"), accepted);
        assertFalse(accepted.contains(TOKEN));

        INKIT.resetAll();
        INKIT.stubFor(get(urlPathEqualTo("/v1/invoke/batch"))
                .willReturn(aResponse().withStatus(401).withBody("bad token " + TOKEN)));
        String rejected = testConnection(null, CREDENTIALS_ID, INKIT.baseUrl())
                .getWebResponse()
                .getContentAsString();
        assertTrue(rejected.contains("Inkit rejected the API token (HTTP 401)"), rejected);
        assertFalse(rejected.contains(TOKEN));

        String missing =
                testConnection(null, "nope", INKIT.baseUrl()).getWebResponse().getContentAsString();
        assertTrue(missing.contains("There is no credential nope"), missing);
    }

    @Test
    void testConnectionIsForAdministratorsAndOnlyByPost() throws Exception {
        InkitApiStubs.secure(j);
        INKIT.stubFor(get(urlPathEqualTo("/v1/invoke/batch")).willReturn(okJson("{\"items\": []}")));

        assertEquals(
                403,
                testConnection("configurer", CREDENTIALS_ID, INKIT.baseUrl())
                        .getWebResponse()
                        .getStatusCode());
        assertEquals(
                200,
                testConnection("admin", CREDENTIALS_ID, INKIT.baseUrl())
                        .getWebResponse()
                        .getStatusCode());

        JenkinsRule.WebClient wc = j.createWebClient().withThrowExceptionOnFailingStatusCode(false);
        wc.login("admin");
        int status = wc.goTo(TEST_URL + "?credentialsId=" + CREDENTIALS_ID + "&apiUrl=" + INKIT.baseUrl(), null)
                .getWebResponse()
                .getStatusCode();
        assertTrue(status == 404 || status == 405, "a GET must not run the test: HTTP " + status);
        assertEquals(
                1,
                INKIT.findAll(getRequestedFor(urlPathEqualTo("/v1/invoke/batch")))
                        .size(),
                "only the admin's POST reached Inkit");
    }

    @Test
    void theStepUsesTheDefaults() throws Exception {
        InkitGlobalConfiguration.get().setCredentialsId(CREDENTIALS_ID);
        InkitGlobalConfiguration.get().setApiUrl(INKIT.baseUrl());
        INKIT.stubFor(batchRequest("fb_done")
                .willReturn(okJson(batch("fb_done", "Completed", 1, dest("inkit_storage", 1, 1, 0, 0)))));
        WorkflowJob p = j.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition("inkitBatchStatus(batchId: 'fb_done')", true));
        j.buildAndAssertSuccess(p);
        INKIT.verify(1, getRequestedFor(urlEqualTo(path("fb_done"))).withHeader("X-Inkit-API-Token", equalTo(TOKEN)));
    }

    @Test
    void theStepsOwnParametersOverrideTheDefaults() throws Exception {
        String otherToken = "other-SECRET-token-9d8c7b6a5f";
        InkitApiStubs.addSecretText(j.jenkins, CredentialsScope.GLOBAL, "other-token", otherToken);
        InkitGlobalConfiguration.get().setCredentialsId(CREDENTIALS_ID);
        InkitGlobalConfiguration.get().setApiUrl("https://never-used.example.com");
        INKIT.stubFor(get(urlEqualTo(path("fb_done")))
                .withHeader("X-Inkit-API-Token", equalTo(otherToken))
                .willReturn(okJson(batch("fb_done", "Completed", 1, dest("inkit_storage", 1, 1, 0, 0)))));
        WorkflowJob p = j.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition(
                "inkitBatchStatus(batchId: 'fb_done', credentialsId: 'other-token', apiUrl: '" + INKIT.baseUrl() + "')",
                true));
        WorkflowRun b = j.buildAndAssertSuccess(p);
        j.assertLogNotContains(otherToken, b);
        INKIT.verify(
                1, getRequestedFor(urlEqualTo(path("fb_done"))).withHeader("X-Inkit-API-Token", equalTo(otherToken)));
    }

    @Test
    void noCredentialAnywhereSaysWhereToSetOne() throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition("inkitBatchStatus(batchId: 'fb_done')", true));
        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("or set a default credential under Manage Jenkins > System > Inkit.", b);
    }

    private static List<String> offered(String apiUrl) {
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            return InkitGlobalConfiguration.get().doFillCredentialsIdItems("", apiUrl).stream()
                    .map(o -> o.value)
                    .toList();
        }
    }

    @Test
    void systemScopedCredentialsAreNeitherOfferedNorAcceptedSinceBuildsCannotUseThem() throws Exception {
        String systemToken = "system-SECRET-token-1a2b3c4d";
        InkitApiStubs.addSecretText(j.jenkins, CredentialsScope.SYSTEM, "system-token", systemToken);
        List<String> offered = offered("");
        assertTrue(offered.contains(CREDENTIALS_ID), offered.toString());
        assertFalse(offered.contains("system-token"), offered.toString());

        String refused = testConnection(null, "system-token", INKIT.baseUrl())
                .getWebResponse()
                .getContentAsString();
        assertTrue(refused.contains("The credential system-token is System-scoped"), refused);
        assertFalse(refused.contains(systemToken));
        assertTrue(INKIT.getAllServeEvents().isEmpty(), "nothing was sent");
    }

    @Test
    void theCredentialIsLookedUpForTheUrlBeingTested() throws Exception {
        InkitApiStubs.addLocalhostOnlyCredential(j.jenkins, "local-token");
        INKIT.stubFor(get(urlPathEqualTo("/v1/invoke/batch"))
                .withHeader("X-Inkit-API-Token", equalTo(TOKEN))
                .willReturn(okJson("{\"items\": [], \"metadata\": {}}")));

        String accepted = testConnection(null, "local-token", INKIT.baseUrl())
                .getWebResponse()
                .getContentAsString();
        assertTrue(accepted.contains("accepted the token"), accepted);

        String outside = testConnection(null, "local-token", "https://api.inkit.com")
                .getWebResponse()
                .getContentAsString();
        assertTrue(outside.contains("does not cover https://api.inkit.com/"), outside);
        INKIT.verify(1, getRequestedFor(urlPathEqualTo("/v1/invoke/batch")));

        assertTrue(offered(INKIT.baseUrl()).contains("local-token"));
        assertFalse(offered("").contains("local-token"), "not offered for Inkit's own API");
    }

    @Test
    void onlyAdministratorsSeeTheGlobalCredentialList() throws Exception {
        InkitApiStubs.secure(j);
        for (String user : List.of("admin", "configurer")) {
            List<String> values;
            try (ACLContext ignored = ACL.as2(User.getById(user, true).impersonate2())) {
                values = InkitGlobalConfiguration.get().doFillCredentialsIdItems("picked", "").stream()
                        .map(o -> o.value)
                        .toList();
            }
            if (user.equals("admin")) {
                assertTrue(values.contains(CREDENTIALS_ID), values.toString());
            } else {
                assertEquals(List.of("picked"), values, "only the current value, no credential IDs");
            }
        }
    }
}
