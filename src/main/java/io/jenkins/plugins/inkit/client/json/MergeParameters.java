package io.jenkins.plugins.inkit.client.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.jenkins.plugins.inkit.client.text.MergeWords;
import io.jenkins.plugins.inkit.client.text.PersonalData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.CharBuffer;

/**
 * The merge parameters within JSON, as far as blanking their echoes needs them: the words of their
 * texts, gathered as the parser passes them, so that no value ever becomes a {@code String}.
 */
final class MergeParameters {

    private MergeParameters() {}

    /** The words of every text under every field {@link PersonalData#isMergeParameters} names, however deep. */
    static MergeWords words(InputStream json) throws IOException {
        MergeWords words = new MergeWords();
        try (JsonParser p = Json.FACTORY.createParser(json)) {
            if (p.nextToken() != null) {
                skip(p, words);
            }
        }
        return words;
    }

    /** Skips the current value, gathering the words of any merge parameters within it into {@code words}. */
    static void skip(JsonParser p, MergeWords words) throws IOException {
        if (!p.currentToken().isStructStart()) {
            return;
        }
        int depth = 1;
        while (depth > 0) {
            JsonToken t = p.nextToken();
            if (t.isStructStart()) {
                depth++;
            } else if (t.isStructEnd()) {
                depth--;
            } else if (t == JsonToken.FIELD_NAME && PersonalData.isMergeParameters(p.currentName())) {
                p.nextToken();
                collect(p, words);
            }
        }
    }

    /** Gathers the words of every string in the current value (merge parameters) into {@code words}; consumes it. */
    static void collect(JsonParser p, MergeWords words) throws IOException {
        int depth = 0;
        do {
            JsonToken t = p.currentToken();
            if (t.isStructStart()) {
                depth++;
            } else if (t.isStructEnd()) {
                depth--;
            } else if (t == JsonToken.VALUE_STRING) {
                // The parser's own characters: the value never becomes a String.
                words.addValue(CharBuffer.wrap(p.getTextCharacters(), p.getTextOffset(), p.getTextLength()));
            }
        } while (depth > 0 && p.nextToken() != null);
    }
}
