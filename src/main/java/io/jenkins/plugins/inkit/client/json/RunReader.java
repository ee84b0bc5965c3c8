package io.jenkins.plugins.inkit.client.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.jenkins.plugins.inkit.client.model.RunPage;
import io.jenkins.plugins.inkit.client.text.Excerpts;
import io.jenkins.plugins.inkit.client.text.MergeWords;
import io.jenkins.plugins.inkit.client.text.PersonalData;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of the run list, read from its {@code START_OBJECT} to its {@code END_OBJECT}. Its error
 * texts are kept prepared (cut to a bound, cleaned, token blanked) and blanked by the personal-data
 * rule only at the end of the object, once the words of its merge parameters are known: Inkit may
 * send {@code merge_parameters} after {@code destinations}. Problems are noted as they are met and
 * told in a fixed order, so the reason a run is unreadable does not depend on the order of its fields.
 */
final class RunReader {

    /** The fields, in order, whose first non-blank string is a destination's error text. */
    private static final List<String> ERROR_FIELDS = List.of("error", "error_message", "message", "detail", "reason");

    // Problems, in the order they are told.
    private static final int BATCH_ID = 0;
    private static final int ID = 1;
    private static final int CREATED_AT = 2;
    private static final int STATUS = 3;
    private static final int DESTINATIONS = 4;
    private static final int DESTINATION_STATUS = 5;
    private static final int FLOW_ID = 6;
    private static final int FLOW_NAME = 7;

    private final JsonParser p;
    private final String secret;
    private final String[] problems = new String[8];
    private final MergeWords words = new MergeWords();
    private String batchId;
    private String id;
    private String flowId;
    private String flowName;
    private String createdAt;
    private Instant created;
    private boolean failed;
    /** Destinations' error texts and failed destinations, texts prepared but not yet blanked. */
    private final Map<String, String> errors = new LinkedHashMap<>();

    private final Map<String, String> failedDestinations = new LinkedHashMap<>();
    /** Names {@code destination_status} says failed, applied after {@code destinations} wherever they came. */
    private final List<String> failedByStatus = new ArrayList<>();

    private RunReader(JsonParser p, String secret) {
        this.p = p;
        this.secret = secret;
    }

