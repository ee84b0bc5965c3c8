package io.jenkins.plugins.inkit.client.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.model.RunPage;
import io.jenkins.plugins.inkit.client.text.Excerpts;
import io.jenkins.plugins.inkit.client.text.PersonalData;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a page of {@code GET /v1/invoke} into a {@link RunPage}. Only the page's outline is
 * documented ({@code items} and {@code metadata.pagination}), and a run's {@code destinations}
 * not at all, so:
 *
 * <ul>
 *   <li>A page that is not {@code {"items": [...], ...}}, or whose pagination contradicts what was
 *       asked, cannot be trusted: an {@link InkitException.Kind#UNTRUSTED_RESPONSE}.
 *   <li>A run that cannot be read is kept as unreadable, with the reason; it never ends the page.
 *   <li>{@code destinations} may map each name to an object (its {@code status}, and the error
 *       text from the first string among {@code error}, {@code error_message}, {@code message},
 *       {@code detail}, {@code reason}, or {@code error.message}) or to a plain status string;
 *       {@code destination_status} may be one status word or an object of name to status. Every
 *       name and status is accepted; "failed", "error" and "failure", in any case, mean failed.
 *   <li>{@code merge_parameters} hold the customer's personal data: their plain values are read only
 *       to blank them (and any e-mail address) out of the run's error texts, and kept nowhere.
 *   <li>No message quotes the answer: it may hold personal data.
 * </ul>
 */
public final class RunParser {

    /** Status words that mean failed, in lower case. */
    static final Set<String> FAILED_WORDS = Set.of("failed", "error", "failure");

    /** The fields, in order, whose first string is a destination's error text. */
    private static final List<String> ERROR_FIELDS = List.of("error", "error_message", "message", "detail", "reason");

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build());

    static final int ID_LENGTH = 80;
    static final int NAME_LENGTH = 120;
    static final int DESTINATION_LENGTH = 60;
    static final int TIME_LENGTH = 40;

    private RunParser() {}

    /**
     * @param askedPage the page that was asked for, checked against the page Inkit says it answered
     * @param pageSize the page size that was asked for, to tell the last page when Inkit does not say
     * @param secret the API token, blanked out of every text
     */
    public static RunPage parse(byte[] json, int askedPage, int pageSize, String secret) throws InkitException {
        JsonNode root = read(json);
        if (!root.isObject()) {
            throw untrusted("it is not a JSON object");
        }
        JsonNode items = root.get("items");
        if (items == null || !items.isArray()) {
            throw untrusted("it has no 'items' list");
        }
        List<RunPage.Run> runs = new ArrayList<>();
        for (JsonNode item : items) {
            runs.add(run(item, secret));
        }
        return new RunPage(runs, hasNext(root.get("metadata"), askedPage, pageSize, items.size()));
    }

    /** Whether a page follows: {@code next_page}, else {@code page_count}, else a full page. */
    private static boolean hasNext(JsonNode metadata, int askedPage, int pageSize, int items) throws InkitException {
        JsonNode pagination = metadata == null || metadata.isNull() ? null : metadata.get("pagination");
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            throw untrusted("'metadata' is not an object");
        }
        if (pagination == null || pagination.isNull()) {
            return items >= pageSize;
        }
        if (!pagination.isObject()) {
            throw untrusted("'metadata.pagination' is not an object");
        }
        Long current = number(pagination, "current_page");
        if (current != null && current != askedPage) {
            throw untrusted("it is page " + current + " when page " + askedPage + " was asked for");
        }
        if (pagination.has("next_page")) {
            Long next = number(pagination, "next_page");
            return next != null;
        }
        Long pages = number(pagination, "page_count");
        return pages != null ? askedPage < pages : items >= pageSize;
    }

    private static Long number(JsonNode parent, String field) throws InkitException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
            throw untrusted("'metadata.pagination." + field + "' is not a whole number");
        }
        return node.longValue();
    }

    private static RunPage.Run run(JsonNode item, String secret) {
        if (!item.isObject()) {
            return RunPage.Run.unreadable(null, "it is not an object");
        }
        JsonNode batchNode = item.get("flows_batch_id");
        String batchId = null;
        if (batchNode != null && !batchNode.isNull()) {
            if (!batchNode.isTextual()) {
                return RunPage.Run.unreadable(null, "its 'flows_batch_id' is not a string");
            }
            batchId = Excerpts.line(batchNode.asText(), secret, ID_LENGTH);
        }
        try {
            String id = text(item, "id", secret, ID_LENGTH);
            if (id == null || id.isEmpty()) {
                return RunPage.Run.unreadable(batchId, "it has no 'id'");
            }
            String createdAt = text(item, "created_at", secret, TIME_LENGTH);
            String status = text(item, "status", null, 0);
            Map<String, String> failedDestinations = new LinkedHashMap<>();
            Map<String, String> errors = new LinkedHashMap<>();
            List<String> personal = personal(item.get(PERSONAL_VALUES));
            destinations(item.get("destinations"), secret, personal, failedDestinations, errors);
            boolean failed = isFailed(status)
                    | destinationStatus(item.get("destination_status"), secret, failedDestinations, errors);
            failed |= !failedDestinations.isEmpty();
            return new RunPage.Run(
                    id,
                    text(item, "flow_id", secret, ID_LENGTH),
                    text(item, "flow_name", secret, NAME_LENGTH),
                    batchId,
                    createdAt,
                    instant(item.get("created_at")),
                    failed,
                    failedDestinations,
                    null);
        } catch (Unreadable e) {
            return RunPage.Run.unreadable(batchId, e.getMessage());
        }
    }

    /** The run's merge parameter values. */
    private static List<String> personal(JsonNode values) {
        List<String> out = new ArrayList<>();
        if (values != null) {
            values.forEach(v -> out.add(v.asText()));
        }
        return out;
    }

    /** At most this many failed destinations are kept per run. */
    static final int MAX_DESTINATIONS = 20;

    /** Reads {@code destinations}: failed ones into {@code failed}, every error text into {@code errors}. */
    private static void destinations(
            JsonNode node, String secret, List<String> personal, Map<String, String> failed, Map<String, String> errors)
            throws Unreadable {
        if (node == null || node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw new Unreadable("its 'destinations' is not an object");
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String name = Excerpts.line(entry.getKey(), secret, DESTINATION_LENGTH);
            JsonNode value = entry.getValue();
            String status;
            String error = null;
            if (value.isNull()) {
                continue;
            } else if (value.isTextual()) {
                status = value.asText();
            } else if (value.isObject()) {
                JsonNode s = value.get("status");
                if (s != null && !s.isNull() && !s.isValueNode()) {
                    throw new Unreadable("the status of a destination is not a plain value");
                }
                status = s == null || s.isNull() ? null : s.asText();
                error = errorText(value, secret, personal);
            } else {
                throw new Unreadable("a destination is neither an object nor a status");
            }
            if (error != null && errors.size() < MAX_DESTINATIONS) {
                errors.put(name, error);
            }
            if (isFailed(status) && failed.size() < MAX_DESTINATIONS) {
                failed.put(name, error);
            }
        }
    }

    /**
     * Reads {@code destination_status}: one word for the run, or an object of name to status whose
     * failed names join {@code failed}. Whether the one word says failed.
     */
    private static boolean destinationStatus(
            JsonNode node, String secret, Map<String, String> failed, Map<String, String> errors) throws Unreadable {
        if (node == null || node.isNull()) {
            return false;
        }
        if (node.isTextual()) {
            return isFailed(node.asText());
        }
        if (!node.isObject()) {
            throw new Unreadable("its 'destination_status' is neither a status nor an object");
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            JsonNode value = entry.getValue();
            if (value.isNull()) {
                continue;
            }
            if (!value.isTextual()) {
                throw new Unreadable("a status in its 'destination_status' is not a string");
            }
            if (isFailed(value.asText()) && failed.size() < MAX_DESTINATIONS) {
                String name = Excerpts.line(entry.getKey(), secret, DESTINATION_LENGTH);
                failed.putIfAbsent(name, errors.get(name));
            }
        }
        return false;
    }

    /** The first non-blank string among the error fields, or {@code error.message}; {@code null} if none. */
    private static String errorText(JsonNode destination, String secret, List<String> personal) {
        for (String field : ERROR_FIELDS) {
            JsonNode value = destination.get(field);
            if (value != null && "error".equals(field) && value.isObject()) {
                value = value.get("message");
            }
            if (value != null && value.isTextual() && !value.asText().isBlank()) {
                // Blanked before the cut, so that no part of a value survives it.
                return Excerpts.line(
                        PersonalData.blank(value.asText(), personal, PERSONAL_MASK), secret, Excerpts.BODY_EXCERPT);
            }
        }
        return null;
    }

    static boolean isFailed(String status) {
        return status != null && FAILED_WORDS.contains(status.strip().toLowerCase(Locale.ROOT));
    }

    /** A plain value as a printable excerpt ({@code max} 0: as given, for status words), {@code null} if absent. */
    private static String text(JsonNode parent, String field, String secret, int max) throws Unreadable {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isValueNode()) {
            throw new Unreadable("its '" + field + "' is not a plain value");
        }
        return max == 0 ? node.asText() : Excerpts.line(node.asText(), secret, max);
    }

    private static Instant instant(JsonNode node) {
        if (node == null || !node.isTextual()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(node.asText().strip()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * The JSON as a tree, every {@code merge_parameters} field skipped unread wherever it is. The
     * parser's own messages are not quoted: they can quote the text that could not be read.
     */
    private static JsonNode read(byte[] json) throws InkitException {
        try (JsonParser parser = MAPPER.getFactory().createParser(json)) {
            if (parser.nextToken() == null) {
                throw untrusted("it is empty");
            }
            JsonNode root = value(parser);
            if (parser.nextToken() != null) {
                throw untrusted("there is more after the JSON value");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw untrusted("it is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw untrusted("it could not be read");
        }
    }

    private static JsonNode value(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            ObjectNode object = MAPPER.createObjectNode();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (isPersonalData(name)) {
                    // Read only to blank the values out of this run's error texts; never kept.
                    object.set(PERSONAL_VALUES, personalValues(parser));
                } else {
                    object.set(name, value(parser));
                }
            }
            return object;
        }
        if (token == JsonToken.START_ARRAY) {
            ArrayNode array = MAPPER.createArrayNode();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                array.add(value(parser));
            }
            return array;
        }
        return switch (token) {
            case VALUE_STRING -> MAPPER.getNodeFactory().textNode(parser.getText());
            case VALUE_NUMBER_INT ->
                parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? MAPPER.getNodeFactory().numberNode(parser.getBigIntegerValue())
                        : MAPPER.getNodeFactory().numberNode(parser.getLongValue());
            case VALUE_NUMBER_FLOAT -> MAPPER.getNodeFactory().numberNode(parser.getDecimalValue());
            case VALUE_TRUE -> MAPPER.getNodeFactory().booleanNode(true);
            case VALUE_FALSE -> MAPPER.getNodeFactory().booleanNode(false);
            default -> MAPPER.getNodeFactory().nullNode();
        };
    }

    /** Where a run's object holds its merge parameters' plain values while it is read; no JSON key can be it. */
    private static final String PERSONAL_VALUES = "\u0000personal values";

    /** Every plain value of at least {@value PersonalData#MIN_VALUE_LENGTH} characters under the current token. */
    private static ArrayNode personalValues(JsonParser parser) throws IOException {
        ArrayNode values = MAPPER.createArrayNode();
        if (!parser.currentToken().isStructStart()) {
            addPersonal(values, parser);
            return values;
        }
        int depth = 0;
        do {
            JsonToken token = parser.currentToken();
            if (token.isStructStart()) {
                depth++;
            } else if (token.isStructEnd()) {
                depth--;
            } else if (token.isScalarValue()) {
                addPersonal(values, parser);
            }
        } while (depth > 0 && parser.nextToken() != null);
        return values;
    }

    private static void addPersonal(ArrayNode values, JsonParser parser) throws IOException {
        String text = parser.getText();
        if (PersonalData.isWorthBlanking(text) && values.size() < 10_000) {
            values.add(text.strip());
        }
    }

    /** What replaces personal data in an error text. */
    static final String PERSONAL_MASK = "[personal data]";

    /** {@code merge_parameters}, however it is spelt. */
    static boolean isPersonalData(String field) {
        return field.replace("_", "").equalsIgnoreCase("mergeparameters") || field.equals(PERSONAL_VALUES);
    }

    private static InkitException untrusted(String why) {
        return new InkitException(
                InkitException.Kind.UNTRUSTED_RESPONSE,
                "Inkit's list of workflow runs cannot be trusted: " + why + ".");
    }

    /** Why one run could not be read; it stays within the page. */
    private static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String why) {
            super(why, null, false, false);
        }
    }
}
