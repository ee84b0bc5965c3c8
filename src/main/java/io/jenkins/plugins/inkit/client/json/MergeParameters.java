package io.jenkins.plugins.inkit.client.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.jenkins.plugins.inkit.client.text.MergeWords;
import io.jenkins.plugins.inkit.client.text.PersonalData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.CharBuffer;

/** The merge parameters within a JSON document, as far as blanking their echoes needs them. */
public final class MergeParameters {

    private MergeParameters() {}

    /**
     * The words of every text under every field that {@link PersonalData#isMergeParameters} names,
     * however deep: one pass over the stream; no value becomes a {@code String}.
     */
    public static MergeWords words(InputStream json) throws IOException {
        MergeWords words = new MergeWords();
        try (JsonParser p = Json.FACTORY.createParser(json)) {
            int depth = 0;
            // The depth at which the merge parameters being read began, or -1 outside them.
            int inside = -1;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t.isStructStart()) {
                    depth++;
                } else if (t.isStructEnd()) {
                    depth--;
                    // Back at the field's own depth: its value has ended.
                    inside = depth == inside ? -1 : inside;
                } else if (t == JsonToken.FIELD_NAME) {
                    if (inside < 0 && PersonalData.isMergeParameters(p.currentName())) {
                        inside = depth;
                    }
                } else if (inside >= 0 && t == JsonToken.VALUE_STRING) {
                    words.addValue(CharBuffer.wrap(p.getTextCharacters(), p.getTextOffset(), p.getTextLength()));
                }
                if (inside >= 0 && t.isScalarValue() && depth == inside) {
                    // A plain value right under the field: its merge parameters end with it.
                    inside = -1;
                }
            }
        }
        return words;
    }
}
