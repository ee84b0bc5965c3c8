package io.jenkins.plugins.inkit.client;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jenkins.plugins.inkit.client.text.ApiTokens;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import okhttp3.OkHttpClient;

/** What the core's tests share: a token, where it comes from, and one configured client. */
public final class TestClients {

    public static final String TOKEN = "tok-SECRET-1234567890";
    public static final TokenSource TOKENS = TokenSource.of(TOKEN, "the credential 'inkit-api-token'");
    public static final OkHttpClient HTTP =
            InkitClient.configure(new OkHttpClient.Builder()).build();
    public static final Duration BUDGET = Duration.ofSeconds(10);

    private TestClients() {}

    /** No run of eight characters of the token is in the text. */
    /** A client whose every host name fails to resolve, each look-up added to {@code lookups}. */
    public static OkHttpClient unresolvable(List<String> lookups) {
        return HTTP.newBuilder()
                .dns(host -> {
                    lookups.add(host);
                    throw new UnknownHostException(host);
                })
                .build();
    }

    public static void assertNoPartOf(String token, String text) {
        for (int i = 0; i + ApiTokens.MIN_FRAGMENT <= token.length(); i++) {
            String part = token.substring(i, i + ApiTokens.MIN_FRAGMENT);
            assertFalse(text.contains(part), "'" + part + "' of the token is in: " + text);
        }
    }
}
