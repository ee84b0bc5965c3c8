package io.jenkins.plugins.inkit.cli.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.TokenSource;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenVariableTest {

    /** Shaped like an Inkit key: mixed case with digits. */
    static final String KEY = "tok_4AO6oyjh5yc9jvRKJplghb";

    @ParameterizedTest
    @ValueSource(strings = {"INKIT_API_TOKEN", "inkit_api_token", "_X", "MY_TOKEN_2", "token", "A"})
    void namesAreShown(String name) {
        assertTrue(TokenVariable.looksLikeName(name));
        assertEquals("the environment variable " + name, TokenVariable.describe(name));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                KEY,
                "MyToken",
                "1INKIT",
                "INKIT-TOKEN",
                "INKIT TOKEN",
                "sk-live-abc",
                "TOKEN_ÄÖ",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" // 65
            })
    void whatLooksLikeAKeyIsNever(String name) {
        assertFalse(TokenVariable.looksLikeName(name));
        assertEquals("the environment variable named with --token-env", TokenVariable.describe(name));
    }

    @Test
    void anUnsetNameIsQuotedAnUnsetKeyIsNot() {
        InkitException named = assertThrows(
                InkitException.class, () -> TokenVariable.read("MY_INKIT_TOKEN", Map.<String, String>of()::get));
        assertEquals(InkitException.Kind.INVALID_INPUT, named.kind());
        assertTrue(named.getMessage().startsWith("No API token: set the environment variable MY_INKIT_TOKEN to"));

        InkitException key =
                assertThrows(InkitException.class, () -> TokenVariable.read(KEY, Map.<String, String>of()::get));
        assertEquals(InkitException.Kind.INVALID_INPUT, key.kind());
        assertEquals(
                "No API token: the environment variable named with --token-env is not set. Its name is not shown"
                        + " because it looks like a key, not a name: did you pass the key itself? Put the key in an"
                        + " environment variable and give --token-env that variable's name, such as"
                        + " INKIT_API_TOKEN.",
                key.getMessage());

        InkitException blank = assertThrows(InkitException.class, () -> TokenVariable.read(" ", name -> "x"));
        assertTrue(blank.getMessage().startsWith("--token-env is empty"), blank.getMessage());
    }

    @Test
    void aKeyLikeNameThatIsSetWorksButIsNotDescribedByIt() throws Exception {
        TokenSource source = TokenVariable.read(KEY, Map.of(KEY, "the-token")::get);
        assertEquals("the-token", source.token());
        assertEquals("the environment variable named with --token-env", source.description());
        assertEquals(
                "the environment variable INKIT_API_TOKEN",
                TokenVariable.read("INKIT_API_TOKEN", Map.of("INKIT_API_TOKEN", "t")::get)
                        .description());
    }
}
