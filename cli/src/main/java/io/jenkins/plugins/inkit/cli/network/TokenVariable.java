package io.jenkins.plugins.inkit.cli.network;

import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.TokenSource;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@code --token-env NAME}: the environment variable that holds the API token. People pass the key
 * itself by mistake, so the name is shown only when it looks like a variable's name, never when it
 * looks like a key.
 */
final class TokenVariable {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    private TokenVariable() {}

    /**
     * Letters, digits and {@code _}, not starting with a digit, at most 64 characters, and all upper or
     * all lower case: {@code INKIT_API_TOKEN}, {@code inkit_key}. A mixed-case name with digits is how
     * keys look, and is never shown.
     */
    static boolean looksLikeName(String name) {
        return name != null
                && NAME.matcher(name).matches()
                && (name.equals(name.toUpperCase(Locale.ROOT)) || name.equals(name.toLowerCase(Locale.ROOT)));
    }

    /** "the environment variable INKIT_API_TOKEN", or, for a name that looks like a key, words without it. */
    static String describe(String name) {
        return looksLikeName(name)
                ? "the environment variable " + name
                : "the environment variable named with --token-env";
    }

    /** The token from the variable; bad input, saying what to fix, when it is not set. */
    static TokenSource read(String name, Function<String, String> environment) throws InkitException {
        if (name == null || name.isBlank()) {
            throw invalid("--token-env is empty: give the name of the environment variable that holds the API token,"
                    + " such as INKIT_API_TOKEN.");
        }
        String token = environment.apply(name);
        if (token != null && !token.isBlank()) {
            return TokenSource.of(token, describe(name));
        }
        if (!looksLikeName(name)) {
            throw invalid("No API token: the environment variable named with --token-env is not set. Its name is not"
                    + " shown because it looks like a key, not a name: did you pass the key itself? Put the key in an"
                    + " environment variable and give --token-env that variable's name, such as INKIT_API_TOKEN.");
        }
        throw invalid("No API token: set the environment variable " + name + " to your Inkit API key (it is never"
                + " taken as an argument, since arguments show in process lists).");
    }

    private static InkitException invalid(String message) {
        return new InkitException(InkitException.Kind.INVALID_INPUT, message);
    }
}
