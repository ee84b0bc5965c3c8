package io.jenkins.plugins.inkit.client.json;

import static io.jenkins.plugins.inkit.client.json.FlowProblems.invalid;
import static io.jenkins.plugins.inkit.client.json.FlowProblems.typeOf;

import com.fasterxml.jackson.core.JsonGenerator;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.model.LaunchRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okio.Buffer;

/** The flows of a Pipeline step, its maps and lists, written as the JSON a launch sends. */
public final class PipelineFlows {

    /** Deeper nesting in merge parameters is refused: it is a map or list that contains itself. */
    static final int MAX_DEPTH = 64;

    private static final Set<String> FLOW_KEYS = Set.of("flowId", "name", "mergeParameters");

    private PipelineFlows() {}

    /**
     * Each flow a map with {@code flowId} (a text, required), {@code name} (a text, optional) and
     * {@code mergeParameters} (a list of maps, one per document, required). Values may be texts
     * (Groovy's GStrings included), numbers, booleans, {@code null}, lists and maps. A problem is an
     * {@link InkitException.Kind#INVALID_INPUT} that names the flow's index and the field, never a
     * merge parameter's value.
     */
    public static LaunchRequest read(List<?> flows) throws InkitException {
        if (flows == null || flows.isEmpty()) {
            throw invalid("No flows to launch: give flows, a list of maps with flowId and mergeParameters (a list"
                    + " with one map of merge parameters per document).");
        }
        Buffer out = new Buffer();
        long documents = 0;
        try (JsonGenerator g = Json.FACTORY.createGenerator(out.outputStream())) {
            g.writeStartArray();
            for (int i = 0; i < flows.size(); i++) {
                documents += flow(g, flows.get(i), "flows[" + i + "]");
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InkitException e) {
            out.clear();
            throw e;
        }
        return LaunchRequest.of(null, null, out, flows.size(), documents, MergeParameters::words);
    }

    /** One flow, written; how many documents it has. */
    private static int flow(JsonGenerator g, Object f, String where) throws IOException, InkitException {
        if (!(f instanceof Map<?, ?> flow)) {
            throw invalid(where + " is " + typeOf(f) + ", not a map with flowId, name and mergeParameters.");
        }
        for (Object key : flow.keySet()) {
            if (!(key instanceof CharSequence) || !FLOW_KEYS.contains(key.toString())) {
                throw invalid(where + " has " + keyName(key) + "; a flow takes flowId, name and mergeParameters.");
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
            throw invalid(
                    at + " is " + typeOf(parameters) + ", not a list with one map of merge parameters per document.");
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
        return docs.size();
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
        } else if (value instanceof Number n) {
            number(g, n, at);
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
                write(g, entry.getValue(), at + "." + FlowProblems.pathKey(key.toString()), depth + 1);
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

    /** A number as written: whole numbers exactly, decimals as given, never NaN or infinity. */
    private static void number(JsonGenerator g, Number value, String at) throws IOException, InkitException {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            g.writeNumber(value.longValue());
        } else if (value instanceof Double || value instanceof Float) {
            double d = value.doubleValue();
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
        } else {
            BigDecimal d;
            try {
                d = new BigDecimal(value.toString());
            } catch (NumberFormatException e) {
                throw invalid(
                        at + " is a number of type " + value.getClass().getName() + " that cannot be written as JSON.");
            }
            g.writeNumber(d);
        }
    }

    /** A text field of a flow: stripped; {@code null} when absent and not required. */
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

    private static String keyName(Object key) {
        return key instanceof CharSequence ? FlowProblems.named("key", key.toString()) : "a key that is " + typeOf(key);
    }
}
