package io.jenkins.plugins.inkit.client.http;

import io.jenkins.plugins.inkit.client.Cancellation;
import io.jenkins.plugins.inkit.client.model.LaunchRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.ConnectionPool;
import okhttp3.EventListener;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;

/**
 * The OkHttpClient for launches, which must never send a request twice: OkHttp's own retries off
 * (it would resend a POST after a connection failure), a fresh connection each time (a stale pooled
 * one would fail after the request may have been written, and turn a launch that never happened
 * into an uncertain one), a network interceptor that refuses a second send, a one-shot body, and a
 * read timeout of at least the request limit, since a batch of many documents may take Inkit a
 * while to answer and a timeout then leaves the launch uncertain.
 */
final class LaunchClient {

    private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");

    private LaunchClient() {}

    static OkHttpClient from(OkHttpClient http, Duration requestLimit) {
        EventListener.Factory outer = http.eventListenerFactory();
        OkHttpClient.Builder builder = http.newBuilder()
                .retryOnConnectionFailure(false)
                .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS))
                .eventListenerFactory(call -> {
                    EventListener listener = outer.create(call);
                    SendTracker tracker = call.request().tag(SendTracker.class);
                    return tracker == null ? listener : listener.plus(tracker);
                })
                .addNetworkInterceptor(LaunchClient::sendOnce);
        if (http.readTimeoutMillis() != 0 && http.readTimeoutMillis() < requestLimit.toMillis()) {
            builder.readTimeout(requestLimit);
        }
        return builder.build();
    }

    static RequestBody body(LaunchRequest request) {
        return new OneShotBody(request);
    }

    private static Response sendOnce(Interceptor.Chain chain) throws IOException {
        SendTracker tracker = chain.request().tag(SendTracker.class);
        if (tracker != null && !tracker.claimTheOnlySend()) {
            throw new IOException("a second send of the launch request was refused");
        }
        return chain.proceed(chain.request());
    }

    /**
     * Records, in the launch's {@link Cancellation}, that the request may have reached Inkit: once a
     * connection to it is acquired, the request may be written at any moment; before that (DNS,
     * connecting, TLS, a proxy's CONNECT) nothing of it was.
     */
    static final class SendTracker extends EventListener {
        private final Cancellation cancellation;
        /** The request was handed to the network once: a second time is refused. */
        private final AtomicBoolean sent = new AtomicBoolean();

        SendTracker(Cancellation cancellation) {
            this.cancellation = cancellation;
        }

        boolean claimTheOnlySend() {
            cancellation.requestMayHaveBeenSent();
            return sent.compareAndSet(false, true);
        }

        @Override
        public void connectionAcquired(Call call, Connection connection) {
            cancellation.requestMayHaveBeenSent();
        }

        @Override
        public void requestHeadersStart(Call call) {
            cancellation.requestMayHaveBeenSent();
        }
    }

    /** The body, written once from the request's own segments: OkHttp never replays a one-shot body. */
    private static final class OneShotBody extends RequestBody {
        private final LaunchRequest request;

        OneShotBody(LaunchRequest request) {
            this.request = request;
        }

        @Override
        public MediaType contentType() {
            return JSON_TYPE;
        }

        @Override
        public long contentLength() {
            return request.bodyLength();
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            request.writeBodyTo(sink);
        }

        @Override
        public boolean isOneShot() {
            return true;
        }
    }
}
