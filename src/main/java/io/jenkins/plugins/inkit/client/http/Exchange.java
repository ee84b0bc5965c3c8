package io.jenkins.plugins.inkit.client.http;

import io.jenkins.plugins.inkit.client.Cancellation;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.text.Durations;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One GET of the API with the token: redirects followed only within the origin, the answer's size
 * limited, the whole exchange within the caller's deadline and each request within a limit of its
 * own, so that one slow answer cannot use up a long wait's budget; cancellable from another thread.
 */
public final class Exchange {

    private static final int MAX_REDIRECTS = 3;

    private final OkHttpClient http;
    private final HttpUrl base;
    private final Duration requestLimit;

    /** @param http a client for {@code base}, as {@link HttpClients#forBase} gives it */
    public Exchange(OkHttpClient http, HttpUrl base, Duration requestLimit) {
        this.http = http;
        this.base = base;
        this.requestLimit = requestLimit;
    }

    /**
     * @param deadline {@link System#nanoTime()} by which the exchange must be over
     * @param what what is read, for messages: "batch 'fb_1'"
     */
    public Answer get(HttpUrl start, String token, long deadline, String what, Cancellation cancellation, long maxBytes)
            throws InkitException {
        HttpUrl url = start;
        for (int hop = 0; ; hop++) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw timedOut(what);
            }
            long limit = Math.min(remaining, requestLimit.toNanos());
            Request request = new Request.Builder()
                    .url(url)
                    .header(HttpClients.TOKEN_HEADER, token)
                    .header("Accept", "application/json")
                    .header("User-Agent", HttpClients.USER_AGENT)
                    .build();
            Call call = http.newCall(request);
            call.timeout().timeout(limit, TimeUnit.NANOSECONDS);
            cancellation.track(call);
            try (Response response = call.execute()) {
                if (response.isRedirect()) {
                    url = sameOriginRedirect(url, response, hop);
                    continue;
                }
                return Answer.read(response, maxBytes, what);
            } catch (IOException e) {
                throw failed(e, url, deadline, limit, what, cancellation);
            } finally {
                cancellation.done(call);
            }
        }
    }

    private InkitException failed(
            IOException e, HttpUrl url, long deadline, long limit, String what, Cancellation cancellation) {
        if (cancellation.isCancelled()) {
            return new InkitException(InkitException.Kind.TIMED_OUT, "The request to " + base + " was cancelled.");
        }
        if (e instanceof InterruptedIOException) {
            if (System.nanoTime() - deadline >= -TimeUnit.MILLISECONDS.toNanos(50)) {
                return timedOut(what);
            }
            return new InkitException(
                    InkitException.Kind.TRANSIENT,
                    "Inkit at " + base + " did not answer within " + Durations.format(Duration.ofNanos(limit)) + ".",
                    0,
                    null,
                    null);
        }
        return NetworkFailures.describe(e, url, http);
    }

    /** "The time limit passed while reading batch 'fb_1' from https://api.inkit.com/." */
    public InkitException timedOut(String what) {
        return new InkitException(
                InkitException.Kind.TIMED_OUT, "The time limit passed while reading " + what + " from " + base + ".");
    }

    private HttpUrl sameOriginRedirect(HttpUrl from, Response response, int hop) throws InkitException {
        String location = response.header("Location");
        HttpUrl to = location == null ? null : from.resolve(location);
        if (to == null) {
            throw untrusted("Inkit answered HTTP " + response.code() + " with no usable redirect location.", response);
        }
        if (!to.scheme().equals(from.scheme())
                || !to.host().equalsIgnoreCase(from.host())
                || to.port() != from.port()) {
            throw untrusted(
                    "Inkit redirected the request to another origin (" + to.scheme() + "://" + to.host() + ":"
                            + to.port() + "); it was not followed, so that the API token is sent only to " + base
                            + ". If the API moved, set the API URL to its new address.",
                    response);
        }
        if (hop + 1 >= MAX_REDIRECTS) {
            throw untrusted(
                    "Inkit redirected the request more than " + MAX_REDIRECTS + " times; check the API URL.", response);
        }
        return to;
    }

    private static InkitException untrusted(String message, Response response) {
        return new InkitException(InkitException.Kind.UNTRUSTED_RESPONSE, message, response.code(), null, null);
    }
}