    /** The run whose first token is the current one; the parser is left on its last token. */
    static RunPage.Run read(JsonParser p, String secret) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return RunPage.Run.unreadable(null, "it is not an object");
        }
        RunReader r = new RunReader(p, secret);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            r.field(field);
        }
        return r.run();
    }

    private void field(String field) throws IOException {
        JsonToken t = p.currentToken();
        switch (field) {
            case "flows_batch_id" -> {
                if (t == JsonToken.VALUE_STRING) {
                    batchId = Excerpts.line(p.getText(), secret, RunParser.ID_LENGTH);
                } else if (t != JsonToken.VALUE_NULL) {
                    problem(BATCH_ID, "its 'flows_batch_id' is not a string");
                }
            }
            case "id" -> id = text(ID, field, RunParser.ID_LENGTH);
            case "flow_id" -> flowId = text(FLOW_ID, field, RunParser.ID_LENGTH);
            case "flow_name" -> flowName = text(FLOW_NAME, field, RunParser.NAME_LENGTH);
            case "created_at" -> {
                if (t == JsonToken.VALUE_STRING) {
                    created = instant(p.getText());
                }
                createdAt = text(CREATED_AT, field, RunParser.TIME_LENGTH);
            }
            case "status" -> {
                String status = text(STATUS, field, 0);
                failed |= RunParser.isFailed(status);
            }
            case "destinations" -> destinations();
            case "destination_status" -> destinationStatus();
            default -> {
                if (PersonalData.isMergeParameters(field)) {
                    collectWords();
                }
            }
        }
        skipCollecting();
    }

    /** A plain value as a cleaned excerpt ({@code max} 0: as given, for status words); {@code null} if absent. */
    private String text(int slot, String field, int max) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (!t.isScalarValue()) {
            problem(slot, "its '" + field + "' is not a plain value");
            return null;
        }
        return max == 0 ? p.getText() : Excerpts.line(p.getText(), secret, max);
    }

    private void destinations() throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return;
        }
        if (t != JsonToken.START_OBJECT) {
            problem(DESTINATIONS, "its 'destinations' is not an object");
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = Excerpts.line(p.currentName(), secret, RunParser.DESTINATION_LENGTH);
            JsonToken value = p.nextToken();
            String status = null;
            String error = null;
            if (value == JsonToken.VALUE_NULL) {
                continue;
            } else if (value == JsonToken.VALUE_STRING) {
                status = p.getText();
            } else if (value == JsonToken.START_OBJECT) {
                String[] texts = new String[ERROR_FIELDS.size() + 1];
                destination(texts);
                status = texts[ERROR_FIELDS.size()];
                error = firstError(texts);
            } else {
                problem(DESTINATIONS, "a destination is neither an object nor a status");
                skipCollecting();
                continue;
            }
            if (error != null && errors.size() < RunParser.MAX_DESTINATIONS) {
                errors.put(name, error);
            }
            if (RunParser.isFailed(status) && failedDestinations.size() < RunParser.MAX_DESTINATIONS) {
                failedDestinations.put(name, error);
            }
        }
    }

    /** One destination's object: its error fields' strings into {@code texts} by their order, its status last. */
    private void destination(String[] texts) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            int slot = ERROR_FIELDS.indexOf(field);
            if (field.equals("status")) {
                if (value.isScalarValue()) {
                    texts[ERROR_FIELDS.size()] = value == JsonToken.VALUE_NULL ? null : p.getText();
                } else {
                    problem(DESTINATIONS, "the status of a destination is not a plain value");
                }
            } else if (slot >= 0 && value == JsonToken.VALUE_STRING) {
                texts[slot] = p.getText();
            } else if (slot == 0 && value == JsonToken.START_OBJECT) {
                texts[0] = errorMessage();
            } else if (PersonalData.isMergeParameters(field)) {
                collectWords();
            }
            skipCollecting();
        }
    }

    /** The {@code message} string of an {@code error} object, or {@code null}. */
    private String errorMessage() throws IOException {
        String message = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("message") && value == JsonToken.VALUE_STRING) {
                message = p.getText();
            } else if (PersonalData.isMergeParameters(field)) {
                collectWords();
            }
            skipCollecting();
        }
        return message;
    }

    /** The first non-blank error text, prepared: bounded, cleaned, the token blanked; not yet cut. */
    private String firstError(String[] texts) {
        for (int i = 0; i < ERROR_FIELDS.size(); i++) {
            if (texts[i] != null && !texts[i].isBlank()) {
                return Excerpts.prepare(texts[i], secret, Excerpts.BODY_EXCERPT);
            }
        }
        return null;
    }

    private void destinationStatus() throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return;
        }
        if (t == JsonToken.VALUE_STRING) {
            failed |= RunParser.isFailed(p.getText());
            return;
        }
        if (t != JsonToken.START_OBJECT) {
            problem(DESTINATION_STATUS, "its 'destination_status' is neither a status nor an object");
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.VALUE_STRING) {
                // Room for every name that may still be added once the destinations are in.
                if (RunParser.isFailed(p.getText()) && failedByStatus.size() < 2 * RunParser.MAX_DESTINATIONS) {
                    failedByStatus.add(Excerpts.line(name, secret, RunParser.DESTINATION_LENGTH));
                }
            } else if (value != JsonToken.VALUE_NULL) {
                problem(DESTINATION_STATUS, "a status in its 'destination_status' is not a string");
                skipCollecting();
            }
        }
    }

    private void skipCollecting() throws IOException {
        MergeParameters.skip(p, words);
    }

    private void collectWords() throws IOException {
        MergeParameters.collect(p, words);
    }

    private void problem(int slot, String why) {
        if (problems[slot] == null) {
            problems[slot] = why;
        }
    }

    private RunPage.Run run() {
        if (problems[BATCH_ID] != null) {
            return RunPage.Run.unreadable(null, problems[BATCH_ID]);
        }
        if (problems[ID] != null) {
            return RunPage.Run.unreadable(batchId, problems[ID]);
        }
        if (id == null || id.isEmpty()) {
            return RunPage.Run.unreadable(batchId, "it has no 'id'");
        }
        for (String why : problems) {
            if (why != null) {
                return RunPage.Run.unreadable(batchId, why);
            }
        }
        for (String name : failedByStatus) {
            if (failedDestinations.size() < RunParser.MAX_DESTINATIONS) {
                failedDestinations.putIfAbsent(name, errors.get(name));
            }
        }
        // Now that the merge parameters' words are known: the rule, then the cut.
        failedDestinations.replaceAll(
                (name, error) -> error == null ? null : Excerpts.finish(error, Excerpts.BODY_EXCERPT, words));
        return new RunPage.Run(
                id,
                flowId,
                flowName,
                batchId,
                createdAt,
                created,
                failed || !failedDestinations.isEmpty(),
                failedDestinations,
                null);
    }

    private static Instant instant(String text) {
        if (text.length() > 64) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
