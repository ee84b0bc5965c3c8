package io.jenkins.plugins.inkit.cli.simulator;

import static io.jenkins.plugins.inkit.cli.simulator.InkitSimulator.FLOW_DROP;
import static io.jenkins.plugins.inkit.cli.simulator.InkitSimulator.FLOW_FAIL_503;
import static io.jenkins.plugins.inkit.cli.simulator.InkitSimulator.FLOW_MISSING_PREFIX;
import static io.jenkins.plugins.inkit.cli.simulator.InkitSimulator.FLOW_RATE_LIMITED;
import static io.jenkins.plugins.inkit.cli.simulator.InkitSimulator.LAUNCHED_PREFIX;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code POST /v1/invoke/batch}: checks the body as Inkit might (422 naming where, never quoting a
 * value), then creates {@code fb_sim_<n>}. The flows {@link InkitSimulator#FLOW_FAIL_503},
 * {@link InkitSimulator#FLOW_DROP} and {@link InkitSimulator#FLOW_RATE_LIMITED} play the failures.
 */
final class Launches {

    /** A launched batch: its name and number of documents only, never its merge parameters. */
    record Launched(String name, long documents, long launchedNanos, Instant createdAt) {}

    private static final long MAX_LAUNCH_BYTES = 64L * 1024 * 1024;

    private final AtomicInteger launchedCount = new AtomicInteger();
    private final AtomicBoolean rateLimitedOnce = new AtomicBoolean();
    private final Map<String, Launched> launched = new ConcurrentHashMap<>();

    /** The launched batch of that ID, or {@code null}. */
    Launched find(String id) {
        return launched.get(id);
    }

    void launch(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, MAX_LAUNCH_BYTES + 1));
        if (body.length > MAX_LAUNCH_BYTES) {
            Exchanges.detail(exchange, 413, "Request body too large");
            return;
        }
        JsonNode request;
        try {
            request = Exchanges.JSON.readTree(body);
        } catch (IOException e) {
            Exchanges.detail(exchange, 400, "The request body is not valid JSON");
            return;
        }
        String problem = problem(request);
        if (problem != null) {
            Exchanges.detail(exchange, 422, problem);
            return;
        }
        long documents = 0;
        Set<String> flowIds = new HashSet<>();
        for (JsonNode flow : request.get("flows")) {
            flowIds.add(flow.get("flow_id").textValue());
            documents += flow.get("merge_parameters").size();
        }
        for (String flowId : flowIds) {
            if (flowId.startsWith(FLOW_MISSING_PREFIX)) {
                Exchanges.detail(exchange, 422, "Flow " + flowId + " not found");
                return;
            }
        }
        if (flowIds.contains(FLOW_FAIL_503)) {
            Exchanges.detail(exchange, 503, "Service Unavailable, try again later");
            return;
        }
        if (flowIds.contains(FLOW_DROP)) {
            // Closing the exchange before any answer closes the connection: the body was read, no answer came.
            return;
        }
        if (flowIds.contains(FLOW_RATE_LIMITED) && rateLimitedOnce.compareAndSet(false, true)) {
            Exchanges.send(exchange, 429, Map.of("detail", "Rate limit exceeded"), "1");
            return;
        }
        Exchanges.send(exchange, 201, create(request, documents), null);
    }

    /** Records the batch and makes Inkit's answer, {@code {id, name, description, flows_data}}. */
    private Map<String, Object> create(JsonNode request, long documents) {
        int n = launchedCount.incrementAndGet();
        String id = LAUNCHED_PREFIX + n;
        JsonNode name = request.get("name");
        JsonNode description = request.get("description");
        String batchName = name != null && name.isTextual() ? name.textValue() : null;
        launched.put(
                id,
                new Launched(
                        batchName == null ? "Launched batch" : batchName,
                        documents,
                        System.nanoTime(),
                        Instant.now().truncatedTo(ChronoUnit.MICROS)));
        List<Map<String, Object>> flowsData = new ArrayList<>();
        for (long i = 1; i <= documents; i++) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("id", String.format("rend_sim_%d_%05d", n, i));
            d.put("document_id", String.format("doc_sim_%d_%05d", n, i));
            flowsData.add(d);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id);
        answer.put("name", batchName);
        answer.put("description", description != null && description.isTextual() ? description.textValue() : null);
        answer.put("flows_data", flowsData);
        return answer;
    }

    /** What is wrong with a launch's body, said as Inkit's validation might, without its values; or null. */
    private static String problem(JsonNode request) {
        if (request == null || !request.isObject()) {
            return "body: must be an object";
        }
        JsonNode flows = request.get("flows");
        if (flows == null || !flows.isArray() || flows.isEmpty()) {
            return "body.flows: must be a non-empty list";
        }
        for (int i = 0; i < flows.size(); i++) {
            JsonNode flow = flows.get(i);
            String at = "body.flows." + i;
            if (!flow.isObject()) {
                return at + ": must be an object";
            }
            JsonNode flowId = flow.get("flow_id");
            if (flowId == null || !flowId.isTextual() || flowId.textValue().isBlank()) {
                return at + ".flow_id: field required";
            }
            JsonNode parameters = flow.get("merge_parameters");
            if (parameters == null || !parameters.isArray() || parameters.isEmpty()) {
                return at + ".merge_parameters: must be a non-empty list";
            }
            for (int j = 0; j < parameters.size(); j++) {
                if (!parameters.get(j).isObject()) {
                    return at + ".merge_parameters." + j + ": must be an object";
                }
            }
        }
        return null;
    }
}
