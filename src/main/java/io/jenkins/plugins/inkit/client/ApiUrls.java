package io.jenkins.plugins.inkit.client;

import io.jenkins.plugins.inkit.client.text.Excerpts;
import java.net.InetAddress;
import java.util.Locale;
import okhttp3.HttpUrl;

/**
 * Which API base URLs the token may be sent to: https anywhere, plain http only to this machine
 * (a local simulator or test server), so that the token never crosses a network unencrypted.
 */
public final class ApiUrls {

    public static final String DEFAULT = "https://api.inkit.com";

    private ApiUrls() {}

    /** What is wrong with the URL, or {@code null} when it is usable. An empty value means the default. */
    public static String problem(String apiUrl) {
        if (apiUrl == null || apiUrl.isBlank()) {
            return null;
        }
        String url = apiUrl.strip();
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("https://") && !lower.startsWith("http://")) {
            return "The Inkit API URL '" + Excerpts.printable(url, 80) + "' must start with https://, such as "
                    + DEFAULT + ".";
        }
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null) {
            return "The Inkit API URL '" + Excerpts.printable(url, 80) + "' is not a valid URL; use the form " + DEFAULT
                    + ".";
        }
        if (!parsed.username().isEmpty() || !parsed.password().isEmpty()) {
            return "The Inkit API URL must not contain a user name or password; the token is sent in a header.";
        }
        if (parsed.query() != null || parsed.fragment() != null) {
            return "The Inkit API URL must not have a query or fragment; give only the base, such as " + DEFAULT + ".";
        }
        if (!parsed.isHttps() && !isLoopback(parsed.host())) {
            return "The Inkit API URL uses plain http to " + parsed.host()
                    + ": the API token would cross the network unencrypted. Use https, or http only to localhost.";
        }
        return null;
    }

    /** The base URL to append {@code v1/invoke/batch/<id>} to, or an {@link InkitException.Kind#INVALID_INPUT}. */
    public static HttpUrl requireValid(String apiUrl) throws InkitException {
        String problem = problem(apiUrl);
        if (problem != null) {
            throw new InkitException(InkitException.Kind.INVALID_INPUT, problem);
        }
        String url = apiUrl == null || apiUrl.isBlank() ? DEFAULT : apiUrl.strip();
        HttpUrl parsed = HttpUrl.get(url);
        // Drop a trailing slash so that the path segments append cleanly.
        HttpUrl.Builder builder = parsed.newBuilder();
        if (parsed.pathSegments().size() > 0
                && parsed.pathSegments().get(parsed.pathSegments().size() - 1).isEmpty()) {
            builder.removePathSegment(parsed.pathSegments().size() - 1);
        }
        return builder.build();
    }

    public static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        // Literal addresses only: resolving a name here would make validation depend on DNS.
        if (host.matches("[0-9.]+") || host.contains(":")) {
            try {
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
        return false;
    }
}
