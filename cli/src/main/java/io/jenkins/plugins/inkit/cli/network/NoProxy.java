package io.jenkins.plugins.inkit.cli.network;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The hosts that are reached without the proxy, as {@code NO_PROXY} lists them for curl, git, pip and
 * the GitHub Actions runner: names separated by commas (or spaces), each matching that host and every
 * host under it ({@code example.com}, {@code .example.com} and {@code *.example.com} all match
 * {@code api.example.com}); IP addresses, with a CIDR prefix length if wanted ({@code 10.0.0.0/8},
 * IPv6 without brackets); an optional {@code :port} that limits the entry to that port; and {@code *}
 * alone for every host. Names are compared as text, case-insensitively: nothing is resolved.
 */
final class NoProxy {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern PORT = Pattern.compile("\\d{1,5}");

    /** One entry: a domain name or an address (with a prefix length), and a port or -1 for any. */
    private record Entry(String name, byte[] address, int prefixBits, int port) {}

    private final boolean all;
    private final List<Entry> entries;

    private NoProxy(boolean all, List<Entry> entries) {
        this.all = all;
        this.entries = entries;
    }

    static final NoProxy NONE = new NoProxy(false, List.of());

    /** Reads a {@code NO_PROXY} value; an entry that cannot be understood matches nothing, as curl does. */
    static NoProxy parse(String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        boolean all = false;
        List<Entry> entries = new ArrayList<>();
        for (String raw : value.split("[,\\s]+")) {
            String item = raw.strip().toLowerCase(Locale.ROOT);
            if (item.isEmpty()) {
                continue;
            }
            if (item.equals("*")) {
                all = true;
                continue;
            }
            Entry entry = entry(item);
            if (entry != null) {
                entries.add(entry);
            }
        }
        return new NoProxy(all, List.copyOf(entries));
    }

    /**
     * Whether a request to {@code host:port} goes direct.
     *
     * @param host as {@link okhttp3.HttpUrl#host()} gives it: lower case, IPv6 without brackets
     */
    boolean matches(String host, int port) {
        if (all) {
            return true;
        }
        String h = stripDot(host.toLowerCase(Locale.ROOT));
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        byte[] address = literal(h);
        for (Entry e : entries) {
            if (e.port() >= 0 && e.port() != port) {
                continue;
            }
            if (e.address() != null) {
                if (address != null && inPrefix(address, e.address(), e.prefixBits())) {
                    return true;
                }
            } else if (h.equals(e.name()) || h.endsWith("." + e.name())) {
                return true;
            }
        }
        return false;
    }

    private static Entry entry(String item) {
        String rest = item;
        int port = -1;
        // A port: "[v6]:port", or "name:port" and "1.2.3.4:port" (one colon); "::1" is an address.
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                return null;
            }
            String after = rest.substring(close + 1);
            rest = rest.substring(1, close) + (after.startsWith("/") ? after : "");
            if (after.startsWith(":")) {
                port = port(after.substring(1));
                if (port < 0) {
                    return null;
                }
            } else if (!after.isEmpty() && !after.startsWith("/")) {
                return null;
            }
        } else if (rest.indexOf(':') >= 0 && rest.indexOf(':') == rest.lastIndexOf(':')) {
            int colon = rest.indexOf(':');
            port = port(rest.substring(colon + 1));
            if (port < 0) {
                return null;
            }
            rest = rest.substring(0, colon);
        }
        int slash = rest.indexOf('/');
        String addressText = slash >= 0 ? rest.substring(0, slash) : rest;
        byte[] address = literal(addressText);
        if (address != null) {
            int bits = address.length * 8;
            if (slash >= 0) {
                String prefix = rest.substring(slash + 1);
                if (!prefix.matches("\\d{1,3}") || Integer.parseInt(prefix) > bits) {
                    return null;
                }
                bits = Integer.parseInt(prefix);
            }
            return new Entry(null, address, bits, port);
        }
        if (slash >= 0) {
            return null;
        }
        String name = rest;
        if (name.startsWith("*.")) {
            name = name.substring(2);
        } else if (name.startsWith(".")) {
            name = name.substring(1);
        }
        name = stripDot(name);
        if (name.isEmpty() || name.contains("*")) {
            return null;
        }
        return new Entry(name, null, 0, port);
    }

    private static int port(String text) {
        if (!PORT.matcher(text).matches()) {
            return -1;
        }
        int port = Integer.parseInt(text);
        return port >= 1 && port <= 65535 ? port : -1;
    }

    private static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /** The bytes of an IPv4 or IPv6 literal, or {@code null} for anything else; never a DNS lookup. */
    static byte[] literal(String text) {
        if (IPV4.matcher(text).matches()) {
            String[] parts = text.split("\\.");
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                int n = Integer.parseInt(parts[i]);
                if (n > 255) {
                    return null;
                }
                b[i] = (byte) n;
            }
            return b;
        }
        if (IPV6.matcher(text).matches()) {
            try {
                // Only hexadecimal digits, ':' and '.' get here, which the JDK parses as a literal
                // (or refuses) without asking DNS.
                byte[] b = InetAddress.getByName("[" + text + "]").getAddress();
                return b.length == 16 ? b : ipv4Mapped(b);
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }

    /** The JDK turns ::ffff:a.b.c.d into an IPv4 address; keep it comparable with IPv6 entries. */
    private static byte[] ipv4Mapped(byte[] v4) {
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        System.arraycopy(v4, 0, b, 12, 4);
        return b;
    }

    private static boolean inPrefix(byte[] address, byte[] network, int bits) {
        if (address.length != network.length) {
            return false;
        }
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int remaining = bits % 8;
        if (remaining == 0) {
            return true;
        }
        int mask = (0xff << (8 - remaining)) & 0xff;
        return (address[full] & mask) == (network[full] & mask);
    }
}
