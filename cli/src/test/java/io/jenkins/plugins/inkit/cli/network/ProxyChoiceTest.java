package io.jenkins.plugins.inkit.cli.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.TokenSource;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which proxy, if any, the command goes through, decided as curl decides it; a local API never through one. */
class ProxyChoiceTest {

    static final HttpUrl HTTPS_API = HttpUrl.get("https://api.inkit.com");
    static final HttpUrl LOCAL_API = HttpUrl.get("http://localhost:8089");
    /** A plain http API elsewhere: the command refuses it (ApiUrls), but the choice of proxy is still curl's. */
    static final HttpUrl PLAIN_API = HttpUrl.get("http://api.example.test");

    static final String PASSWORD = "pRoXy-SECRET";
    static final String TOKEN = "api-SECRET-token";
    static final TokenSource TOKENS = TokenSource.of(TOKEN, "the test token");

    static ProxyChoice decide(HttpUrl api, String option, boolean noProxy, Map<String, String> env)
            throws InkitException {
        return ProxyChoice.decide(api, option, noProxy, env::get);
    }

    static Proxy proxyOf(ProxyChoice choice) {
        return choice.configure(new OkHttpClient.Builder()).build().proxy();
    }

    @Test
    void httpsUsesHttpsProxyAndPlainHttpUsesHttpProxy() throws Exception {
        Map<String, String> env = Map.of("HTTPS_PROXY", "http://secure:3128", "HTTP_PROXY", "http://plain:3128");
        assertEquals("secure", decide(HTTPS_API, null, false, env).proxy().host());
        assertEquals("plain", decide(PLAIN_API, null, false, env).proxy().host());
        assertEquals(
                "the environment variable HTTPS_PROXY",
                decide(HTTPS_API, null, false, env).source());
    }

    @Test
    void theLowerCaseNameWinsAndAnEmptyOneCountsAsUnset() throws Exception {
        Map<String, String> both = Map.of("https_proxy", "http://lower:3128", "HTTPS_PROXY", "http://upper:3128");
        ProxyChoice lower = decide(HTTPS_API, null, false, both);
        assertEquals("lower", lower.proxy().host());
        assertEquals("the environment variable https_proxy", lower.source());

        Map<String, String> emptyLower = Map.of("https_proxy", "", "HTTPS_PROXY", "http://upper:3128");
        assertEquals("upper", decide(HTTPS_API, null, false, emptyLower).proxy().host());

        Map<String, String> plain = Map.of("http_proxy", "http://lower:3128", "HTTP_PROXY", "http://upper:3128");
        assertEquals("lower", decide(PLAIN_API, null, false, plain).proxy().host());
    }

    @Test
    void anHttpProxyVariableIsNotUsedForHttps() throws Exception {
        ProxyChoice choice = decide(HTTPS_API, null, false, Map.of("HTTP_PROXY", "http://plain:3128"));
        assertNull(choice.proxy());
        assertFalse(choice.direct());
        assertNull(proxyOf(choice), "left to the JVM's own settings");
    }

    @Test
    void theOptionOverridesTheVariablesAndNoProxyStillApplies() throws Exception {
        Map<String, String> env = Map.of("HTTPS_PROXY", "http://from-env:3128");
        ProxyChoice option = decide(HTTPS_API, "http://from-option:8080", false, env);
        assertEquals("from-option", option.proxy().host());
        assertEquals("--proxy", option.source());

        // As with curl's -x: NO_PROXY still names the hosts to reach directly.
        ProxyChoice listed = decide(HTTPS_API, "http://from-option:8080", false, Map.of("NO_PROXY", "inkit.com"));
        assertTrue(listed.direct());
        assertSame(Proxy.NO_PROXY, proxyOf(listed));
    }

