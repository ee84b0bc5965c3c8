package io.jenkins.plugins.inkit.client.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import io.jenkins.plugins.inkit.client.InkitException;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** What the flow readers say about bad input: where it is and what kind of value, never what it says. */
final class FlowProblems {

    private FlowProblems() {}

    static InkitException invalid(String message) {
        return new InkitException(InkitException.Kind.INVALID_INPUT, message);
    }

    /** What the value starting at {@code token} is. */
    static String typeOf(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "a list";
            case START_OBJECT -> "a map";
            case VALUE_STRING, VALUE_EMBEDDED_OBJECT -> "a text";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> "null";
        };
    }

    /** What a Pipeline's value is. */
    static String typeOf(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof CharSequence) {
            return "a text";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof Map) {
            return "a map";
        }
        if (value instanceof Collection || value instanceof Object[]) {
            return "a list";
        }
        return "a " + value.getClass().getName();
    }

    /**
     * A name a field may have: a letter or underscore first, then letters, digits, {@code _ . -}, no
     * longer than 40, and at most four digits. Anything else may be a value put where a name belongs
     * (an email, an account or card number), so it is never quoted.
     */
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,39}");

    static boolean isFieldName(String key) {
        return key.length() <= 40
                && FIELD_NAME.matcher(key).matches()
                && key.chars().filter(c -> c >= '0' && c <= '9').count() <= 4;
    }

    /** {@code "the field 'extra'"}, or, for a key that is no field name, a field whose name is not shown. */
    static String named(String noun, String key) {
        return isFieldName(key)
                ? "the " + noun + " '" + key + "'"
                : "a " + noun + " whose name is not shown (it does not look like a field name)";
    }

    /** A key in a path such as {@code flows[0].mergeParameters[2].first_name}; one that is no field name is {@code [key]}. */
    static String pathKey(String key) {
        return isFieldName(key) ? key : "[key]";
    }

    static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    static String capitalised(String source) {
        return source == null || source.isEmpty()
                ? "The flows"
                : source.substring(0, 1).toUpperCase(Locale.ROOT) + source.substring(1);
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
