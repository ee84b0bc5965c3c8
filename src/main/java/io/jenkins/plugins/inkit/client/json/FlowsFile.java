package io.jenkins.plugins.inkit.client.json;

import static io.jenkins.plugins.inkit.client.json.FlowProblems.invalid;
import static io.jenkins.plugins.inkit.client.json.FlowProblems.typeOf;
import static io.jenkins.plugins.inkit.client.json.FlowProblems.where;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.model.LaunchRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import okio.Buffer;

/**
 * A flows file, read as a stream and checked while its flows are copied into the body to send, so
 * that a file of any size needs about its own size in memory once (the body), never a tree of it.
 * Either the flows list in Inkit's field names, {@code [{"flow_id": ..., "name": ...,
 * "merge_parameters": [{...}]}]}, or a whole request, {@code {"name": ..., "description": ...,
 * "flows": [...]}}. A problem is an {@link InkitException.Kind#INVALID_INPUT} that names where it
 * is (the flow's index and field, or the line and column of broken JSON), never a value.
 */
public final class FlowsFile {

    private static final Set<String> FLOW_KEYS = Set.of("flow_id", "name", "merge_parameters");
    private static final Set<String> BODY_KEYS = Set.of("name", "description", "flows");

    private final JsonParser p;
    private final String in;
    private final Buffer flows = new Buffer();
    private final JsonGenerator g;
    private int flowCount;
    private long documents;
    private String name;
    private String description;

    private FlowsFile(JsonParser p, String in) throws IOException {
        this.p = p;
        this.in = in;
        this.g = Json.FACTORY.createGenerator(flows.outputStream());
    }

    /** {@link #read(InputStream, String)} for a flows file already read. */
    public static LaunchRequest read(byte[] json, String source) throws InkitException {
        try {
            return read(new java.io.ByteArrayInputStream(json), source);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A flows file, read as a stream: either the flows list in Inkit's own field names,
     * {@code [{"flow_id": "...", "name": "...", "merge_parameters": [{...}]}]}, or a whole request
     * body, {@code {"name": "...", "description": "...", "flows": [...]}}, whose name and
     * description are kept.
     *
     * @param source the file, for messages: "the flows file 'batch.json'"
     */
    public static LaunchRequest read(InputStream json, String source) throws InkitException, IOException {
        String in = FlowProblems.capitalised(source);
        try (JsonParser p = Json.FACTORY.createParser(json)) {
            FlowsFile file = new FlowsFile(p, in);
            try {
                return file.read();
            } catch (StreamConstraintsException e) {
                // Its message says which limit, in numbers only; where is the parser's.
                String what = e.getMessage() != null && e.getMessage().contains("nesting depth")
                        ? "it is nested more than " + Json.MAX_DEPTH + " levels deep"
                        : "it holds a number, text or key too long for a flows file";
                throw invalid(in + " cannot be read: " + what + where(p.currentTokenLocation()) + ".");
            } finally {
                file.g.close();
            }
        } catch (JsonEOFException e) {
            throw invalid(in + " is not valid JSON: it ends in the middle of a value" + where(e.getLocation()) + ".");
        } catch (JsonParseException e) {
            // Jackson's own message quotes the text it could not read: only where it is, is said.
            String what =
                    e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
                            ? ": a map there has the same key twice."
                            : ": check the syntax there.";
            throw invalid(in + " is not valid JSON" + where(e.getLocation()) + what);
        } catch (JsonProcessingException e) {
            throw invalid(in + " is not valid JSON" + where(e.getLocation()) + ": check the syntax there.");
        }
    }

    private LaunchRequest read() throws IOException, InkitException {
        JsonToken root = p.nextToken();
        if (root == null) {
            throw invalid(in + " is empty: it must hold the flows, [{\"flow_id\": ..., \"merge_parameters\": [...]}],"
                    + " or a whole request, {\"name\": ..., \"flows\": [...]}.");
        }
        String problem;
        if (root == JsonToken.START_ARRAY) {
            problem = flows();
        } else if (root == JsonToken.START_OBJECT) {
            problem = body();
        } else {
            throw invalid(in + " holds " + typeOf(root) + ": it must hold the flows, a list, or a whole request,"
                    + " a map with flows.");
        }
        if (p.nextToken() != null) {
            throw invalid(in + " is not valid JSON: something follows the end of its value"
                    + where(p.currentTokenLocation()) + ".");
        }
        if (problem != null) {
            throw invalid(problem);
        }
        g.close();
        return LaunchRequest.of(name, description, flows, flowCount, documents, MergeParameters::words);
    }

    /** A whole request: its name, description and flows; a problem with the flows list told at its end. */
    private String body() throws IOException, InkitException {
        String problem = in + " has no 'flows': a request is {\"name\": ..., \"flows\": [{\"flow_id\": ...,"
                + " \"merge_parameters\": [...]}]}.";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken value = p.nextToken();
            if (!BODY_KEYS.contains(key)) {
                throw invalid(in + " has " + FlowProblems.named("field", key)
                        + "; a request takes name, description and flows.");
            }
            if (key.equals("flows") && value == JsonToken.START_ARRAY) {
                problem = flows();
            } else if (key.equals("flows")) {
                p.skipChildren();
                problem = value == JsonToken.VALUE_NULL
                        ? problem
                        : in + ": 'flows' is " + typeOf(value) + ", not a list of flows.";
            } else if (key.equals("name")) {
                name = text(value, "name");
            } else {
                description = text(value, "description");
            }
        }
        return problem;
    }

    /** The list of flows, copied; the problem of an empty list (told once the rest is read). */
    private String flows() throws IOException, InkitException {
        g.writeStartArray();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            flow(t, "flows[" + flowCount + "]");
            flowCount++;
        }
        g.writeEndArray();
        return flowCount == 0 ? in + " has no flows: the list of flows is empty." : null;
    }

