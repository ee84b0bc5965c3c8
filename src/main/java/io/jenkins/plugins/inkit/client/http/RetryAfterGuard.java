package io.jenkins.plugins.inkit.client.http;

import java.io.IOException;
import java.util.List;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Keeps {@code Retry-After} out of OkHttp's sight. OkHttp's own retry code reads it on a 408 or a
 * 503 with {@code Integer.valueOf}, so that {@code Retry-After: 99999999999999999} ends a request in
 * a NumberFormatException before this client sees the answer, and {@code Retry-After: 0} makes it
 * send the request again by itself. As a network interceptor this runs before that code: the value
 * is moved to a header of this client's own, which {@link RetryAfter} reads and bounds; a server's
 * own header of that name is dropped, so that only what the server sent as {@code Retry-After} counts.
 */
public final class RetryAfterGuard implements Interceptor {

    public static final RetryAfterGuard INSTANCE = new RetryAfterGuard();

    /** Where the server's {@code Retry-After} is kept for this client. */
    static final String HEADER = "X-Inkit-Client-Retry-After";

    private RetryAfterGuard() {}

    @Override
    public Response intercept(Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        List<String> asked = response.headers("Retry-After");
        if (asked.isEmpty() && response.header(HEADER) == null) {
            return response;
        }
        Response.Builder hidden =
                response.newBuilder().removeHeader("Retry-After").removeHeader(HEADER);
        if (!asked.isEmpty()) {
            hidden.header(HEADER, asked.get(0));
        }
        return hidden.build();
    }

    /** The server's {@code Retry-After}, as it sent it, or {@code null}. */
    static String retryAfter(Response response) {
        return response.header(HEADER);
    }
}
