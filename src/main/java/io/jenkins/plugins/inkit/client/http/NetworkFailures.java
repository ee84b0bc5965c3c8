package io.jenkins.plugins.inkit.client.http;

import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.text.SafeThrowables;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.Proxy;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Turns a failed connection into an {@link InkitException} whose kind says whether trying again
 * can help and whose message says what to fix. A library's exception text is never shown, since
 * it can quote what it was given (OkHttp quotes a rejected header value): it is logged, and the
 * message is made from what this class recognised.
 */
public final class NetworkFailures {

    private static final Logger LOGGER = Logger.getLogger(NetworkFailures.class.getName());

    private NetworkFailures() {}

    /** @param url the URL that was requested; its origin is named, never its path or query */
    public static InkitException describe(IOException e, HttpUrl url, OkHttpClient http) {
        LOGGER.log(Level.FINE, "Request to " + origin(url) + " failed", SafeThrowables.of(e));
        String proxy = proxyOf(url, http);
        String where = "Inkit at " + origin(url) + (proxy == null ? "" : " through the proxy " + proxy);
        if (e instanceof UnknownHostException) {
            return new InkitException(
                    InkitException.Kind.UNKNOWN_HOST,
                    "Could not reach " + where + ": the host name "
                            + (proxy == null ? "'" + url.host() + "'" : "of the proxy or of Inkit")
                            + " does not resolve. Check the API URL"
                            + (proxy == null ? "" : ", the proxy settings") + " and the DNS.",
                    0,
                    null,
                    null);
        }
        Integer proxyStatus = proxyStatus(e);
        if (proxyStatus != null && proxyStatus == 403) {
            return new InkitException(
                    InkitException.Kind.PROXY_REFUSED,
                    "The proxy" + (proxy == null ? "" : " at " + proxy) + " refused to open a connection to "
                            + url.host() + ":" + url.port() + " (HTTP 403): its rules do not allow it. Ask for it"
                            + " to be allowed, or check the proxy settings.",
                    403,
                    null,
                    null);
        }
        if (proxyStatus != null && (proxyStatus == 401 || proxyStatus == 407)) {
            return proxyRefused(proxy, proxyStatus);
        }
        String certificate = certificateProblem(e);
        if (certificate != null) {
            return new InkitException(
                    InkitException.Kind.CERTIFICATE_NOT_TRUSTED,
                    "The TLS certificate of " + url.host() + ":" + url.port()
                            + " is not trusted (" + certificate + "). If a proxy or firewall re-signs"
                            + " TLS with your organisation's certificate authority, that authority must be trusted.",
                    0,
                    null,
                    null);
        }
        return new InkitException(
                InkitException.Kind.TRANSIENT,
                "Could not reach " + where + " (" + whatFailed(e) + "). Check the network, the proxy settings and"
                        + " the API URL.",
                0,
                null,
                null);
    }

    /** The proxy refused: a 407 to a request, or OkHttp's words for a refused CONNECT tunnel. */
    public static InkitException proxyRefused(String proxy, int status) {
        return new InkitException(
                InkitException.Kind.PROXY_REFUSED,
                "The proxy" + (proxy == null ? "" : " at " + proxy) + " refused the proxy credentials (HTTP " + status
                        + "). Check the proxy user name and password.",
                status,
                null,
                null);
    }

    /** "host:port" of the proxy the client uses for {@code url}, or {@code null} for a direct connection. */
    public static String proxyOf(HttpUrl url, OkHttpClient http) {
        try {
            List<Proxy> proxies = http.proxy() != null
                    ? List.of(http.proxy())
                    : http.proxySelector().select(url.uri());
            for (Proxy p : proxies) {
                if (p.type() != Proxy.Type.DIRECT && p.address() instanceof java.net.InetSocketAddress a) {
                    return a.getHostString() + ":" + a.getPort();
                }
            }
        } catch (RuntimeException e) {
            LOGGER.log(Level.FINE, "Could not tell the proxy for " + origin(url), SafeThrowables.of(e));
        }
        return null;
    }

    public static String origin(HttpUrl url) {
        return url.scheme() + "://" + url.host()
                + (url.port() == HttpUrl.defaultPort(url.scheme()) ? "" : ":" + url.port());
    }

    /**
     * The status a proxy answered to CONNECT, from OkHttp's fixed messages ("Failed to authenticate
     * with proxy" after a 407 it could not answer; "Unexpected response code for CONNECT: 401"), or
     * {@code null}. 401 and 407 refuse the credentials (tinyproxy answers a bad password with 401,
     * squid with 407); 403 refuses the destination (tinyproxy's ConnectPort, squid's access rules):
     * retrying helps with none of them. Other statuses (tinyproxy's 500 when it cannot reach or
     * resolve the host, a 502 or 503) may pass.
     */
    private static Integer proxyStatus(IOException e) {
        String message = e.getMessage();
        if (message == null) {
            return null;
        }
        if (message.equals("Failed to authenticate with proxy")) {
            return 407;
        }
        String prefix = "Unexpected response code for CONNECT: ";
        if (message.startsWith(prefix)) {
            String code = message.substring(prefix.length()).strip();
            if (code.matches("[1-5][0-9][0-9]")) {
                return Integer.valueOf(code);
            }
        }
        return null;
    }

    /** Why the certificate was refused, or {@code null} when the failure is not about a certificate. */
    private static String certificateProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLPeerUnverifiedException) {
                return "it was not issued for this host name";
            }
            if (t instanceof CertPathBuilderException) {
                return "no trusted certificate authority issued it";
            }
            if (t instanceof CertPathValidatorException) {
                return "its chain did not validate";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException) {
                return "it was refused by the certificate checks";
            }
        }
        return null;
    }

    private static String whatFailed(IOException e) {
        Integer proxyStatus = proxyStatus(e);
        if (proxyStatus != null) {
            return "the proxy answered HTTP " + proxyStatus + " when asked to connect to it";
        }
        if (e instanceof ConnectException) {
            return "the connection was refused";
        }
        if (e instanceof NoRouteToHostException) {
            return "there is no route to the host";
        }
        if (e instanceof SSLException) {
            return "the TLS handshake failed";
        }
        if (e instanceof EOFException) {
            return "the connection closed before the answer was complete";
        }
        if (e instanceof SocketException) {
            return "the connection was lost";
        }
        return "a network failure, " + e.getClass().getSimpleName();
    }
}
