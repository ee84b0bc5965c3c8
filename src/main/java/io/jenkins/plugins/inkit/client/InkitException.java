package io.jenkins.plugins.inkit.client;

import java.time.Duration;

/**
 * Why reading a batch did not work. The message is written for the person who has to act on it
 * and never contains the API token; {@link #kind()} tells callers how to react (retry, exit code,
 * build result).
 */
public class InkitException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong, from the caller's point of view. */
    public enum Kind {
        /** A setting or argument is wrong; nothing was sent. */
        INVALID_INPUT,
        /** Inkit answered 401 or 403: the token is wrong or lacks the role. */
        TOKEN_REJECTED,
        /** Inkit answered 404: no batch with that ID for this key. */
        BATCH_NOT_FOUND,
        /** Inkit answered something that cannot be trusted: an unexpected status, a body that is not the batch. */
        UNTRUSTED_RESPONSE,
        /** Inkit refused the request as given (HTTP 400 or 422 to a launch); not retried. */
        REFUSED,
        /**
         * The batch may or may not have been launched: the launch request may have reached Inkit, but no
         * answer says what came of it (a 5xx, a timeout, a connection lost once the request was sent).
         * Never retried, since there is no idempotency key: a second launch could be a second batch.
         */
        LAUNCH_UNCERTAIN,
        /** Worth trying again: 429, 5xx, a connection or read failure. */
        TRANSIENT,
        /** A host name (Inkit's or the proxy's) did not resolve: worth one more try, not more. */
        UNKNOWN_HOST,
        /** The server's TLS certificate is not trusted: retrying cannot help, trusting its authority can. */
        CERTIFICATE_NOT_TRUSTED,
        /** The proxy refused the request or the proxy credentials: retrying cannot help. */
        PROXY_REFUSED,
        /** The overall time limit passed. */
        TIMED_OUT,
        /** A bug or a library failure; the details were logged, never shown, as their text may quote a secret. */
        UNEXPECTED
    }

    private final Kind kind;
    private final int httpStatus;
    private final transient Duration retryAfter;
    private final boolean notSent;

    public InkitException(Kind kind, String message) {
        this(kind, message, 0, null, null);
    }

    public InkitException(Kind kind, String message, int httpStatus, Duration retryAfter, Throwable cause) {
        this(kind, message, httpStatus, retryAfter, cause, false);
    }

    /**
     * @param notSent the request certainly did not reach Inkit (it failed before a connection to it was
     *     made), so that even a request that must not be repeated, a launch, may be tried again
     */
    public InkitException(
            Kind kind, String message, int httpStatus, Duration retryAfter, Throwable cause, boolean notSent) {
        super(message, cause);
        this.kind = kind;
        this.httpStatus = httpStatus;
        this.retryAfter = retryAfter;
        this.notSent = notSent;
    }

    /**
     * Whether the request certainly did not reach Inkit: the connection could not be made (refused,
     * no route, a host name that does not resolve, a connect timeout, a refused proxy, an untrusted
     * certificate). {@code false} means it may have been sent, or that nobody checked.
     */
    public boolean notSent() {
        return notSent;
    }

    /** The same failure, marked as {@linkplain #notSent() not sent}. */
    public InkitException asNotSent() {
        return notSent ? this : new InkitException(kind, getMessage(), httpStatus, retryAfter, getCause(), true);
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status Inkit answered, or 0 when there was no answer. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The delay Inkit asked for with {@code Retry-After}, or {@code null}. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Whether another try can help: {@link Kind#TRANSIENT} failures, and one more look-up of a host name. */
    public boolean isRetryable() {
        return kind == Kind.TRANSIENT || kind == Kind.UNKNOWN_HOST;
    }
}
