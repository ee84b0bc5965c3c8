package io.jenkins.plugins.inkit.client.json;

import static io.jenkins.plugins.inkit.client.LaunchTesting.PII_EMAIL;
import static io.jenkins.plugins.inkit.client.LaunchTesting.PII_NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.TestClients;
import io.jenkins.plugins.inkit.client.model.LaunchRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The excerpt of a launch's error answer, by the rule of docs/personal-data.md. */
class LaunchAnswersTest {

    static final String TOKEN = TestClients.TOKEN;

    static LaunchRequest request() throws InkitException {
        return PipelineFlows.read(List.of(Map.of(
                "flowId",
                "flow_1",
                "mergeParameters",
                List.of(
                        Map.of("first", "Ann", "last", "Lee", "phone", "5550109999", "born", "1990-01-02"),
                        Map.of("name", PII_NAME, "email", PII_EMAIL)))));
    }

    static String excerpt(String body) throws InkitException {
        return LaunchAnswers.excerpt(body.getBytes(StandardCharsets.UTF_8), TOKEN, request());
    }

    @Test
    void anAnswerThatIsNotJsonIsNeverQuoted() throws Exception {
        for (String body : List.of(
                "bad request for Ann Lee, 555 010 9999",
                "<html><body>Contact Ann Lee rejected</body></html>",
                "{\"detail\": \"Contact Ann Lee rejected\"",
                "{\"detail\": \"x\"} trailing")) {
            assertEquals(LaunchAnswers.NOT_JSON, excerpt(body), body);
        }
        assertEquals("(empty body)", excerpt(" \r\n"));
    }

    @Test
    void echoingFieldsAreDroppedThenTheRuleApplies() throws Exception {
        assertEquals(
                "{\"detail\":\"Contact [personal data] [personal data] rejected: phone [number], born [number]\"}",
                excerpt("{\"detail\": \"Contact Ann Lee rejected: phone (555) 010-9999, born 02/01/1990\"}"));
        assertEquals(
                "{\"detail\":[{\"msg\":\"invalid address [personal data] of [personal data] [personal data]\"}]}",
                excerpt("{\"detail\": [{\"msg\": \"invalid address " + PII_EMAIL + " of "
                        + PII_NAME.toUpperCase(java.util.Locale.ROOT) + "\", \"input\": {\"email\": \"" + PII_EMAIL
                        + "\"}, \"MERGE-PARAMETERS\": {\"x\": \"y\"}, \"ctx\": [1]}]}"));
        assertEquals("\"key **** refused\"", excerpt("\"key " + TOKEN + " refused\""), "a JSON text is JSON too");
    }

    @Test
    void aLongAnswerIsCutAfterTheRule() throws Exception {
        String excerpt = excerpt("{\"detail\": \"" + "Lee ".repeat(5000) + "\"}");
        assertEquals(201, excerpt.length(), excerpt);
        assertEquals("{\"detail\":\"[personal data] [personal data]", excerpt.substring(0, 42));
    }
}
