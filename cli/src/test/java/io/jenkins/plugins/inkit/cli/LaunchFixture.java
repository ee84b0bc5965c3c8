package io.jenkins.plugins.inkit.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jenkins.plugins.inkit.cli.simulator.InkitSimulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** What the launch tests share: the simulator, flows files of made-up personal data, and a launch by the jar. */
abstract class LaunchFixture {

    static final String PII_NAME = "Zelda Launchperson";
    static final String PII_EMAIL = "zelda.launchperson@example.org";

    static InkitSimulator simulator;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSimulator() throws IOException {
        simulator = new InkitSimulator(0, 2, 2);
    }

    @AfterAll
    static void stopSimulator() {
        simulator.close();
    }

    static String doc(int i) {
        return "{\"customer_name\": \"" + PII_NAME + "\", \"email\": \"" + PII_EMAIL + "\", \"n\": " + i + "}";
    }

    Path flowsFile(String flowId, int documents, boolean wholeBody) throws IOException {
        StringBuilder docs = new StringBuilder();
        for (int i = 0; i < documents; i++) {
            docs.append(i == 0 ? "" : ",\n").append(doc(i));
        }
        String flows =
                "[{\"flow_id\": \"" + flowId + "\", \"name\": \"Statement\", \"merge_parameters\": [" + docs + "]}]";
        String json = wholeBody ? "{\"name\": \"From the file\", \"flows\": " + flows + "}" : flows;
        Path file = dir.resolve(flowId + "-" + documents + ".json");
        Files.writeString(file, json, StandardCharsets.UTF_8);
        return file;
    }

    static JarRun.Run launch(Path file, String... args) throws Exception {
        List<String> all =
                new ArrayList<>(List.of("launch", "--api-url", simulator.url(), "--flows-file", file.toString()));
        all.addAll(List.of(args));
        JarRun.Run run = CliEndToEndIT.run(CliEndToEndIT.TOKEN, all.toArray(String[]::new));
        for (String pii : List.of(PII_NAME, PII_EMAIL, "Launchperson")) {
            assertFalse(run.all().contains(pii), pii + " shown: " + run);
        }
        for (String pii : InkitSimulator.PERSONAL_DATA) {
            assertFalse(run.all().contains(pii), pii + " shown: " + run);
        }
        return run;
    }
}
