package io.jenkins.plugins.inkit.client.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one Jackson configuration of the core: every parser and generator comes from {@link #FACTORY},
 * every tree and {@code --json} output from {@link #MAPPER}. No other class configures its own.
 */
public final class Json {

    /** Nesting deeper than this is refused: merge parameters nest 64 deep at most, and three levels hold them. */
    public static final int MAX_DEPTH = 100;

    /**
     * A key repeated in one object is an error: which of its values counts is up to each reader, so
     * the answer (or the flows file) cannot be trusted. Limits stop what no real document needs.
     */
    public static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    // Counts and amounts, not numbers thousands of digits long that are slow to read.
                    .maxNumberLength(100)
                    .maxNameLength(10_000)
                    .maxStringLength(StreamReadConstraints.DEFAULT_MAX_STRING_LEN)
                    .build())
            .build();

    /**
     * For a tree where one is really needed, and for output. Trailing tokens are an error; numbers
     * with a fraction are read as {@code BigDecimal} and keep their trailing zeros, so that
     * {@code 10.50} is written back as {@code 10.50}.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder(FACTORY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private static final ObjectWriter PRETTY = MAPPER.writer(SerializationFeature.INDENT_OUTPUT);

    private Json() {}

    /** {@code value} (plain JDK values: maps, lists, strings, numbers, booleans) as indented JSON. */
    public static String pretty(Object value) {
        try {
            return PRETTY.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            // Plain values always serialise: this is a bug, and its message may quote a value.
            throw new IllegalStateException("a value could not be written as JSON", null);
        }
    }
}
