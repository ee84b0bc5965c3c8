package io.jenkins.plugins.inkit.cli.network;

import io.jenkins.plugins.inkit.client.InkitException;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * An HTTP proxy as curl, git and pip take it: {@code [http://][user[:password]@]host[:port][/]}, the
 * user and password percent-encoded. {@link HttpUrl} reads it; this class adds curl's conventions (no
 * scheme means http, no port means 1080, no path, only http proxies) and reads the user information
 * up to the last {@code @}, so that a password typed with an unencoded {@code /}, {@code #} or
 * {@code @} still works. The password is a secret: it is never part of {@link #toString()} nor of any
 * message this class makes. A message about a bad URL quotes no part of it, since a URL typed wrongly
 * (a missing {@code @}, say) can put the password where a host or port was expected.
 */
final class ProxyUrl {

    /** curl's default for a proxy given without a port (443 is only for https proxies, which are not supported). */
    static final int DEFAULT_PORT = 1080;

    private static final Pattern IPV4_LIKE = Pattern.compile("\\d+(\\.\\d+){3}");
    private static final Pattern PORT = Pattern.compile("\\d{1,5}");
    /** A '%' that does not start an escape, which HttpUrl would silently keep as a literal '%'. */
    private static final Pattern BAD_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");

    private final HttpUrl url;
    private final int port;
    private final boolean credentials;

    private ProxyUrl(HttpUrl url, int port, boolean credentials) {
        this.url = url;
        this.port = port;
        this.credentials = credentials;
    }

    /**
     * @param value the URL as given
     * @param source where it came from, for messages: "--proxy", "the environment variable HTTPS_PROXY"
     * @throws InkitException {@link InkitException.Kind#INVALID_INPUT} saying what is wrong, never quoting
     *     the user name or password
     */
    static ProxyUrl parse(String value, String source) throws InkitException {
        String rest = value.strip();
        if (rest.isEmpty()) {
            throw invalid(source, "it is empty");
        }
        int schemeEnd = rest.indexOf("://");
        if (schemeEnd >= 0) {
            String scheme = rest.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
            if (!scheme.equals("http")) {
                // Only fixed words are named: whatever else stands before "://" is not repeated.
                String named = scheme.equals("https") || scheme.startsWith("socks")
                        ? scheme + ":// proxies are"
                        : "that scheme is";
                throw invalid(
                        source,
                        named + " not supported; give an HTTP proxy as http://host:port"
                                + " (https requests are tunnelled through it, encrypted end to end)");
            }
            rest = rest.substring(schemeEnd + 3);
        }
        int at = rest.lastIndexOf('@');
        String userInfo = at >= 0 ? rest.substring(0, at) : null;
        String authority = at >= 0 ? rest.substring(at + 1) : rest;
        if (userInfo != null) {
            checkEscapes(userInfo, source);
        }
        int end = indexOfAny(authority, "/?#\\");
        String hostPort = end >= 0 ? authority.substring(0, end) : authority;
        if (end >= 0 && !authority.substring(end).equals("/")) {
            throw invalid(source, "a proxy URL has no path, query or fragment; give http://host:port");
        }
        // What HttpUrl does not tell: whether a port was given at all (without one, curl's 1080 applies).
        int colon = hostPort.indexOf(':', hostPort.lastIndexOf(']') + 1);
        String portText = colon >= 0 ? hostPort.substring(colon + 1) : null;
        String host = colon >= 0 ? hostPort.substring(0, colon) : hostPort;
        HttpUrl url = HttpUrl.parse("http://" + (userInfo == null ? "" : escapeDelimiters(userInfo) + "@") + hostPort);
        String problem = problem(url, host, portText);
        if (problem != null) {
            throw invalid(source, problem);
        }
        if (userInfo != null) {
            if (url.username().isEmpty()) {
                throw invalid(source, "it has a password but no user name before the '@'");
            }
            if (url.username().indexOf(':') >= 0) {
                throw invalid(source, "the user name may not contain ':' (Basic authentication cannot carry it)");
            }
            // HttpUrl decodes bytes that are not UTF-8 to U+FFFD: the password would silently be another.
            if ((url.username() + url.password()).indexOf('\uFFFD') >= 0 && userInfo.indexOf('\uFFFD') < 0) {
                throw invalid(source, "the user name's or password's %-escapes are not UTF-8");
            }
        }
        return new ProxyUrl(url, portText == null ? DEFAULT_PORT : url.port(), userInfo != null);
    }

    /** What is wrong with the host and port, or {@code null}; HttpUrl's refusal says only that something is. */
    private static String problem(HttpUrl url, String host, String portText) {
        if (host.isEmpty()) {
            return "it names no host";
        }
        if (host.startsWith("[") && !host.endsWith("]")) {
            return host.indexOf(']') < 0
                    ? "the IPv6 address has no closing ']'"
                    : "only ':port' may follow the IPv6" + " address";
        }
        if (portText != null
                && (!PORT.matcher(portText).matches()
                        || Integer.parseInt(portText) < 1
                        || Integer.parseInt(portText) > 65535)) {
            return "the port is not a number from 1 to 65535";
        }
        // HttpUrl takes 300.1.2.3 for a host name.
        if (IPV4_LIKE.matcher(host).matches()) {
            for (String part : host.split("\\.")) {
                if (part.length() > 3 || Integer.parseInt(part) > 255) {
                    return "the host is not a valid IPv4 address";
                }
            }
        }
        if (url == null) {
            return host.startsWith("[")
                    ? "the address in [brackets] is not an IPv6 address"
                    : "the host is not a valid host name or address";
        }
        return null;
    }

    private static void checkEscapes(String userInfo, String source) throws InkitException {
        java.util.regex.Matcher bad = BAD_ESCAPE.matcher(userInfo);
        if (bad.find()) {
            throw invalid(
                    source,
                    bad.start() + 2 >= userInfo.length()
                                    && userInfo.substring(bad.start() + 1).matches("[0-9A-Fa-f]?")
                            ? "the user name or password has an incomplete %-escape"
                            : "the user name or password has a '%' that is not followed by two hexadecimal digits;"
                                    + " write a literal % as %25");
        }
    }

    /** The characters that would end the user information for HttpUrl, escaped: the last '@' ends it here. */
    private static String escapeDelimiters(String userInfo) {
        return userInfo.replace("/", "%2F")
                .replace("?", "%3F")
                .replace("#", "%23")
                .replace("\\", "%5C");
    }

    String host() {
        return url.host();
    }

    int port() {
        return port;
    }

    boolean hasCredentials() {
        return credentials;
    }

    /** The user name, or {@code null}. Not secret, but not needed in messages either. */
    String user() {
        return credentials ? url.username() : null;
    }

    /** The password, or {@code null}: only for the Proxy-Authorization header. */
    String password() {
        return credentials ? url.password() : null;
    }

    /**
     * The proxy's address, left unresolved: OkHttp resolves the proxy's name when it connects, and
     * leaves Inkit's host name to the proxy.
     */
    InetSocketAddress address() {
        return InetSocketAddress.createUnresolved(host(), port);
    }

    /** {@code host:port}, as messages name the proxy; with a bracketed IPv6 address. */
    String hostPort() {
        return (host().indexOf(':') >= 0 ? "[" + host() + "]" : host()) + ":" + port;
    }

    /** The URL without the password: never the secret, whoever prints it. */
    @Override
    public String toString() {
        return "http://" + (credentials ? "(user and password)@" : "") + hostPort();
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static InkitException invalid(String source, String why) {
        return new InkitException(
                InkitException.Kind.INVALID_INPUT,
                "The proxy URL in " + source + " is not usable: " + why + ". The form is"
                        + " http://host:port, or http://user:password@host:port with the user and password"
                        + " percent-encoded.");
    }
}
