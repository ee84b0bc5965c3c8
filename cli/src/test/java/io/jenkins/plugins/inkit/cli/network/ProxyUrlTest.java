package io.jenkins.plugins.inkit.cli.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.inkit.client.InkitException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProxyUrlTest {

    static final String SECRET = "Pw-SECRET-77";

    static ProxyUrl parse(String value) throws InkitException {
        return ProxyUrl.parse(value, "the environment variable HTTPS_PROXY");
    }

    @Test
    void readsHostPortUserAndPassword() throws Exception {
        ProxyUrl p = parse("http://alice:" + SECRET + "@proxy.corp.example:3128");
        assertEquals("proxy.corp.example", p.host());
        assertEquals(3128, p.port());
        assertEquals("alice", p.user());
        assertEquals(SECRET, p.password());
        assertTrue(p.hasCredentials());
        assertEquals("proxy.corp.example:3128", p.hostPort());
    }

    @Test
    void percentDecodesTheUserAndPassword() throws Exception {
        ProxyUrl p = parse("http://CORP%5Calice%40example.com:p%40ss%3Aw%2Frd%25%20%C3%A9@proxy:8080");
        assertEquals("CORP\\alice@example.com", p.user());
        assertEquals("p@ss:w/rd% é", p.password());
    }

    @Test
    void aPasswordWithUnencodedSpecialCharactersStillWorks() throws Exception {
        // Written without encoding, as people do: the last '@' ends the password, the first ':' the user.
        ProxyUrl p = parse("http://bob:pa:ss@w/rd#1@proxy:3128");
        assertEquals("bob", p.user());
        assertEquals("pa:ss@w/rd#1", p.password());
        assertEquals("proxy", p.host());
        assertEquals(3128, p.port());
    }

    @Test
    void whatHttpUrlReadsBesides() throws Exception {
        // A backslash, which HttpUrl takes for a '/', and characters beyond ASCII, unencoded.
        ProxyUrl p = parse("http://bob:pa\\ss-pässwörd@proxy:3128");
        assertEquals("bob", p.user());
        assertEquals("pa\\ss-pässwörd", p.password());
        // An internationalised host name, as its ASCII form.
        assertEquals(
                java.net.IDN.toASCII("prøxy.example"),
                parse("http://prøxy.example:3128").host());
    }

    @ParameterizedTest
    @CsvSource({
        "proxy.corp.example,            proxy.corp.example, 1080",
        "http://proxy.corp.example,     proxy.corp.example, 1080",
        "HTTP://Proxy.Corp.Example:80/, proxy.corp.example, 80",
        "10.1.2.3:3128,                 10.1.2.3,           3128",
        "http://[::1]:3128,             ::1,                3128",
        "http://[2001:db8::7],          2001:db8::7,        1080",
        "' http://proxy:65535 ',        proxy,              65535",
    })
    void missingSchemeMeansHttpAndAMissingPortIsCurls1080(String value, String host, int port) throws Exception {
        ProxyUrl p = parse(value);
        assertEquals(host, p.host());
        assertEquals(port, p.port());
        assertFalse(p.hasCredentials());
        assertNull(p.password());
    }

    @Test
    void aUserWithoutPasswordHasAnEmptyPassword() throws Exception {
        ProxyUrl p = parse("http://carol@proxy:3128");
        assertEquals("carol", p.user());
        assertEquals("", p.password());
    }

    @Test
    void theAddressIsLeftUnresolved() throws Exception {
        InetSocketAddress a = parse("http://localhost:3128").address();
        assertTrue(a.isUnresolved(), "the proxy's name is resolved by OkHttp when it connects, not here");
        assertEquals("localhost", a.getHostString());
        assertEquals(3128, a.getPort());
    }

    @Test
    void toStringNeverShowsThePassword() throws Exception {
        ProxyUrl p = parse("http://alice:" + SECRET + "@proxy:3128");
        assertEquals("http://(user and password)@proxy:3128", p.toString());
        assertFalse(p.toString().contains(SECRET));
        assertEquals("http://proxy:3128", parse("proxy:3128").toString());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''                                         | it is empty",
                "https://u:SECRET@proxy:3128                 | https:// proxies are not supported",
                "socks5://u:SECRET@proxy:1080                | socks5:// proxies are not supported",
                "ftp://u:SECRET@proxy:21                     | that scheme is not supported",
                "http://u:SECRET@                            | it names no host",
                "http://u:SECRET@:3128                       | it names no host",
                "http://u:SECRET@proxy:0                     | the port is not a number from 1 to 65535",
                "http://u:SECRET@proxy:65536                 | the port is not a number from 1 to 65535",
                "http://u:SECRET@proxy:31x8                  | the port is not a number from 1 to 65535",
                "http://u:SECRET@proxy:                      | the port is not a number from 1 to 65535",
                "http://u:SECRET@proxy:3128/path             | no path, query or fragment",
                "http://u:SECRET@proxy:3128?x=1              | no path, query or fragment",
                "http://u:SECRET@pro xy:3128                 | not a valid host name",
                "http://u:SECRET@300.1.2.3:3128              | not a valid IPv4 address",
                "http://u:SECRET@[::1:3128                   | no closing ']'",
                "http://u:SECRET@[zz]:3128                   | not an IPv6 address",
                "http://u:SECRET%zz@proxy:3128               | '%' that is not followed by two hexadecimal digits",
                "http://u:SECRET%2@proxy:3128                | incomplete %-escape",
                "http://u:SECRET%C3%28@proxy:3128            | not UTF-8",
                "http://:SECRET@proxy:3128                   | no user name",
                "u:SECRET                                    | the port is not a number",
                "http://u:SECRET                             | the port is not a number",
                "http://u:SECRET@[1:2]:3128                  | not an IPv6 address",
                "http://u:SECRET@[::1]x                      | only ':port' may follow the IPv6 address",
                "http://a%3Ab:SECRET@proxy:3128              | the user name may not contain ':'",
                "http://u:SECRET@proxy:3128#frag             | no path, query or fragment",
                "http://u:SECRET@proxy:3128\\path          | no path, query or fragment",
            })
    void badUrlsSayWhatIsWrongAndNeverQuoteThePassword(String value, String why) {
        InkitException e = assertThrows(InkitException.class, () -> parse(value));
        assertEquals(InkitException.Kind.INVALID_INPUT, e.kind());
        assertTrue(
                e.getMessage().startsWith("The proxy URL in the environment variable HTTPS_PROXY is not usable: "),
                e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
        assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
    }
}
