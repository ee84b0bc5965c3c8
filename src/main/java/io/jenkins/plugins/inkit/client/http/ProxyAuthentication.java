package io.jenkins.plugins.inkit.client.http;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.nio.charset.StandardCharsets;
import okhttp3.Authenticator;
import okhttp3.Credentials;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Route;

/**
 * Basic credentials for a forward proxy, sent as curl sends them: with the first CONNECT of a
 * tunnel (OkHttp asks before it with a made-up 407, "OkHttp-Preemptive"). Some proxies (tinyproxy)
 * answer a CONNECT without credentials with 401, which OkHttp never answers, so waiting for a 407
 * challenge is not enough. Credentials that were sent and refused are not sent again: OkHttp then
 * gives up, and the refusal becomes a clear error instead of a loop. Only tunnels need them: plain
 * http goes only to this machine, never through a proxy (see {@link HttpClients#forBase}).
 */
public final class ProxyAuthentication {

    static final String HEADER = "Proxy-Authorization";

    /** The user name and password for one proxy; the password is never shown. */
    public record Login(String user, String password) {
        String basic() {
            return Credentials.basic(user, password, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Login[" + user + ", ****]";
        }
    }

    /** The login for requests through {@code proxy}, or {@code null} when that proxy needs none. */
    @FunctionalInterface
    public interface Logins {
        Login forProxy(InetSocketAddress proxy);
    }

    private ProxyAuthentication() {}

    /** Sets the proxy authenticator on a client. */
    public static OkHttpClient.Builder apply(OkHttpClient.Builder builder, Logins logins) {
        return builder.proxyAuthenticator(authenticator(logins));
    }

    /** Whether two proxy addresses name the same proxy, whether or not either has been resolved. */
    public static boolean sameProxy(InetSocketAddress a, String host, int port) {
        return a.getPort() == port && a.getHostString().equalsIgnoreCase(host);
    }

    /**
     * Answers only what the proxy itself asks: a CONNECT. OkHttp also hands over a 407 that the
     * server answers from inside the tunnel of an https request; answering that would send the
     * proxy's password to the server.
     */
    private static Authenticator authenticator(Logins logins) {
        return (Route route, okhttp3.Response response) -> {
            Request refused = response.request();
            boolean fromProxy = "CONNECT".equals(refused.method());
            Login login = route == null || !fromProxy ? null : loginFor(route.proxy(), logins);
            if (login == null) {
                return null;
            }
            if (refused.header(HEADER) != null) {
                return null; // sent and refused: trying the same again cannot help
            }
            return refused.newBuilder().header(HEADER, login.basic()).build();
        };
    }

    private static Login loginFor(Proxy proxy, Logins logins) {
        if (proxy.type() != Proxy.Type.HTTP || !(proxy.address() instanceof InetSocketAddress address)) {
            return null;
        }
        return logins.forProxy(address);
    }
}
