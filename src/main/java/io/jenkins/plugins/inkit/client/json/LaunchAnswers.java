package io.jenkins.plugins.inkit.client.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.jenkins.plugins.inkit.client.BatchIds;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.model.LaunchRequest;
import io.jenkins.plugins.inkit.client.model.LaunchedBatch;
import io.jenkins.plugins.inkit.client.model.LaunchedDocument;
import io.jenkins.plugins.inkit.client.text.Excerpts;
import io.jenkins.plugins.inkit.client.text.PersonalData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads Inkit's answers to a launch: the batch it created, or an error whose excerpt may be shown.
 * Both are read as a stream, and whatever could echo the merge parameters (the customers' personal
 * data) is skipped unread or blanked out.
 */
public final class LaunchAnswers {

    private static final JsonFactory JSON = new JsonFactory();

    /** Fields of an error answer that may echo what was sent (FastAPI's "input" does): never shown. */
    private static final Set<String> ECHOING =
            Set.of("input", "ctx", "merge_parameters", "mergeParameters", "body", "data", "flows", "value");

    /** What replaces a merge parameter's value that an error answer echoes. */
    static final String BLANKED = "(a merge parameter)";

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
        try (JsonParser p = JSON.createParser(body)) {
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
     * A short excerpt of an error answer: the fields that could echo what was sent dropped, the token
     * and every value of the request's merge parameters blanked out, at most 200 characters.
     */
    public static String excerpt(byte[] body, String token, LaunchRequest request) {
        byte[] shown = withoutEchoes(body);
        String text = Excerpts.ofBody(shown, token, 10 * Excerpts.BODY_EXCERPT);
        if (request != null) {
            text = PersonalData.blank(text, request.mergeParameterValues(), BLANKED);
        }
        return Excerpts.printable(text, Excerpts.BODY_EXCERPT);
    }

    /** A JSON answer without its echoing fields; anything else as it is. */
    private static byte[] withoutEchoes(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(body.length, 64 * 1024));
        try (JsonParser p = JSON.createParser(body);
                JsonGenerator g = JSON.createGenerator(out)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
                return body;
            }
            for (; t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME && ECHOING.contains(p.currentName())) {
                    p.nextToken();
                    p.skipChildren();
                    continue;
                }
                g.copyCurrentEvent(p);
            }
        } catch (IOException | RuntimeException e) {
            return body;
        }
        return out.toByteArray();
    }

    private static InkitException untrusted(String why) {
        return new InkitException(InkitException.Kind.UNTRUSTED_RESPONSE, why);
    }
}
