package io.jenkins.plugins.inkit.client.model;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.jenkins.plugins.inkit.client.text.Excerpts;
import io.jenkins.plugins.inkit.client.text.MergeWords;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import okio.Buffer;
import okio.BufferedSink;

/**
 * What to launch with {@code POST /v1/invoke/batch}: an optional name and description, and the
 * flows, each with the merge parameters of its documents. Immutable. The merge parameters are the
 * customers' personal data: they are held only as the JSON body to send, and no message, and not
 * {@link #toString()}, ever quotes one of their values. The body is an Okio {@link Buffer}: a
 * request made from another with {@link #withName} shares its segments instead of copying them, and
 * {@link #writeBodyTo} sends them without a copy either.
 */
public final class LaunchRequest {

    /** The largest flows file read, by the command line and by the Jenkins step alike. */
    public static final long MAX_FLOWS_FILE_BYTES = 256L * 1024 * 1024;

    private final String name;
    private final String description;
    /** The {@code flows} list as JSON, in Inkit's field names; never read from, only copied. */
    private final Buffer flows;

    private final int flowCount;
    private final long documentCount;
    /** {@code {"name": ..., "description": ..., "flows": [...]}}; never read from, only copied. */
    private final Buffer body;

    /** How the words of the merge parameters are read from the flows, given by the reader that wrote them. */
    private final WordsReader wordsReader;
    /** The words of the merge parameters, read from the body the first time an error answer needs them. */
    private volatile MergeWords mergeWords;

    /** Reads the words of the merge parameters' texts from the JSON list of flows. */
    @FunctionalInterface
    public interface WordsReader {
        MergeWords read(InputStream flows) throws IOException;
    }

    private LaunchRequest(
            String name, String description, Buffer flows, int flowCount, long documentCount, WordsReader wordsReader) {
        this.name = name;
        this.description = description;
        this.flows = flows;
        this.flowCount = flowCount;
        this.documentCount = documentCount;
        this.wordsReader = wordsReader;
        this.body = compose(name, description, flows);
    }

    /**
     * A request of flows already written and checked by one of the readers: {@code flows} is the JSON
     * list of flows in Inkit's field names, and is owned by the request from now on; {@code words}
     * reads it back for {@link #mergeWords()}.
     */
    public static LaunchRequest of(
            String name, String description, Buffer flows, int flowCount, long documentCount, WordsReader words) {
        return new LaunchRequest(
                blankToNull(name),
                blankToNull(description),
                Objects.requireNonNull(flows),
                flowCount,
                documentCount,
                Objects.requireNonNull(words));
    }

    /** The same request with this name; {@code null} or blank keeps the current one. */
    public LaunchRequest withName(String name) {
        String n = blankToNull(name);
        return n == null ? this : new LaunchRequest(n, description, flows, flowCount, documentCount, wordsReader);
    }

    /** The same request with this description; {@code null} or blank keeps the current one. */
    public LaunchRequest withDescription(String description) {
        String d = blankToNull(description);
        return d == null ? this : new LaunchRequest(name, d, flows, flowCount, documentCount, wordsReader);
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

    /** The length of the JSON body in bytes. */
    public long bodyLength() {
        return body.size();
    }

    /** Writes the JSON body to {@code sink}; the segments are shared, not copied. */
    public void writeBodyTo(BufferedSink sink) throws IOException {
        try (Buffer copy = body.copy()) {
            sink.write(copy, copy.size());
        }
    }

    /** The JSON body as sent: {@code {"name": ..., "description": ..., "flows": [...]}}. A copy. */
    public byte[] body() {
        return body.snapshot().toByteArray();
    }

    /**
     * The words of the merge parameters' texts (see {@link MergeWords}), so that an error answer that
     * echoes one can have it blanked out. Read from the body once, the first time it is asked for:
     * only an error answer needs them.
     */
    public MergeWords mergeWords() {
        MergeWords words = mergeWords;
        if (words == null) {
            try (Buffer copy = flows.copy()) {
                words = wordsReader.read(copy.inputStream());
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

    private static Buffer compose(String name, String description, Buffer flows) {
        Buffer out = new Buffer().writeUtf8("{");
        if (name != null) {
            out.writeUtf8("\"name\":").writeUtf8(quoted(name)).writeUtf8(",");
        }
        if (description != null) {
            out.writeUtf8("\"description\":").writeUtf8(quoted(description)).writeUtf8(",");
        }
        out.writeUtf8("\"flows\":");
        try (Buffer shared = flows.copy()) {
            out.write(shared, shared.size());
        }
        out.writeUtf8("}");
        // Marks every segment shared now: later copies, from any thread, only read this buffer.
        out.copy().clear();
        return out;
    }

    private static String quoted(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
