package io.jenkins.plugins.inkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --token-env} given the key itself: the key is never printed, wherever the variable's name would be. */
class TokenEnvTest {

    static final String KEY = "tok_4AO6oyjh5yc9SECRETghb";

    @TempDir
    Path dir;

    static void assertKeyNeverShown(InProcess.Run r) {
        assertFalse(r.all().contains(KEY), "the key was printed: " + r);
        assertFalse(r.all().contains("4AO6oyjh5yc9"), "part of the key was printed: " + r);
    }

    @Test
    void theKeyPassedAsTheNameIsNotQuotedByTheCheckOrTheLaunch() throws Exception {
        InProcess.Run check =
                InProcess.run(Map.of(), "--json", "--token-env", KEY, "--api-url", "http://127.0.0.1:9", "fb_1");
        assertKeyNeverShown(check);
        assertEquals(ExitCode.USAGE, check.exit(), check.toString());
        assertTrue(check.err().contains("the environment variable named with --token-env is not set"), check.err());
        assertTrue(check.err().contains("did you pass the key itself?"), check.err());
        assertEquals(
                "INVALID_INPUT",
                new ObjectMapper()
                        .readTree(check.out())
                        .get("error")
                        .get("kind")
                        .asText());

        Path flows = Files.writeString(dir.resolve("f.json"), "[{\"flow_id\": \"f\", \"merge_parameters\": [{}]}]");
        InProcess.Run launch = InProcess.run(
                Map.of(),
                "launch",
                "--token-env",
                KEY,
                "--api-url",
                "http://127.0.0.1:9",
                "--flows-file",
                flows.toString());
        assertKeyNeverShown(launch);
        assertEquals(ExitCode.USAGE, launch.exit(), launch.toString());
        assertTrue(launch.err().contains("looks like a key, not a name"), launch.err());
    }

    @Test
    void aRejectedTokenFromAKeyLikeNameIsTracedWithoutIt() throws Exception {
        try (MockWebServer inkit = new MockWebServer()) {
            inkit.enqueue(new MockResponse.Builder()
                    .code(401)
                    .body("{\"detail\":\"Invalid token\"}")
                    .build());
            inkit.start(InetAddress.getByName("127.0.0.1"), 0);
            InProcess.Run r = InProcess.run(
                    Map.of(KEY, "some-token"),
                    "--token-env",
                    KEY,
                    "--api-url",
                    "http://127.0.0.1:" + inkit.getPort(),
                    "fb_1");
            assertKeyNeverShown(r);
            assertEquals(ExitCode.API_FAILURE, r.exit(), r.toString());
            assertTrue(
                    r.err()
                            .contains(
                                    "Inkit rejected the API token (HTTP 401). Check the environment variable named with"
                                            + " --token-env"),
                    r.err());
        }
    }

    @Test
    void aNameThatLooksLikeOneIsStillQuoted() {
        InProcess.Run r =
                InProcess.run(Map.of(), "--token-env", "MY_INKIT_TOKEN", "--api-url", "http://127.0.0.1:9", "fb_1");
        assertEquals(ExitCode.USAGE, r.exit(), r.toString());
        assertTrue(r.err().contains("set the environment variable MY_INKIT_TOKEN to your Inkit API key"), r.err());
    }
}
