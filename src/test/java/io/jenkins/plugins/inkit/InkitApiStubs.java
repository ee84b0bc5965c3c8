package io.jenkins.plugins.inkit;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.domains.HostnameSpecification;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import hudson.model.Item;
import hudson.util.Secret;
import java.io.IOException;
import java.util.List;
import java.util.StringJoiner;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;

/** The Inkit API as WireMock stubs, and the credential the tests use. */
final class InkitApiStubs {

    static final String TOKEN = "inkit-SECRET-token-7f3a9c1e5b";
    static final String CREDENTIALS_ID = "inkit-api-token";

    private InkitApiStubs() {}

    /** A fake Inkit API on a free loopback port, reset between tests. */
    static WireMockExtension server() {
        return WireMockExtension.newInstance()
                .options(WireMockConfiguration.wireMockConfig().dynamicPort())
                .build();
    }

    static void addTokenCredential(Jenkins jenkins) throws IOException {
        addSecretText(jenkins, CredentialsScope.GLOBAL, CREDENTIALS_ID, TOKEN);
    }

    /** A "Secret text" credential in the global domain of Jenkins' own store. */
    static void addSecretText(Jenkins jenkins, CredentialsScope scope, String id, String secret) throws IOException {
        CredentialsProvider.lookupStores(jenkins)
                .iterator()
                .next()
                .addCredentials(
                        Domain.global(),
                        new StringCredentialsImpl(scope, id, "Inkit API key " + id, Secret.fromString(secret)));
    }

