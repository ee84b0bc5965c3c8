package io.jenkins.plugins.inkit.client.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.jenkins.plugins.inkit.client.BatchIds;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.model.LaunchRequest;
import io.jenkins.plugins.inkit.client.model.LaunchedBatch;
import io.jenkins.plugins.inkit.client.model.LaunchedDocument;
import io.jenkins.plugins.inkit.client.text.Excerpts;
import io.jenkins.plugins.inkit.client.text.MergeWords;
import io.jenkins.plugins.inkit.client.text.PersonalData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads Inkit's answers to a launch: the batch it created, or an error whose excerpt may be shown.
 * Both are read as a stream, and whatever could echo the merge parameters (the customers' personal
 * data) is skipped unread or blanked out. Every text kept is cleaned (no control, format or
 * bidirectional character) with the token blanked out.
 */
public final class LaunchAnswers {

    /**
     * Fields of an error answer that may echo what was sent (FastAPI's "input" does): never shown,
     * nor any field {@link PersonalData#isMergeParameters} names.
     */
    private static final Set<String> ECHOING = Set.of("input", "ctx", "body", "data", "flows", "value");

    /** What is said instead of an error answer that is not JSON. */
    static final String NOT_JSON = "(its body is not shown: it is not JSON, and may echo the merge parameters)";

    /** Of an error answer, at most this much JSON is copied for its excerpt: far more than is shown. */
    private static final int MAX_COPIED = 16 * 1024;

    private LaunchAnswers() {}

    /**
     * The batch in a successful answer: {@code {id, name, description, flows_data: [{id,
     * document_id}]}}; other fields are skipped unread.
     *
     * @throws InkitException an {@link InkitException.Kind#UNTRUSTED_RESPONSE} whose message says
     *     what is wrong in a few words ("it has no batch ID") without quoting the answer
     */
    public static LaunchedBatch parse(byte[] body, String token) throws InkitException {
        String id = null;
        String name = null;
        String description = null;
        List<LaunchedDocument> documents = new ArrayList<>();
        try (JsonParser p = Json.FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw untrusted("it is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "id" -> id = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "name" ->
                        name = value == JsonToken.VALUE_STRING ? Excerpts.line(p.getText(), token, 200) : null;
                    case "description" ->
                        description = value == JsonToken.VALUE_STRING ? Excerpts.line(p.getText(), token, 500) : null;
                    case "flows_data" -> {
                        if (value == JsonToken.START_ARRAY) {
                            readDocuments(p, documents, token);
                        } else {
                            p.skipChildren();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw untrusted("it is not valid JSON");
        }
        if (id == null || id.isBlank()) {
            throw untrusted("it has no batch ID");
        }
        if (BatchIds.problem(id) != null) {
            throw untrusted("its batch ID is not one (it may hold only letters, digits, '_' and '-')");
        }
        return new LaunchedBatch(id.strip(), name, description, documents);
    }

    private static void readDocuments(JsonParser p, List<LaunchedDocument> documents, String token) throws IOException {
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                documents.add(new LaunchedDocument(null, null));
                continue;
            }
            String run = null;
            String document = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.VALUE_STRING && field.equals("id")) {
                    run = Excerpts.line(p.getText(), token, 128);
                } else if (value == JsonToken.VALUE_STRING && field.equals("document_id")) {
                    document = Excerpts.line(p.getText(), token, 128);
                } else {
                    p.skipChildren();
                }
            }
            documents.add(new LaunchedDocument(run, document));
        }
    }

    /**
     * A short excerpt of an error answer, by the rule of docs/personal-data.md: an answer that is not
     * JSON is not quoted at all; of a JSON answer, the fields that could echo what was sent are
     * dropped, the token is blanked out, and so are every e-mail address, every word of the
     * request's merge parameters and every number; at most {@value Excerpts#BODY_EXCERPT} characters.
     */
    public static String excerpt(byte[] body, String token, LaunchRequest request) {
        if (isBlank(body)) {
            return "(empty body)";
        }
        byte[] json = withoutEchoes(body);
        if (json == null) {
            return NOT_JSON;
        }
        MergeWords words = request == null ? MergeWords.NONE : request.mergeWords();
        return Excerpts.ofBody(json, token, Excerpts.BODY_EXCERPT, words);
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /**
     * A JSON answer without its echoing fields, compact, its first {@link #MAX_COPIED} bytes or so;
     * {@code null} for anything that is not JSON.
     */
    private static byte[] withoutEchoes(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(body.length, MAX_COPIED) + 64);
        try (JsonParser p = Json.FACTORY.createParser(body);
                JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME && isEchoing(p.currentName())) {
                    p.nextToken();
                    p.skipChildren();
                    continue;
                }
                g.copyCurrentEventExact(p);
                if (out.size() + g.getOutputBuffered() > MAX_COPIED) {
                    // Enough to show: what is left open is closed when the generator is.
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return out.toByteArray();
    }

    private static boolean isEchoing(String field) {
        return ECHOING.contains(field) || PersonalData.isMergeParameters(field);
    }

    private static InkitException untrusted(String why) {
        return new InkitException(InkitException.Kind.UNTRUSTED_RESPONSE, why);
    }
}