    @Test
    void noProxyBypassesAndTheLowerCaseNameWins() throws Exception {
        Map<String, String> env = Map.of("HTTPS_PROXY", "http://proxy:3128", "NO_PROXY", ".inkit.com");
        assertTrue(decide(HTTPS_API, null, false, env).direct());
        Map<String, String> lowerWins =
                Map.of("HTTPS_PROXY", "http://proxy:3128", "no_proxy", "example.com", "NO_PROXY", ".inkit.com");
        assertFalse(decide(HTTPS_API, null, false, lowerWins).direct());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://localhost:8089",
                "https://LOCALHOST:8443",
                "https://localhost.:8443",
                "http://127.0.0.1:8089",
                "http://127.8.9.10",
                "http://[::1]:8089",
                "https://[0:0:0:0:0:0:0:1]",
                "https://[::ffff:127.0.0.1]:8443",
            })
    void anApiOnThisMachineIsAlwaysReachedDirectly(String url) throws Exception {
        HttpUrl api = HttpUrl.get(url);
        Map<String, String> all = Map.of(
                "HTTP_PROXY", "http://u:" + PASSWORD + "@proxy:3128",
                "http_proxy", "http://proxy:3128",
                "HTTPS_PROXY", "http://proxy:3128",
                "https_proxy", "http://proxy:3128");
        for (ProxyChoice choice : List.of(
                decide(api, null, false, all),
                decide(api, "http://u:" + PASSWORD + "@proxy:3128", false, Map.of()),
                decide(api, null, false, Map.of()))) {
            assertTrue(choice.direct(), url + ": " + choice);
            assertNull(choice.proxy());
            assertSame(Proxy.NO_PROXY, proxyOf(choice), "not even the JVM's proxy settings");
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://localhost.example.com",
                "https://127.0.0.1.nip.io",
                "https://128.0.0.1",
                "https://[::2]",
                "https://[::127.0.0.1]",
                "https://10.0.0.1",
            })
    void onlyLoopbackIsLocal(String url) throws Exception {
        ProxyChoice choice = decide(HttpUrl.get(url), "http://proxy:3128", false, Map.of());
        assertFalse(choice.direct(), url);
        assertEquals("proxy", choice.proxy().host());
    }

    @Test
    void forALocalApiABrokenProxyIsStillFoundAndBothOptionsStillRefused() {
        InkitException broken = assertThrows(
                InkitException.class,
                () -> decide(LOCAL_API, null, false, Map.of("HTTP_PROXY", "http://u:" + PASSWORD + "@proxy:port")));
        assertEquals(InkitException.Kind.INVALID_INPUT, broken.kind());
        assertFalse(broken.getMessage().contains(PASSWORD));
        InkitException both =
                assertThrows(InkitException.class, () -> decide(LOCAL_API, "http://proxy:3128", true, Map.of()));
        assertEquals(InkitException.Kind.INVALID_INPUT, both.kind());
    }

    @Test
    void theNoProxyOptionGoesDirectAndCannotBeCombinedWithProxy() throws Exception {
        ProxyChoice direct = decide(HTTPS_API, null, true, Map.of("HTTPS_PROXY", "http://proxy:3128"));
        assertTrue(direct.direct());
        assertSame(Proxy.NO_PROXY, proxyOf(direct));
        InkitException e =
                assertThrows(InkitException.class, () -> decide(HTTPS_API, "http://proxy:3128", true, Map.of()));
        assertEquals(InkitException.Kind.INVALID_INPUT, e.kind());
        ProxyChoice empty = decide(HTTPS_API, "", false, Map.of("HTTPS_PROXY", "http://proxy:3128"));
        assertTrue(empty.direct(), "--proxy \"\" is no proxy, as curl's -x \"\"");
    }

    @Test
    void aBrokenVariableIsAnErrorEvenWhenNoProxyWouldBypassIt() {
        Map<String, String> env =
                Map.of("https_proxy", "http://u:" + PASSWORD + "@proxy:port", "NO_PROXY", "api.inkit.com");
        InkitException e = assertThrows(InkitException.class, () -> decide(HTTPS_API, null, false, env));
        assertEquals(InkitException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("the environment variable https_proxy"), e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
    }

    @Test
    void theClientGetsTheProxyAddressUnresolved() throws Exception {
        ProxyChoice choice = decide(HTTPS_API, "http://u:" + PASSWORD + "@localhost:3128", false, Map.of());
        Proxy proxy = proxyOf(choice);
        assertEquals(Proxy.Type.HTTP, proxy.type());
        InetSocketAddress address = (InetSocketAddress) proxy.address();
        assertTrue(address.isUnresolved(), "resolved by OkHttp's Dns when it connects");
        assertEquals("localhost", address.getHostString());
        assertFalse(choice.toString().contains(PASSWORD), choice.toString());
    }
}
