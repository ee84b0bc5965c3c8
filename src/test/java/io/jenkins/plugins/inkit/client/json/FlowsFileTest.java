package io.jenkins.plugins.inkit.client.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.LaunchTesting;
import io.jenkins.plugins.inkit.client.model.LaunchRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/** A flows file read as a stream: what is sent, what is refused, and how much memory a large one takes. */
class FlowsFileTest {

    static final String SOURCE = "the flows file 'batch.json'";

    static LaunchRequest read(String json) throws Exception {
        return FlowsFile.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), SOURCE);
    }

    static void refused(String json, String expected) {
        InkitException e = assertThrows(InkitException.class, () -> read(json));
        assertEquals(InkitException.Kind.INVALID_INPUT, e.kind());
        assertEquals(expected, e.getMessage());
        assertFalse(e.getMessage().contains(LaunchTesting.PII_NAME), e.getMessage());
    }

    @Test
    void theBodyIsTheFlowsAsWrittenWhateverTheOrderOfTheirFields() throws Exception {
        String json =
                "{\"flows\": [{\"merge_parameters\": [{\"amount\": 10.50, \"big\": 123456789012345678901234567890,"
                        + " \"e\": 1.0E+3, \"who\": \"" + LaunchTesting.PII_NAME
                        + "\"}], \"name\": \" Letter \", \"flow_id\":"
                        + " \" flow_1 \"}], \"description\": \"Monthly\", \"name\": \"From file\"}";
        LaunchRequest r = read(json);
        assertEquals(
                "{\"name\":\"From file\",\"description\":\"Monthly\",\"flows\":[{\"merge_parameters\":[{\"amount\":10.50,"
                        + "\"big\":123456789012345678901234567890,\"e\":1.0E+3,\"who\":\"" + LaunchTesting.PII_NAME
                        + "\"}],\"name\":\"Letter\",\"flow_id\":\"flow_1\"}]}",
                new String(r.body(), StandardCharsets.UTF_8));
        assertArrayEquals(
                r.body(),
                FlowsFile.read(json.getBytes(StandardCharsets.UTF_8), SOURCE).body(),
                "bytes or a stream: the same request");
    }

    @Test
    void theBodyIsWrittenWithoutChangingItAsOftenAsAsked() throws Exception {
        LaunchRequest r = read("[{\"flow_id\": \"f\", \"merge_parameters\": [{\"a\": \"b\"}]}]");
        LaunchRequest named = r.withName("Named");
        for (int i = 0; i < 2; i++) {
            Buffer sink = new Buffer();
            named.writeBodyTo(sink);
            assertEquals(named.bodyLength(), sink.size());
            assertEquals(
                    "{\"name\":\"Named\",\"flows\":[{\"flow_id\":\"f\",\"merge_parameters\":[{\"a\":\"b\"}]}]}",
                    sink.readUtf8());
        }
        assertEquals(
                "{\"flows\":[{\"flow_id\":\"f\",\"merge_parameters\":[{\"a\":\"b\"}]}]}",
                new String(r.body(), StandardCharsets.UTF_8));
        Buffer sent = new Buffer();
        named.writeBodyTo(sent);
        assertArrayEquals(named.body(), sent.readByteArray(), "what is sent is the body");
    }

    @Test
    void whatNoFileNeedsIsRefusedSayingWhere() {
        String deep = "[".repeat(150) + "]".repeat(150);
        refused(
                "[{\"flow_id\": \"f\", \"merge_parameters\": [{\"a\": " + deep + "}]}]",
                "The flows file 'batch.json' cannot be read: it is nested more than 100 levels deep at line 1, column"
                        + " 142.");
        refused(
                "[{\"flow_id\": \"f\", \"merge_parameters\": [{\"n\": 1" + "0".repeat(200) + "}]}]",
                "The flows file 'batch.json' cannot be read: it holds a number, text or key too long for a flows file"
                        + " at line 1, column 41.");
        refused(
                "[{\"flow_id\": \"f\", \"merge_parameters\": [{\"who\": \"" + LaunchTesting.PII_NAME
                        + "\", \"who\": 1}]}]",
                "The flows file 'batch.json' is not valid JSON at line 1, column 73: a map there has the same key"
                        + " twice.");
        refused(
                "[] []",
                "The flows file 'batch.json' is not valid JSON: something follows the end of its value at line 1,"
                        + " column 4.");
        refused(
                "{\"flows\": {\"flow_id\": \"f\"}}",
                "The flows file 'batch.json': 'flows' is a map, not a list of flows.");
        refused(
                "{\"description\": [\"" + LaunchTesting.PII_NAME + "\"], \"flows\": []}",
                "The flows file 'batch.json': 'description' is a list; it must be a text.");
        refused(
                "[{\"merge_parameters\": [{}], \"flow_id\": null}]",
                "The flows file 'batch.json': flows[0].flow_id is missing: each flow needs the ID of an Inkit flow.");
    }

    /** An 82 MB flows file, made as it is read: never whole in memory, not even as text. */
    static InputStream largeFlowsFile(int documents) {
        Enumeration<InputStream> parts = new Enumeration<>() {
            int i = -1;

            @Override
            public boolean hasMoreElements() {
                return i <= documents;
            }

            @Override
            public InputStream nextElement() {
                String s;
                if (i < 0) {
                    s = "{\"name\": \"Large\", \"flows\": [{\"flow_id\": \"flow_large\", \"merge_parameters\": [";
                } else if (i == documents) {
                    s = "]}]}";
                } else {
                    s = (i == 0 ? "" : ",") + "{\"customer_name\": \"Customer " + i + "\", \"email\": \"c" + i
                            + "@example.org\", \"street\": \"" + "Long Street ".repeat(12) + i
                            + "\", \"amount\": 10.50, \"vip\": false}";
                }
                i++;
                return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
            }
        };
        return new SequenceInputStream(parts);
    }

    /** Reads the large file, as the test below runs it in a JVM of its own with a small heap. */
    public static void main(String[] args) throws Exception {
        int documents = Integer.parseInt(args[0]);
        LaunchRequest r = FlowsFile.read(largeFlowsFile(documents), SOURCE);
        Buffer sink = new Buffer();
        r.withName("Renamed").writeBodyTo(sink);
        System.out.println(r.documentCount() + " documents, " + r.bodyLength() + " bytes, sent " + sink.size());
    }

    @Test
    void an82MegabyteFlowsFileIsReadWithA256MegabyteHeap() throws IOException, InterruptedException {
        // Read as a tree, such a file took 1.2 GB and failed with 256 MB: the body alone must fit.
        // 312,000 documents of about 263 bytes: 82 MB of JSON.
        int documents = 312_000;
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        FlowsFileTest.class.getName(),
                        Integer.toString(documents))
                .redirectErrorStream(true)
                .start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(2, TimeUnit.MINUTES), out);
        assertEquals(0, child.exitValue(), out);
        List<String> words = List.of(out.strip().split(" "));
        assertEquals(List.of(Integer.toString(documents), "documents,"), words.subList(0, 2), out);
        long length = Long.parseLong(words.get(2));
        assertTrue(length > 75_000_000L, "the body, compact: " + out);
        assertEquals(
                Long.toString(length + "\"name\":\"Renamed\",".length() - "\"name\":\"Large\",".length()),
                words.get(5),
                out);
    }
}
