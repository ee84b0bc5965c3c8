package io.jenkins.plugins.inkit.client.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.json.MergeParameters;
import io.jenkins.plugins.inkit.client.text.Excerpts;
import io.jenkins.plugins.inkit.client.text.MergeWords;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What to launch with {@code POST /v1/invoke/batch}: an optional name and description, and the
 * flows, each with the merge parameters of its documents. Immutable. The merge parameters are the
 * customers' personal data: they are held only as the JSON body to send, and no message, and not
 * {@link #toString()}, ever quotes one of their values.
 */
public final class LaunchRequest {

    /** The largest flows file read, by the command line and by the Jenkins step alike. */
    public static final long MAX_FLOWS_FILE_BYTES = 256L * 1024 * 1024;

    /** Deeper nesting in merge parameters is refused: it is a map or list that contains itself. */
    static final int MAX_DEPTH = 64;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // Numbers in merge parameters are sent as written: 10.50 stays 10.50.
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private static final Set<String> PIPELINE_FLOW_KEYS = Set.of("flowId", "name", "mergeParameters");
    private static final Set<String> FILE_FLOW_KEYS = Set.of("flow_id", "name", "merge_parameters");
    private static final Set<String> FILE_BODY_KEYS = Set.of("name", "description", "flows");

    private final String name;
    private final String description;
    /** The {@code flows} list as JSON, in Inkit's field names. */
    private final byte[] flows;

    private final int flowCount;
    private final long documentCount;
    private final byte[] body;

    /** The words of the merge parameters, read from the body the first time an error answer needs them. */
    private volatile MergeWords mergeWords;

    private LaunchRequest(String name, String description, byte[] flows, int flowCount, long documentCount) {
        this.name = name;
        this.description = description;
        this.flows = flows;
        this.flowCount = flowCount;
        this.documentCount = documentCount;
        this.body = compose(name, description, flows);
    }

    /**
     * From a Pipeline: each flow a map with {@code flowId} (a text, required), {@code name} (a
     * text, optional) and {@code mergeParameters} (a list of maps, one per document, required).
     * Values may be texts (Groovy's GStrings included), numbers, booleans, {@code null}, lists and
     * maps. A problem is an {@link InkitException.Kind#INVALID_INPUT} that names the flow's index
     * and the field, never a merge parameter's value.
     */
    public static LaunchRequest fromFlows(List<?> flows) throws InkitException {
        if (flows == null || flows.isEmpty()) {
            throw invalid("No flows to launch: give flows, a list of maps with flowId and mergeParameters (a list"
                    + " with one map of merge parameters per document).");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long documents = 0;
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartArray();
            for (int i = 0; i < flows.size(); i++) {
                String where = "flows[" + i + "]";
                Object f = flows.get(i);
                if (!(f instanceof Map<?, ?> flow)) {
                    throw invalid(where + " is " + typeOf(f) + ", not a map with flowId, name and mergeParameters.");
                }
                for (Object key : flow.keySet()) {
                    if (!(key instanceof CharSequence) || !PIPELINE_FLOW_KEYS.contains(key.toString())) {
                        throw invalid(where + " has " + keyName(key) + "; a flow takes flowId, name and"
                                + " mergeParameters.");
                    }
                }
                String flowId = text(flow.get("flowId"), where + ".flowId", true);
                String flowName = text(flow.get("name"), where + ".name", false);
                Object parameters = flow.get("mergeParameters");
                String at = where + ".mergeParameters";
                if (parameters == null) {
                    throw invalid(at + " is missing: give a list with one map of merge parameters per document.");
                }
                if (!(parameters instanceof List<?> docs)) {
                    throw invalid(at + " is " + typeOf(parameters)
                            + ", not a list with one map of merge parameters per document.");
                }
                if (docs.isEmpty()) {
                    throw invalid(at + " is empty: give one map of merge parameters per document.");
                }
                g.writeStartObject();
                g.writeStringField("flow_id", flowId);
                if (flowName != null) {
                    g.writeStringField("name", flowName);
                }
                g.writeArrayFieldStart("merge_parameters");
                for (int j = 0; j < docs.size(); j++) {
                    Object doc = docs.get(j);
                    String docAt = at + "[" + j + "]";
                    if (!(doc instanceof Map)) {
                        throw invalid(docAt + " is " + typeOf(doc) + ", not a map of merge parameters.");
                    }
                    write(g, doc, docAt, 0);
                }
                g.writeEndArray();
                g.writeEndObject();
                documents += docs.size();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new LaunchRequest(null, null, out.toByteArray(), flows.size(), documents);
    }

    /**
     * From a flows file: either the flows list in Inkit's own field names,
     * {@code [{"flow_id": "...", "name": "...", "merge_parameters": [{...}]}]}, or a whole request
     * body, {@code {"name": "...", "description": "...", "flows": [...]}}, whose name and
     * description are kept.
     *
     * @param source the file, for messages: "the flows file 'batch.json'"
     */
    public static LaunchRequest fromJson(byte[] json, String source) throws InkitException {
        String in = capitalised(source);
        JsonNode root;
        try (JsonParser parser = JSON.getFactory().createParser(json)) {
            root = JSON.readTree(parser);
            if (root != null && parser.nextToken() != null) {
                throw invalid(in + " is not valid JSON: something follows the end of its value"
                        + where(parser.currentLocation()) + ".");
            }
        } catch (StreamConstraintsException e) {
            throw invalid(in + " cannot be read: it is nested too deeply or holds a value too long"
                    + where(e.getLocation()) + ".");
        } catch (JsonEOFException e) {
            throw invalid(in + " is not valid JSON: it ends in the middle of a value" + where(e.getLocation()) + ".");
        } catch (JsonProcessingException e) {
            // Jackson's own message quotes the text it could not read: only where it is, is said.
            throw invalid(in + " is not valid JSON" + where(e.getLocation()) + ": check the syntax there.");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || root.isMissingNode()) {
            throw invalid(in + " is empty: it must hold the flows, [{\"flow_id\": ..., \"merge_parameters\": [...]}],"
                    + " or a whole request, {\"name\": ..., \"flows\": [...]}.");
        }
        String name = null;
        String description = null;
        JsonNode flowList;
        if (root.isArray()) {
            flowList = root;
        } else if (root.isObject()) {
            for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (!FILE_BODY_KEYS.contains(key)) {
                    throw invalid(in + " has the field '" + Excerpts.printable(key, 40)
                            + "'; a request takes name, description and flows.");
                }
            }
            name = fileText(root.get("name"), in, "name");
            description = fileText(root.get("description"), in, "description");
            flowList = root.get("flows");
            if (flowList == null || flowList.isNull()) {
                throw invalid(in + " has no 'flows': a request is {\"name\": ..., \"flows\": [{\"flow_id\": ...,"
                        + " \"merge_parameters\": [...]}]}.");
            }
            if (!flowList.isArray()) {
                throw invalid(in + ": 'flows' is " + typeOf(flowList) + ", not a list of flows.");
            }
        } else {
            throw invalid(in + " holds " + typeOf(root) + ": it must hold the flows, a list, or a whole request,"
                    + " a map with flows.");
        }
        if (flowList.isEmpty()) {
            throw invalid(in + " has no flows: the list of flows is empty.");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long documents = 0;
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartArray();
            for (int i = 0; i < flowList.size(); i++) {
                String where = "flows[" + i + "]";
                JsonNode flow = flowList.get(i);
                if (!flow.isObject()) {
                    throw invalid(in + ": " + where + " is " + typeOf(flow)
                            + ", not a map with flow_id, name and merge_parameters.");
                }
                for (Iterator<String> keys = flow.fieldNames(); keys.hasNext(); ) {
                    String key = keys.next();
                    if (!FILE_FLOW_KEYS.contains(key)) {
                        throw invalid(in + ": " + where + " has the field '" + Excerpts.printable(key, 40)
                                + "'; a flow takes Inkit's fields flow_id, name and merge_parameters.");
                    }
                }
                JsonNode flowId = flow.get("flow_id");
                if (flowId == null || flowId.isNull()) {
                    throw invalid(in + ": " + where + ".flow_id is missing: each flow needs the ID of an Inkit flow.");
                }
                if (!flowId.isTextual() || flowId.textValue().isBlank()) {
                    throw invalid(in + ": " + where + ".flow_id is "
                            + (flowId.isTextual() ? "blank" : typeOf(flowId)) + "; it must be the ID of an Inkit flow,"
                            + " a text.");
                }
                String flowName = fileText(flow.get("name"), in, where + ".name");
                JsonNode parameters = flow.get("merge_parameters");
                String at = where + ".merge_parameters";
                if (parameters == null || parameters.isNull()) {
                    throw invalid(
                            in + ": " + at + " is missing: give a list with one map of merge parameters per document.");
                }
                if (!parameters.isArray()) {
                    throw invalid(in + ": " + at + " is " + typeOf(parameters)
                            + ", not a list with one map of merge parameters per document.");
                }
                if (parameters.isEmpty()) {
                    throw invalid(in + ": " + at + " is empty: give one map of merge parameters per document.");
                }
                g.writeStartObject();
                g.writeStringField("flow_id", flowId.textValue().strip());
                if (flowName != null) {
                    g.writeStringField("name", flowName);
                }
                g.writeArrayFieldStart("merge_parameters");
                for (int j = 0; j < parameters.size(); j++) {
                    JsonNode doc = parameters.get(j);
                    if (!doc.isObject()) {
                        throw invalid(
                                in + ": " + at + "[" + j + "] is " + typeOf(doc) + ", not a map of merge parameters.");
                    }
                    g.writeTree(doc);
                }
                g.writeEndArray();
                g.writeEndObject();
                documents += parameters.size();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new LaunchRequest(
                blankToNull(name), blankToNull(description), out.toByteArray(), flowList.size(), documents);
    }

    /** The same request with this name; {@code null} or blank keeps the current one. */
    public LaunchRequest withName(String name) {
        String n = blankToNull(name);
        return n == null ? this : new LaunchRequest(n, description, flows, flowCount, documentCount);
    }

    /** The same request with this description; {@code null} or blank keeps the current one. */
    public LaunchRequest withDescription(String description) {
        String d = blankToNull(description);
        return d == null ? this : new LaunchRequest(name, d, flows, flowCount, documentCount);
    }

    /** The batch's name, or {@code null} for none. */
    public String name() {
        return name;
    }

    /** The batch's description, or {@code null} for none. */
    public String description() {
        return description;
    }

    public int flowCount() {
        return flowCount;
    }

    /** The documents: the entries of merge parameters, over all flows. */
    public long documentCount() {
        return documentCount;
    }

    /** The JSON body as sent: {@code {"name": ..., "description": ..., "flows": [...]}}. A copy. */
    public byte[] body() {
        return body.clone();
    }

    /** The body itself, for the client: never to be changed. */
    public byte[] bodyBytes() {
        return body;
    }

    /**
     * The words of the merge parameters' texts (see {@link MergeWords}), so that an error answer that
     * echoes one can have it blanked out. Read from the body once, the first time it is asked for:
     * only an error answer needs them.
     */
    public MergeWords mergeWords() {
        MergeWords words = mergeWords;
        if (words == null) {
            try {
                words = MergeParameters.words(new java.io.ByteArrayInputStream(flows));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            mergeWords = words;
        }
        return words;
    }

    /** Never a merge parameter: the name, the numbers of flows and documents. */
    @Override
    public String toString() {
        return "LaunchRequest[name=" + (name == null ? "(none)" : "'" + Excerpts.printable(name, 80) + "'") + ", "
                + flowCount + " flow(s), " + documentCount + " document(s)]";
    }

    private static byte[] compose(String name, String description, byte[] flows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(flows.length + 64);
        try {
            out.write('{');
            if (name != null) {
                out.write("\"name\":".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.write(JSON.writeValueAsBytes(name));
                out.write(',');
            }
            if (description != null) {
                out.write("\"description\":".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.write(JSON.writeValueAsBytes(description));
                out.write(',');
            }
            out.write("\"flows\":".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.write(flows);
            out.write('}');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** One value of the merge parameters, written as JSON; {@code at} names where it is, for messages. */
    private static void write(JsonGenerator g, Object value, String at, int depth) throws IOException, InkitException {
        if (depth > MAX_DEPTH) {
            throw invalid(at + " is nested more than " + MAX_DEPTH
                    + " levels deep: is it a map or list that contains itself?");
        }
        if (value == null) {
            g.writeNull();
        } else if (value instanceof CharSequence || value instanceof Character) {
            g.writeString(value.toString());
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Integer
                || value instanceof Long
                || value instanceof Short
                || value instanceof Byte) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw invalid(at + " is a number that is not finite (NaN or infinity), which JSON cannot hold.");
            }
            if (value instanceof Float f) {
                g.writeNumber(f);
            } else {
                g.writeNumber(d);
            }
        } else if (value instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (value instanceof BigInteger i) {
            g.writeNumber(i);
        } else if (value instanceof Number n) {
            BigDecimal d;
            try {
                d = new BigDecimal(n.toString());
            } catch (NumberFormatException e) {
                throw invalid(
                        at + " is a number of type " + value.getClass().getName() + " that cannot be written as JSON.");
            }
            g.writeNumber(d);
        } else if (value instanceof Enum<?> e) {
            g.writeString(e.name());
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Object key = entry.getKey();
                if (!(key instanceof CharSequence)) {
                    throw invalid(at + " has a key that is " + typeOf(key) + "; the keys of merge parameters must"
                            + " be texts.");
                }
                g.writeFieldName(key.toString());
                write(g, entry.getValue(), at + "." + Excerpts.printable(key.toString(), 40), depth + 1);
            }
            g.writeEndObject();
        } else if (value instanceof Collection<?> list) {
            g.writeStartArray();
            int k = 0;
            for (Object item : list) {
                write(g, item, at + "[" + k++ + "]", depth + 1);
            }
            g.writeEndArray();
        } else if (value instanceof Object[] array) {
            write(g, List.of(array), at, depth);
        } else {
            throw invalid(at + " is a value of type " + value.getClass().getName()
                    + ", which cannot be sent as JSON: use texts, numbers, booleans, lists and maps.");
        }
    }

    /** A text field of a Pipeline flow: stripped; {@code null} when absent and not required. */
    private static String text(Object value, String at, boolean required) throws InkitException {
        if (value == null) {
            if (required) {
                throw invalid(at + " is missing: each flow needs the ID of an Inkit flow.");
            }
            return null;
        }
        if (!(value instanceof CharSequence)) {
            throw invalid(at + " is " + typeOf(value) + "; it must be a text.");
        }
        String s = value.toString().strip();
        if (s.isEmpty()) {
            if (required) {
                throw invalid(at + " is blank: each flow needs the ID of an Inkit flow.");
            }
            return null;
        }
        return s;
    }

    /** A text field of a flows file, or {@code null}. */
    private static String fileText(JsonNode value, String in, String field) throws InkitException {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid(in + ": '" + field + "' is " + typeOf(value) + "; it must be a text.");
        }
        return blankToNull(value.textValue());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** What a value is, never what it says. */
    private static String typeOf(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof JsonNode node) {
            return switch (node.getNodeType()) {
                case ARRAY -> "a list";
                case OBJECT, POJO -> "a map";
                case STRING, BINARY -> "a text";
                case NUMBER -> "a number";
                case BOOLEAN -> "a boolean";
                default -> "null";
            };
        }
        if (value instanceof CharSequence) {
            return "a text";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof Map) {
            return "a map";
        }
        if (value instanceof Collection || value instanceof Object[]) {
            return "a list";
        }
        return "a " + value.getClass().getName();
    }

    private static String keyName(Object key) {
        return key instanceof CharSequence
                ? "the key '" + Excerpts.printable(key.toString(), 40) + "'"
                : "a key that is " + typeOf(key);
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String capitalised(String source) {
        return source == null || source.isEmpty()
                ? "The flows"
                : source.substring(0, 1).toUpperCase(Locale.ROOT) + source.substring(1);
    }

    private static InkitException invalid(String message) {
        return new InkitException(InkitException.Kind.INVALID_INPUT, message);
    }
}
