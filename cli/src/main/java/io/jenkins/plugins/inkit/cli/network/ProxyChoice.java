package io.jenkins.plugins.inkit.cli.network;

import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.http.ProxyAuthentication;
import java.net.Proxy;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * How the command reaches the API: through which proxy, if any, decided once for the API's origin (the
 * only one it talks to) the way curl decides it.
 *
 * <ol>
 *   <li>An API on this machine (localhost, 127.0.0.0/8, ::1): directly, whatever the options, the
 *       variables or the JVM's settings say, so that the token sent over plain http to a local server
 *       never crosses a network.
 *   <li>{@code --no-proxy}, or {@code --proxy ""} as with curl: directly.
 *   <li>The host is in {@code no_proxy} or {@code NO_PROXY}: directly.
 *   <li>{@code --proxy URL}; else for an https API {@code https_proxy} or {@code HTTPS_PROXY}, for a
 *       plain http one {@code http_proxy} or {@code HTTP_PROXY} (the lower-case name first, as curl
 *       reads them): through that proxy. An empty variable counts as unset.
 *   <li>Otherwise the JVM's own proxy settings ({@code -Dhttps.proxyHost=...}), which are none unless given.
 * </ol>
 *
 * <p>A proxy URL is read even when the request goes directly, so that a broken setting is found where it
 * is made; {@code --proxy} and {@code --no-proxy} together are refused even for a local API.
 */
final class ProxyChoice {

    /** The header, named once: the authenticator and the interceptor both check it. */
    static final String PROXY_AUTHORIZATION = "Proxy-Authorization";

    /** {@code null} for a direct connection or the JVM's settings. */
    private final ProxyUrl proxy;
    /** Where the proxy URL came from, for messages: "--proxy", "the environment variable HTTPS_PROXY". */
    private final String source;
    /** True to connect directly (--no-proxy or NO_PROXY); false with a proxy or for the JVM's settings. */
    private final boolean direct;

    private ProxyChoice(ProxyUrl proxy, String source, boolean direct) {
        this.proxy = proxy;
        this.source = source;
        this.direct = direct;
    }

    /**
     * @param api the API base URL
     * @param proxyOption {@code --proxy}, or {@code null}
     * @param noProxyOption {@code --no-proxy}
     * @param environment the process environment
     * @throws InkitException {@link InkitException.Kind#INVALID_INPUT} for a proxy URL that cannot be used
     */
    static ProxyChoice decide(
            HttpUrl api, String proxyOption, boolean noProxyOption, Function<String, String> environment)
            throws InkitException {
        if (noProxyOption || (proxyOption != null && proxyOption.isBlank())) {
            // --proxy "" means no proxy, as curl's -x "" does.
            if (noProxyOption && proxyOption != null) {
                throw new InkitException(
                        InkitException.Kind.INVALID_INPUT, "Give either --proxy or --no-proxy, not both.");
            }
            return new ProxyChoice(null, null, true);
        }
        String value;
        String source;
        if (proxyOption != null) {
            value = proxyOption;
            source = "--proxy";
        } else {
            String lower = api.isHttps() ? "https_proxy" : "http_proxy";
            String upper = lower.toUpperCase(java.util.Locale.ROOT);
            String fromLower = environment.apply(lower);
            boolean useLower = fromLower != null && !fromLower.isBlank();
            value = useLower ? fromLower : environment.apply(upper);
            source = "the environment variable " + (useLower ? lower : upper);
        }
        boolean local = isLoopback(api.host());
        if (value == null || value.isBlank()) {
            return new ProxyChoice(null, null, local);
        }
        // Parsed even when the request goes direct, so that a broken setting is found where it is made.
        ProxyUrl url = ProxyUrl.parse(value, source);
        if (local || noProxy(environment).matches(api.host(), api.port())) {
            return new ProxyChoice(null, null, true);
        }
        return new ProxyChoice(url, source, false);
    }

    /**
     * localhost, 127.0.0.0/8 or ::1 (and 127.x written as an IPv4-mapped IPv6 address), as
     * {@link HttpUrl#host()} gives hosts; literals only, never a DNS lookup.
     */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        h = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
        if (h.equals("localhost")) {
            return true;
        }
        byte[] address = NoProxy.literal(h);
        if (address == null) {
            return false;
        }
        if (address.length == 4) {
            return address[0] == 127;
        }
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        boolean mapped = (address[10] & 0xff) == 0xff && (address[11] & 0xff) == 0xff;
        boolean zeros = address[10] == 0 && address[11] == 0 && address[12] == 0 && address[13] == 0;
        return mapped ? address[12] == 127 : zeros && address[14] == 0 && address[15] == 1;
    }

    /** {@code no_proxy}, or {@code NO_PROXY} when that is unset or empty. */
    static NoProxy noProxy(Function<String, String> environment) {
        String lower = environment.apply("no_proxy");
        return NoProxy.parse(lower != null && !lower.isBlank() ? lower : environment.apply("NO_PROXY"));
    }

    /** The proxy in use, or {@code null}. */
    ProxyUrl proxy() {
        return proxy;
    }

    /** Where the proxy URL came from, or {@code null} without a proxy. */
    String source() {
        return source;
    }

    boolean direct() {
        return direct;
    }

    /** Sets the proxy, and the proxy's credentials if the URL has them, on a client. */
    OkHttpClient.Builder configure(OkHttpClient.Builder builder) {
        if (direct) {
            return builder.proxy(Proxy.NO_PROXY);
        }
        if (proxy == null) {
            return builder; // the JVM's default ProxySelector
        }
        builder.proxy(new Proxy(Proxy.Type.HTTP, proxy.address()));
        if (proxy.hasCredentials()) {
            ProxyAuthentication.Login login = new ProxyAuthentication.Login(proxy.user(), proxy.password());
            ProxyAuthentication.apply(
                    builder,
                    address -> ProxyAuthentication.sameProxy(address, proxy.host(), proxy.port()) ? login : null);
        }
        return builder;
    }

    /** Words to add when the proxy refused the credentials, or ""; never the password. */
    String hintFor(InkitException e) {
        boolean credentialsRefused = e.httpStatus() == 401 || e.httpStatus() == 407;
        if (e.kind() != InkitException.Kind.PROXY_REFUSED || !credentialsRefused || proxy == null) {
            return "";
        }
        if (!proxy.hasCredentials()) {
            return " The proxy URL in " + source + " has no user name and password: give them as"
                    + " http://USER:PASSWORD@" + proxy.hostPort() + ", percent-encoded.";
        }
        return " The user name and password came from " + source + ".";
    }

    @Override
    public String toString() {
        return direct ? "direct" : proxy == null ? "the JVM's proxy settings" : proxy + " from " + source;
    }
}
