package io.jenkins.plugins.inkit.client.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.inkit.client.BatchIds;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.model.Batch;
import io.jenkins.plugins.inkit.client.model.Destination;
import io.jenkins.plugins.inkit.client.text.Excerpts;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the JSON of {@code GET /v1/invoke/batch/{id}} into a {@link Batch}, refusing what cannot
 * be true. Inkit documents the fields but not every shape they take, so: unused destinations may
 * be absent, {@code null} or {@code {}}; unknown destination names are kept; unknown fields are
 * ignored; but a negative count, a part larger than its whole, a number that is not a whole
 * number, or a duplicated key is an error, never a silent pass.
 *
 * <p>Every text comes out {@linkplain Excerpts#line cleaned} (no control, format or bidirectional
 * character, white space folded, short) with the API token blanked out, so that whatever prints a
 * {@link Batch} (the report, the verdict, the step's map) prints it as it is. The answer is small
 * (at most 1 MiB) and its destinations are checked against each other, so it is read as a tree.
 */
public final class BatchParser {

    static final int NAME_LENGTH = 200;
    static final int STATUS_LENGTH = 60;
    static final int TIME_LENGTH = 60;
    static final int DESTINATION_LENGTH = 80;

    private BatchParser() {}

    /** {@link #parse(byte[], String)} for an answer that no token was sent for. */
    public static Batch parse(byte[] json) throws InkitException {
        return parse(json, null);
    }

    /**
     * The batch, or an exception whose message says which field is wrong and why.
     *
     * @param token the API token, blanked out of every text of the batch; {@code null} for none
     */
    public static Batch parse(byte[] json, String token) throws InkitException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            // Jackson's own words quote the text it stumbled on, which may be anything the server sent.
            throw untrusted(
                    e.getLocation() == null
                            ? "it is not valid JSON"
                            : "it is not valid JSON (at line " + e.getLocation().getLineNr() + ", column "
                                    + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw untrusted("it could not be read");
        }
        if (root == null || !root.isObject()) {
            throw untrusted("it is not a JSON object");
        }
        String id = text(root, "id");
        if (id == null || id.isBlank()) {
            throw untrusted("it has no batch 'id'");
        }
        if (BatchIds.problem(id) != null || !id.equals(id.strip())) {
            throw untrusted("its 'id' is not a batch ID (it may hold only letters, digits, '_' and '-')");
        }
        Long total = count(root.get("total"), "'total'", token);
        Map<String, Destination> destinations = new LinkedHashMap<>();
        JsonNode dests = root.get("destinations");
        if (dests != null && !dests.isNull()) {
            if (!dests.isObject()) {
                throw untrusted("'destinations' is not an object");
            }
            long counted = 0;
            for (Map.Entry<String, JsonNode> entry : dests.properties()) {
                Destination d = destination(entry.getKey(), entry.getValue(), total, token);
                if (d != null) {
                    if (d.name().isEmpty()) {
                        throw untrusted("a destination has no name once its unprintable characters are removed");
                    }
                    if (destinations.put(d.name(), d) != null) {
                        // Two names that print the same: which counts are which is anybody's guess.
                        throw untrusted("two destinations are named '" + d.name()
                                + "' once their unprintable characters are removed");
                    }
                    counted = sum(counted, d.count(), "the destinations' counts");
                }
            }
        }
        return new Batch(
                id,
                Excerpts.line(text(root, "name"), token, NAME_LENGTH),
                Excerpts.line(text(root, "status"), token, STATUS_LENGTH),
                total,
                Excerpts.line(text(root, "created_at"), token, TIME_LENGTH),
                destinations);
    }

    /** {@code null} for a destination that is not used: {@code null}, or an object with no counts. */
    private static Destination destination(String rawName, JsonNode node, Long total, String token)
            throws InkitException {
        if (node == null || node.isNull()) {
            return null;
        }
        String name = Excerpts.line(rawName, token, DESTINATION_LENGTH);
        String where = "destination '" + name + "'";
        if (!node.isObject()) {
            throw untrusted(where + " is not an object");
        }
        Long count = count(node.get("count"), where + " 'count'", token);
        Long completed = count(node.get("completed"), where + " 'completed'", token);
        Long failed = count(node.get("failed"), where + " 'failed'", token);
        Long inProgress = count(node.get("in_progress"), where + " 'in_progress'", token);
        if (count == null && completed == null && failed == null && inProgress == null) {
            return null;
        }
        long c = orZero(completed);
        long f = orZero(failed);
        long p = orZero(inProgress);
        long parts = sum(sum(c, f, where + "'s counts"), p, where + "'s counts");
        long whole = count == null ? parts : count;
        if (parts > whole) {
            throw untrusted(where + " has " + c + " completed + " + f + " failed + " + p
                    + " in progress, more than its count of " + whole);
        }
        if (total != null && whole > total) {
            throw untrusted(where + " counts " + whole + " documents, more than the batch total of " + total);
        }
        return new Destination(name, whole, c, f, p, Excerpts.line(text(node, "status"), token, STATUS_LENGTH));
    }

    /** Numbers from Inkit are added without overflow: a sum past {@code Long.MAX_VALUE} cannot be a real count. */
    private static long sum(long a, long b, String what) throws InkitException {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw untrusted(what + " add up to more than " + Long.MAX_VALUE);
        }
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    /** A non-negative whole number, or {@code null} when absent or {@code null}. */
    private static Long count(JsonNode node, String what, String token) throws InkitException {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw untrusted(what + " is " + Excerpts.line(node.toString(), token, 40) + ", not a whole number");
        }
        long value = node.longValue();
        if (value < 0) {
            throw untrusted(what + " is " + value + "; a count cannot be negative");
        }
        return value;
    }

    private static String text(JsonNode parent, String field) throws InkitException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isValueNode()) {
            throw untrusted("'" + field + "' is not a plain value");
        }
        return node.asText();
    }

    private static InkitException untrusted(String why) {
        return new InkitException(
                InkitException.Kind.UNTRUSTED_RESPONSE, "Inkit's answer cannot be trusted: " + why + ".");
    }
}
