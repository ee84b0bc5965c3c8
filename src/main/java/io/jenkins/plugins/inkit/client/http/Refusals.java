package io.jenkins.plugins.inkit.client.http;

import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.TokenSource;
import io.jenkins.plugins.inkit.client.text.Excerpts;
import java.time.Clock;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * What an answer that is not a success means, as an {@link InkitException} whose kind says what to
 * do: 401 and 403 a key to check, 404 what was not found, 408, 429 and 5xx worth another try (with
 * {@code Retry-After}), anything else an answer that cannot be trusted.
 */
public final class Refusals {

    private final HttpUrl base;
    private final OkHttpClient http;
    private final Clock clock;

    public Refusals(HttpUrl base, OkHttpClient http, Clock clock) {
        this.base = base;
        this.http = http;
        this.clock = clock;
    }

    /** The refusal of a call that needs a role that may read batches. */
    public InkitException of(Answer answer, String token, TokenSource tokenSource, String notFound) {
        return of(
                answer,
                token,
                tokenSource,
                notFound,
                "Inkit refused the API token (HTTP 403). Check " + tokenSource.description()
                        + ": the key must have a role that may read workflow batches.",
                true);
    }

    /**
     * @param notFound the message for a 404
     * @param forbidden the message for a 403: what the key's role must allow
     * @param quote whether a short excerpt of the body may be shown: never for answers that may hold customers' data
     */
    public InkitException of(
            Answer answer, String token, TokenSource tokenSource, String notFound, String forbidden, boolean quote) {
        int code = answer.code();
        switch (code) {
            case 401:
                return new InkitException(
                        InkitException.Kind.TOKEN_REJECTED,
                        "Inkit rejected the API token (HTTP 401). Check " + tokenSource.description()
                                + ": it must hold a current Inkit API key.",
                        code,
                        null,
                        null);
            case 403:
                return new InkitException(InkitException.Kind.TOKEN_REJECTED, forbidden, code, null, null);
            case 404:
                return new InkitException(InkitException.Kind.BATCH_NOT_FOUND, notFound, code, null, null);
            default:
                break;
        }
        String proxy = NetworkFailures.proxyOf(base, http);
        if (code == 407 && proxy != null) {
            return NetworkFailures.proxyRefused(proxy, code);
        }
        String excerpt =
                quote ? Excerpts.ofBody(answer.body(), token) : "(its body is not shown: it may hold customers' data)";
        if (code == 408 || code == 429 || code >= 500) {
            String why = code == 429
                    ? "is rate limiting requests"
                    : code == 408 ? "timed out the request" : "had a server error";
            return new InkitException(
                    InkitException.Kind.TRANSIENT,
                    "Inkit " + why + " (HTTP " + code + "): " + excerpt,
                    code,
                    RetryAfter.parse(answer.retryAfter(), clock.instant()),
                    null);
        }
        return new InkitException(
                InkitException.Kind.UNTRUSTED_RESPONSE,
                "Inkit answered HTTP " + code + ": " + excerpt,
                code,
                null,
                null);
    }
}
