package io.jenkins.plugins.inkit.client.http;

import io.jenkins.plugins.inkit.client.InkitException;
import java.io.IOException;
import java.time.Instant;
import java.util.Date;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * What Inkit answered: the status, the body (read up to a limit), its {@code Retry-After} and the
 * time its {@code Date} header gives (the server's clock), or {@code null} for either.
 */
public record Answer(int code, byte[] body, String retryAfter, Instant serverTime) {

    public boolean isSuccess() {
        return code >= 200 && code < 300;
    }

    /** The answer, its body read whole unless it is larger than {@code maxBytes}: then it is refused unread. */
    static Answer read(Response response, long maxBytes, String what) throws IOException, InkitException {
        Date date = response.headers().getDate("Date");
        return new Answer(
                response.code(),
                readLimited(response, maxBytes, what),
                RetryAfterGuard.retryAfter(response),
                date == null ? null : date.toInstant());
    }

    static byte[] readLimited(Response response, long maxBytes, String what) throws IOException, InkitException {
        ResponseBody body = response.body();
        if (body.contentLength() > maxBytes) {
            throw tooLarge(response.code(), body.contentLength() + " bytes", what);
        }
        BufferedSource source = body.source();
        if (source.request(maxBytes + 1)) {
            throw tooLarge(response.code(), "more than " + maxBytes + " bytes", what);
        }
        return source.getBuffer().readByteArray();
    }

    private static InkitException tooLarge(int code, String size, String what) {
        return new InkitException(
                InkitException.Kind.UNTRUSTED_RESPONSE,
                "Inkit answered HTTP " + code + " with " + size + ", far more than " + what
                        + " takes, so the answer was not read. Check the API URL.",
                code,
                null,
                null);
    }
}
