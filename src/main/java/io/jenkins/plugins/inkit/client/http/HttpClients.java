package io.jenkins.plugins.inkit.client.http;

import io.jenkins.plugins.inkit.client.ApiUrls;
import java.io.IOException;
import java.io.InputStream;
import java.net.Proxy;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/** How every OkHttpClient that talks to Inkit is set up, and what every request carries. */
public final class HttpClients {

    public static final String TOKEN_HEADER = "X-Inkit-API-Token";

    public static final String USER_AGENT = "inkit-batch-status/" + version();

    private static final Duration LONGEST_BUDGET = Duration.ofDays(365);

    private HttpClients() {}

    /**
     * Timeouts for a call that should take well under a second; redirects off, so that the exchange
     * follows them itself within the same origin (OkHttp would carry the token header to any host a
     * redirect names); and {@link RetryAfterGuard}, so that no answer's {@code Retry-After} reaches
     * OkHttp's own retry code.
     */
    public static OkHttpClient.Builder configure(OkHttpClient.Builder builder) {
        builder.connectTimeout(10, TimeUnit.SECONDS)
                .readTimeout(30, TimeUnit.SECONDS)
                .writeTimeout(30, TimeUnit.SECONDS)
                .callTimeout(60, TimeUnit.SECONDS)
                .followRedirects(false)
                .followSslRedirects(false);
        if (!builder.networkInterceptors().contains(RetryAfterGuard.INSTANCE)) {
            builder.addNetworkInterceptor(RetryAfterGuard.INSTANCE);
        }
        return builder;
    }

    /** Refuses a client that {@link #configure} did not prepare: it could leak the token or fail on a header. */
    public static void requireConfigured(OkHttpClient http) {
        if (http.followRedirects() || http.followSslRedirects()) {
            throw new IllegalArgumentException("the OkHttpClient must not follow redirects; use InkitClient.configure");
        }
        if (!http.networkInterceptors().contains(RetryAfterGuard.INSTANCE)) {
            throw new IllegalArgumentException(
                    "the OkHttpClient must hide Retry-After from OkHttp; use InkitClient.configure");
        }
    }

    /**
     * The client for requests to {@code base}: {@code http} itself, or, for an API on this machine,
     * one that never goes through a proxy. Plain http is allowed only to this machine so that the
     * token never crosses a network in clear text; a proxy would carry it across one, whatever its
     * no-proxy list says.
     */
    public static OkHttpClient forBase(OkHttpClient http, HttpUrl base) {
        if (!ApiUrls.isLoopback(base.host()) || http.proxy() == Proxy.NO_PROXY) {
            return http;
        }
        return http.newBuilder().proxy(Proxy.NO_PROXY).build();
    }

    /** A budget in nanoseconds; one beyond any wait is read as a year, so that no arithmetic on it overflows. */
    public static long nanos(Duration budget) {
        return budget.compareTo(LONGEST_BUDGET) > 0 ? LONGEST_BUDGET.toNanos() : budget.toNanos();
    }

    private static String version() {
        Properties p = new Properties();
        try (InputStream in = ApiUrls.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to "unknown": the User-Agent is informative only
        }
        String v = p.getProperty("version", "");
        return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
    }
}
