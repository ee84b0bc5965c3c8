package io.jenkins.plugins.inkit.cli.network;

import io.jenkins.plugins.inkit.client.ApiUrls;
import io.jenkins.plugins.inkit.client.InkitClient;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.TokenSource;
import java.time.Duration;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import picocli.CommandLine.Option;

/**
 * How to reach Inkit, for every command that does: the API URL, where the token is, the proxy and
 * the certificate authorities; and what to say when one of them is why a request failed.
 */
public final class ConnectionOptions {

    /**
     * One client for the process: its connection pool is what makes repeated looks cheap. Made at the
     * first request, not when the command line is parsed: setting up TLS costs a third of a second
     * that {@code --help}, {@code --version} and bad input need not pay.
     */
    public static OkHttpClient http() {
        return Shared.HTTP;
    }

    private static final class Shared {
        static final OkHttpClient HTTP =
                InkitClient.configure(new OkHttpClient.Builder()).build();
    }

    @Option(
            names = "--api-url",
            paramLabel = "URL",
            defaultValue = ApiUrls.DEFAULT,
            description = "The Inkit API base URL (default: ${DEFAULT-VALUE}); the API's paths (/v1/invoke/...) are"
                    + " appended.")
    String apiUrl;

    @Option(
            names = "--token-env",
            paramLabel = "NAME",
            defaultValue = "INKIT_API_TOKEN",
            description = "The name of the environment variable that holds the API token (default:"
                    + " ${DEFAULT-VALUE}); not the token itself.")
    String tokenEnv;

    @Option(
            names = "--proxy",
            paramLabel = "URL",
            description = "The HTTP proxy, as http://host:port or http://user:password@host:port (percent-encoded),"
                    + " instead of HTTPS_PROXY or HTTP_PROXY; NO_PROXY still applies. A password is better given in"
                    + " HTTPS_PROXY: arguments show in process lists.")
    String proxy;

    @Option(
            names = "--no-proxy",
            description = "Connect directly, whatever HTTPS_PROXY, HTTP_PROXY or the JVM's proxy settings say.")
    boolean noProxy;

    @Option(
            names = "--ca-cert",
            paramLabel = "FILE",
            description = "Also trust the certificate authorities in FILE (PEM, one or more certificates), besides"
                    + " the JVM's own: for a network whose proxy or firewall re-signs TLS with its own authority.")
    String caCert;

    /** The client, and what to add to a failure its proxy or trusted authorities caused. */
    public static final class Connection {
        private final OkHttpClient http;
        private final ProxyChoice proxyChoice;
        private final String caCert;

        Connection(OkHttpClient http, ProxyChoice proxyChoice, String caCert) {
            this.http = http;
            this.proxyChoice = proxyChoice;
            this.caCert = caCert;
        }

        public OkHttpClient http() {
            return http;
        }

        /** What to do about a failure the proxy or the trusted authorities caused, or "". */
        public String hintFor(InkitException e) {
            String hint = proxyChoice.hintFor(e);
            if (e.kind() == InkitException.Kind.CERTIFICATE_NOT_TRUSTED) {
                hint += caCert == null
                        ? " To trust your organisation's certificate authority as well, give it with --ca-cert FILE"
                                + " (PEM)."
                        : " The authorities of --ca-cert " + caCert + " were trusted besides the JVM's own.";
            }
            return hint;
        }
    }

    /** The API base URL as given. */
    public String apiUrl() {
        return apiUrl;
    }

    /** The token from its environment variable; bad input when that is not set. */
    public TokenSource token(Function<String, String> environment) throws InkitException {
        return TokenVariable.read(tokenEnv, environment);
    }

    /**
     * The client for {@link #apiUrl}: the proxy chosen as curl would, the extra authorities trusted
     * (their file read within {@code within}); or bad input.
     */
    public Connection connect(Function<String, String> environment, Duration within) throws InkitException {
        HttpUrl api = ApiUrls.requireValid(apiUrl);
        ProxyChoice proxyChoice = ProxyChoice.decide(api, proxy, noProxy, environment);
        CaCertificates authorities = caCert == null ? null : CaCertificates.load(caCert, within);
        OkHttpClient.Builder builder = proxyChoice.configure(http().newBuilder());
        if (authorities != null) {
            authorities.configure(builder);
        }
        return new Connection(builder.build(), proxyChoice, caCert);
    }
}