    /** Three users: an administrator, one who may configure jobs, one who may only read them. */
    static void secure(JenkinsRule j) {
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER)
                .everywhere()
                .to("admin")
                .grant(Jenkins.READ, Item.READ, Item.CONFIGURE)
                .everywhere()
                .to("configurer")
                .grant(Jenkins.READ, Item.READ)
                .everywhere()
                .to("reader"));
    }

    static String path(String batchId) {
        return "/v1/invoke/batch/" + batchId;
    }

    /** A GET of the batch that carries the token, as Inkit expects it. */
    static MappingBuilder batchRequest(String batchId) {
        return get(urlEqualTo(path(batchId))).withHeader("X-Inkit-API-Token", equalTo(TOKEN));
    }

    static String dest(String name, long count, long completed, long failed, long inProgress) {
        return "\"" + name + "\": {\"count\": " + count + ", \"completed\": " + completed + ", \"failed\": " + failed
                + ", \"in_progress\": " + inProgress + ", \"status\": \""
                + (inProgress > 0 ? "in_progress" : "completed") + "\"}";
    }

    static String batch(String id, String status, long total, String... destinations) {
        StringJoiner d = new StringJoiner(", ", "{", "}");
        for (String dest : destinations) {
            d.add(dest);
        }
        return "{\"created_at\": \"2026-11-29T10:00:00.000000Z\", \"destinations\": " + d + ", \"id\": \"" + id
                + "\", \"name\": \"Monthly statements\", \"status\": \"" + status + "\", \"total\": " + total + "}";
    }

    /** Made-up personal data in every run's merge parameters: it must never show anywhere. */
    static final String PII_NAME = "Ada Testperson-Lovelace";

    static final String PII_EMAIL = "ada.testperson@example.org";

    /** A run of {@code batchId} created just after the batch, failed on salesforce with {@code error}. */
    static String failedRun(String id, String batchId, String error) {
        return "{\"id\": \"" + id + "\", \"flow_id\": \"flow_1\", \"flow_name\": \"Monthly statement\","
                + " \"flows_batch_id\": \"" + batchId
                + "\", \"status\": \"failed\", \"destination_status\": \"failed\","
                + " \"destinations\": {\"inkit_storage\": {\"status\": \"completed\"}, \"salesforce\": {\"status\":"
                + " \"failed\", \"error\": \"" + error + "\"}}, \"merge_parameters\": {\"name\": \"" + PII_NAME
                + "\", \"email\": \"" + PII_EMAIL + "\"}, \"created_at\": \"2026-11-29T10:00:05.000000Z\"}";
    }

    /** The only page of the run list, {@code GET /v1/invoke}, holding {@code runs}. */
    static MappingBuilder runListRequest() {
        return get(urlPathEqualTo("/v1/invoke")).withHeader("X-Inkit-API-Token", equalTo(TOKEN));
    }

    static String runPage(String... runs) {
        return "{\"items\": [" + String.join(", ", runs) + "], \"metadata\": {\"pagination\": {\"page_size\": 100,"
                + " \"current_page\": 1, \"next_page\": null, \"prev_page\": null, \"page_count\": 1, \"total_count\": "
                + runs.length + "}}}";
    }

    /** Answers {@code bodies} in turn, then keeps answering the last one. */
    static void answerInTurn(WireMockExtension wm, String batchId, String... bodies) {
        ResponseDefinitionBuilder[] answers = new ResponseDefinitionBuilder[bodies.length];
        for (int i = 0; i < bodies.length; i++) {
            answers[i] = okJson(bodies[i]);
        }
        answerInTurn(wm, batchId, answers);
    }

    /** Gives {@code answers} in turn, then keeps giving the last one. */
    static void answerInTurn(WireMockExtension wm, String batchId, ResponseDefinitionBuilder... answers) {
        String scenario = "batch " + batchId;
        for (int i = 0; i < answers.length; i++) {
            String state = i == 0 ? Scenario.STARTED : "answer " + i;
            ScenarioMappingBuilder stub = batchRequest(batchId)
                    .inScenario(scenario)
                    .whenScenarioStateIs(state)
                    .willReturn(answers[i]);
            if (i + 1 < answers.length) {
                stub = stub.willSetStateTo("answer " + (i + 1));
            }
            wm.stubFor(stub);
        }
    }

    /**
     * A "Secret text" credential holding {@link #TOKEN} in a credentials domain that covers only
     * {@code localhost}, as docs/jenkins.md advises for {@code api.inkit.com}: the stub server is
     * covered, Inkit's own API is not.
     */
    static void addLocalhostOnlyCredential(Jenkins jenkins, String id) throws IOException {
        CredentialsProvider.lookupStores(jenkins)
                .iterator()
                .next()
                .addDomain(
                        new Domain(
                                "stub-only", "The stub server", List.of(new HostnameSpecification("localhost", null))),
                        new StringCredentialsImpl(
                                CredentialsScope.GLOBAL, id, "Inkit API key for localhost", Secret.fromString(TOKEN)));
    }

    /** Waits, up to a deadline, until the stub server has received {@code count} requests for the batch. */
    static void awaitRequests(WireMockExtension wm, String batchId, int count) throws InterruptedException {
        awaitRequests(wm, getRequestedFor(urlEqualTo(path(batchId))), count);
    }

    /** Waits, up to a deadline, until the stub server has received {@code count} requests like {@code pattern}. */
    static void awaitRequests(WireMockExtension wm, RequestPatternBuilder pattern, int count)
            throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (wm.findAll(pattern).size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fewer than " + count + " requests arrived");
            }
            Thread.sleep(50);
        }
    }

    /** The launch of a batch, {@code POST /v1/invoke/batch}, carrying the token. */
    static MappingBuilder launchRequest() {
        return post(urlEqualTo("/v1/invoke/batch")).withHeader("X-Inkit-API-Token", equalTo(TOKEN));
    }

    /** Inkit's answer to a launch: the new batch and one rendering per document. */
    static String launched(String id, String name, int documents) {
        StringJoiner data = new StringJoiner(", ", "[", "]");
        for (int i = 1; i <= documents; i++) {
            data.add("{\"id\": \"rend_" + i + "\", \"document_id\": \"doc_" + i + "\"}");
        }
        return "{\"id\": \"" + id + "\", \"name\": \"" + name + "\", \"description\": null, \"flows_data\": " + data
                + "}";
    }
}
