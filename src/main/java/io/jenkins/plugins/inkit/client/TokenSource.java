package io.jenkins.plugins.inkit.client;

/**
 * Where the API token comes from. It is asked for only when a request is about to be made, so
 * that callers never have to keep the token in a field, and it describes itself so that a
 * rejected token can be traced to the credential or variable to fix without showing the token.
 */
public interface TokenSource {

    /** The token to send; an {@link InkitException.Kind#INVALID_INPUT} when there is none. */
    String token() throws InkitException;

    /** Where the token comes from, for messages: "the credential 'inkit-api-token'". */
    String description();

    /** A token known in advance, as the command-line tool reads it from its environment. */
    static TokenSource of(String token, String description) {
        return new TokenSource() {
            @Override
            public String token() throws InkitException {
                if (token == null || token.isBlank()) {
                    throw new InkitException(
                            InkitException.Kind.INVALID_INPUT, "No Inkit API token: " + description + " is empty.");
                }
                return token.strip();
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }
}