    private void flow(JsonToken t, String where) throws IOException, InkitException {
        if (t != JsonToken.START_OBJECT) {
            throw invalid(
                    in + ": " + where + " is " + typeOf(t) + ", not a map with flow_id, name and merge_parameters.");
        }
        g.writeStartObject();
        boolean hasId = false;
        boolean hasParameters = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken value = p.nextToken();
            if (!FLOW_KEYS.contains(key)) {
                throw invalid(in + ": " + where + " has " + FlowProblems.named("field", key)
                        + "; a flow takes Inkit's fields flow_id, name and merge_parameters.");
            }
            switch (key) {
                case "flow_id" -> hasId = flowId(value, where);
                case "name" -> {
                    String flowName = text(value, where + ".name");
                    if (flowName != null) {
                        g.writeStringField("name", flowName);
                    }
                }
                default -> hasParameters = parameters(value, where + ".merge_parameters");
            }
        }
        if (!hasId) {
            throw invalid(in + ": " + where + ".flow_id is missing: each flow needs the ID of an Inkit flow.");
        }
        if (!hasParameters) {
            throw invalid(in + ": " + where
                    + ".merge_parameters is missing: give a list with one map of merge parameters per document.");
        }
        g.writeEndObject();
    }

    /** Whether the flow has its ID, then written; {@code null} counts as missing. */
    private boolean flowId(JsonToken value, String where) throws IOException, InkitException {
        if (value == JsonToken.VALUE_NULL) {
            return false;
        }
        if (value != JsonToken.VALUE_STRING || p.getText().isBlank()) {
            throw invalid(in + ": " + where + ".flow_id is "
                    + (value == JsonToken.VALUE_STRING ? "blank" : typeOf(value))
                    + "; it must be the ID of an Inkit flow, a text.");
        }
        g.writeStringField("flow_id", p.getText().strip());
        return true;
    }

    /** Whether the flow has merge parameters, then copied as written (numbers too); {@code null} is none. */
    private boolean parameters(JsonToken value, String at) throws IOException, InkitException {
        if (value == JsonToken.VALUE_NULL) {
            return false;
        }
        if (value != JsonToken.START_ARRAY) {
            throw invalid(in + ": " + at + " is " + typeOf(value)
                    + ", not a list with one map of merge parameters per document.");
        }
        g.writeArrayFieldStart("merge_parameters");
        int count = 0;
        for (JsonToken doc = p.nextToken(); doc != JsonToken.END_ARRAY; doc = p.nextToken()) {
            if (doc != JsonToken.START_OBJECT) {
                throw invalid(
                        in + ": " + at + "[" + count + "] is " + typeOf(doc) + ", not a map of merge parameters.");
            }
            g.copyCurrentStructureExact(p);
            count++;
        }
        if (count == 0) {
            throw invalid(in + ": " + at + " is empty: give one map of merge parameters per document.");
        }
        g.writeEndArray();
        documents += count;
        return true;
    }

    /** A text field of the file, or {@code null}. */
    private String text(JsonToken value, String field) throws IOException, InkitException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.VALUE_STRING) {
            p.skipChildren();
            throw invalid(in + ": '" + field + "' is " + typeOf(value) + "; it must be a text.");
        }
        return FlowProblems.blankToNull(p.getText());
    }
}
