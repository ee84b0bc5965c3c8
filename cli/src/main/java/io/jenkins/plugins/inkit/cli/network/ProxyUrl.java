package io.jenkins.plugins.inkit.cli.network;

import io.jenkins.plugins.inkit.client.InkitException;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An HTTP proxy as curl, git and pip take it: {@code [http://][user[:password]@]host[:port][/]}, the
 * user and password percent-encoded. The password is a secret: it is never part of {@link #toString()}
 * nor of any message this class makes. A message about a bad URL quotes no part of it, since a URL
 * typed wrongly (a missing {@code @}, say) can put the password where a host or port was expected.
 */
final class ProxyUrl {

    /** curl's default for a proxy given without a port (443 is only for https proxies, which are not supported). */
    static final int DEFAULT_PORT = 1080;

    private static final Pattern HOST_NAME =
            Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?)*\\.?");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    private final String host;
    private final int port;
    private final String user;
    private final String password;

    private ProxyUrl(String host, int port, String user, String password) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
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
        // The last '@' ends the user and password, which may hold any character, '/' and '@' included
        // when the user did not encode them: nothing before it is ever quoted.
        int at = rest.lastIndexOf('@');
        String userInfo = at >= 0 ? rest.substring(0, at) : null;
        String hostPort = at >= 0 ? rest.substring(at + 1) : rest;
        int end = indexOfAny(hostPort, "/?#");
        if (end >= 0) {
            String tail = hostPort.substring(end);
            if (!tail.equals("/")) {
                throw invalid(source, "a proxy URL has no path, query or fragment; give http://host:port");
            }
            hostPort = hostPort.substring(0, end);
        }
        String host;
        String portText = null;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw invalid(source, "the IPv6 address has no closing ']'");
            }
            host = hostPort.substring(1, close);
            String after = hostPort.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw invalid(source, "only ':port' may follow the IPv6 address");
                }
                portText = after.substring(1);
            }
            if (!IPV6.matcher(host).matches() || !host.contains(":") || NoProxy.literal(host) == null) {
                throw invalid(source, "the address in [brackets] is not an IPv6 address");
            }
        } else {
            int colon = hostPort.lastIndexOf(':');
            if (colon >= 0) {
                host = hostPort.substring(0, colon);
                portText = hostPort.substring(colon + 1);
            } else {
                host = hostPort;
            }
            if (host.isEmpty()) {
                throw invalid(source, "it names no host");
            }
            if (!HOST_NAME.matcher(host).matches()) {
                throw invalid(source, "the host is not a valid host name or address");
            }
            if (IPV4.matcher(host).matches() && !validIpv4(host)) {
                throw invalid(source, "the host is not a valid IPv4 address");
            }
        }
        int port = DEFAULT_PORT;
        if (portText != null) {
            if (!portText.matches("\\d{1,5}") || Integer.parseInt(portText) < 1 || Integer.parseInt(portText) > 65535) {
                throw invalid(source, "the port is not a number from 1 to 65535");
            }
            port = Integer.parseInt(portText);
        }
        String user = null;
        String password = null;
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            String rawUser = colon >= 0 ? userInfo.substring(0, colon) : userInfo;
            String rawPassword = colon >= 0 ? userInfo.substring(colon + 1) : "";
            user = percentDecode(rawUser, source, "user name");
            password = percentDecode(rawPassword, source, "password");
            if (user.isEmpty()) {
                throw invalid(source, "it has a password but no user name before the '@'");
            }
            if (user.indexOf(':') >= 0) {
                throw invalid(source, "the user name may not contain ':' (Basic authentication cannot carry it)");
            }
        }
        return new ProxyUrl(host.toLowerCase(Locale.ROOT), port, user, password);
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    boolean hasCredentials() {
        return user != null;
    }

    /** The user name, or {@code null}. Not secret, but not needed in messages either. */
    String user() {
        return user;
    }

    /** The password, or {@code null}: only for the Proxy-Authorization header. */
    String password() {
        return password;
    }

    /**
     * The proxy's address, left unresolved: OkHttp resolves the proxy's name when it connects, and
     * leaves Inkit's host name to the proxy.
     */
    InetSocketAddress address() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** {@code host:port}, as messages name the proxy; with a bracketed IPv6 address. */
    String hostPort() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** The URL without the password: never the secret, whoever prints it. */
    @Override
    public String toString() {
        return "http://" + (user == null ? "" : "(user and password)@") + hostPort();
    }

    private static String percentDecode(String raw, String source, String what) throws InkitException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw invalid(source, "the " + what + " has an incomplete %-escape");
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw invalid(
                            source,
                            "the " + what + " has a '%' that is not followed by two hexadecimal digits;"
                                    + " write a literal % as %25");
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < raw.length()) {
                    encoded = raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.write(encoded, 0, encoded.length);
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw invalid(source, "the " + what + "'s %-escapes are not UTF-8");
        }
    }

    private static boolean validIpv4(String host) {
        for (String part : host.split("\\.")) {
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
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
