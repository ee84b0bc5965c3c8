package io.jenkins.plugins.inkit.cli.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.inkit.client.InkitClient;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.TokenSource;
import io.jenkins.plugins.inkit.client.model.Batch;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Address;
import okhttp3.ConnectionSpec;
import okhttp3.Credentials;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.Route;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What goes on the wire through the proxy a {@link ProxyChoice} configures: the proxy's side played by MockWebServer. */
class ProxyWireTest {

    static final String PASSWORD = ProxyChoiceTest.PASSWORD;
    static final String TOKEN = ProxyChoiceTest.TOKEN;
    static final TokenSource TOKENS = ProxyChoiceTest.TOKENS;
    static final HttpUrl HTTPS_API = ProxyChoiceTest.HTTPS_API;

    final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    static ProxyChoice decide(HttpUrl api, String option, boolean noProxy, Map<String, String> env)
            throws InkitException {
        return ProxyChoiceTest.decide(api, option, noProxy, env);
    }

    MockWebServer server() throws Exception {
        MockWebServer server = new MockWebServer();
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        toClose.add(server);
        return server;
    }

    /** A client configured as the command configures it, recording every name it resolves. */
    static OkHttpClient client(ProxyChoice choice, List<String> lookups, HandshakeCertificates trust) {
        OkHttpClient.Builder b =
                choice.configure(ConnectionOptions.http().newBuilder().dns(name -> {
                    lookups.add(name);
                    if (name.equals("localhost")) {
                        return List.of(InetAddress.getByName("127.0.0.1"));
                    }
                    throw new UnknownHostException(name);
                }));
        if (trust != null) {
            b.sslSocketFactory(trust.sslSocketFactory(), trust.trustManager());
        }
        return b.build();
    }

    @Test
    void credentialsGoWithTheFirstConnectAndStayOutOfTheTunnel() throws Exception {
        HeldCertificate ca = TestTls.authority("Tunnel Test CA");
        HeldCertificate inkitCert = TestTls.serverCertificate(ca, "inkit.test");
        MockWebServer proxy = server();
        proxy.useHttps(new HandshakeCertificates.Builder()
                .heldCertificate(inkitCert, ca.certificate())
                .build()
                .sslSocketFactory());
        proxy.enqueue(new MockResponse.Builder().inTunnel().build());
        proxy.enqueue(new MockResponse.Builder()
                .code(200)
                .body(TestTls.batch("fb_tunnel"))
                .build());
        List<String> lookups = new CopyOnWriteArrayList<>();
        HandshakeCertificates trust = new HandshakeCertificates.Builder()
                .addTrustedCertificate(ca.certificate())
                .build();
        String url = "http://alice:" + PASSWORD + "@localhost:" + proxy.getPort();
        ProxyChoice choice = decide(HttpUrl.get("https://inkit.test"), url, false, Map.of());

        Batch batch = new InkitClient(client(choice, lookups, trust), "https://inkit.test")
                .fetchBatch("fb_tunnel", TOKENS, Duration.ofSeconds(20));

        assertEquals("fb_tunnel", batch.id());
        RecordedRequest connect = proxy.takeRequest(5, TimeUnit.SECONDS);
        assertEquals("CONNECT", connect.getMethod());
        assertEquals("inkit.test:443", connect.getTarget());
        assertEquals(
                Credentials.basic("alice", PASSWORD),
                connect.getHeaders().get("Proxy-Authorization"),
                "preemptive, as curl does: no round trip for a 407");
        assertNull(connect.getHeaders().get(InkitClient.TOKEN_HEADER), "the token is not the proxy's");
        RecordedRequest get = proxy.takeRequest(5, TimeUnit.SECONDS);
        assertEquals("GET", get.getMethod());
        assertEquals(TOKEN, get.getHeaders().get(InkitClient.TOKEN_HEADER));
        assertNull(get.getHeaders().get("Proxy-Authorization"), "the proxy password never reaches Inkit");
        assertEquals(List.of("localhost"), lookups, "only the proxy's name was resolved here, never inkit.test");
    }

    @Test
    void aServerAnswering407InsideTheTunnelNeverGetsTheProxyPassword() throws Exception {
        HeldCertificate ca = TestTls.authority("Tunnel Test CA");
        HeldCertificate originCert = TestTls.serverCertificate(ca, "evil.test");
        MockWebServer proxy = server();
        proxy.useHttps(new HandshakeCertificates.Builder()
                .heldCertificate(originCert, ca.certificate())
                .build()
                .sslSocketFactory());
        proxy.enqueue(new MockResponse.Builder().inTunnel().build());
        // The server at the end of the tunnel, not the proxy, asks for proxy credentials.
        proxy.enqueue(new MockResponse.Builder()
                .code(407)
                .addHeader("Proxy-Authenticate", "Basic realm=\"phish\"")
                .build());
        proxy.enqueue(new MockResponse.Builder()
                .code(200)
                .body(TestTls.batch("fb_tunnel"))
                .build());
        HandshakeCertificates trust = new HandshakeCertificates.Builder()
                .addTrustedCertificate(ca.certificate())
                .build();
        String url = "http://alice:" + PASSWORD + "@localhost:" + proxy.getPort();
        ProxyChoice choice = decide(HttpUrl.get("https://evil.test"), url, false, Map.of());

        InkitException e = assertThrows(
                InkitException.class,
                () -> new InkitClient(client(choice, new CopyOnWriteArrayList<>(), trust), "https://evil.test")
                        .fetchBatch("fb_tunnel", TOKENS, Duration.ofSeconds(20)));

        assertEquals(InkitException.Kind.PROXY_REFUSED, e.kind(), e.getMessage());
        RecordedRequest connect = proxy.takeRequest(5, TimeUnit.SECONDS);
        assertEquals("CONNECT", connect.getMethod());
        assertEquals(Credentials.basic("alice", PASSWORD), connect.getHeaders().get("Proxy-Authorization"));
        RecordedRequest get = proxy.takeRequest(5, TimeUnit.SECONDS);
        assertNull(get.getHeaders().get("Proxy-Authorization"));
        assertNull(
                proxy.takeRequest(1, TimeUnit.SECONDS),
                "no second request carrying the proxy's password to the server");
        assertFalse(e.getMessage().contains(PASSWORD));
    }

    @Test
    void a407AfterTheCredentialsEndsAtOnceInsteadOfLooping() throws Exception {
        MockWebServer proxy = server();
        for (int i = 0; i < 5; i++) {
            proxy.enqueue(new MockResponse.Builder()
                    .code(407)
                    .addHeader("Proxy-Authenticate", "Basic realm=\"corp\"")
                    .build());
        }
        List<String> lookups = new CopyOnWriteArrayList<>();
        String url = "http://alice:" + PASSWORD + "@127.0.0.1:" + proxy.getPort();
        ProxyChoice choice = decide(HttpUrl.get("https://inkit.test"), url, false, Map.of());

        InkitException e = assertThrows(
                InkitException.class,
                () -> new InkitClient(client(choice, lookups, null), "https://inkit.test")
                        .fetchBatch("fb_tunnel", TOKENS, Duration.ofSeconds(20)));

        assertEquals(InkitException.Kind.PROXY_REFUSED, e.kind());
        assertEquals(407, e.httpStatus());
        assertEquals(
                "The proxy at 127.0.0.1:" + proxy.getPort()
                        + " refused the proxy credentials (HTTP 407). Check the proxy user name and password.",
                e.getMessage());
        assertEquals(1, proxy.getRequestCount(), "the refused credentials were not sent again");
        assertFalse(e.isRetryable());
        assertEquals(List.of(), lookups);
    }

    @Test
    void aProxyThatRefusesTheDestinationIsNotRetriedAndOneThatFailsIs() throws Exception {
        MockWebServer proxy = server();
        proxy.enqueue(new MockResponse.Builder().code(403).build());
        proxy.enqueue(new MockResponse.Builder().code(502).build());
        String url = "http://alice:" + PASSWORD + "@127.0.0.1:" + proxy.getPort();
        ProxyChoice choice = decide(HttpUrl.get("https://inkit.test"), url, false, Map.of());
        InkitClient client = new InkitClient(client(choice, new CopyOnWriteArrayList<>(), null), "https://inkit.test");

        InkitException forbidden =
                assertThrows(InkitException.class, () -> client.fetchBatch("fb_x", TOKENS, Duration.ofSeconds(20)));
        assertEquals(InkitException.Kind.PROXY_REFUSED, forbidden.kind());
        assertTrue(
                forbidden.getMessage().contains("refused to open a connection to inkit.test:443 (HTTP 403)"),
                forbidden.getMessage());
        assertEquals("", choice.hintFor(forbidden), "not about the credentials");

        InkitException badGateway =
                assertThrows(InkitException.class, () -> client.fetchBatch("fb_x", TOKENS, Duration.ofSeconds(20)));
        assertEquals(InkitException.Kind.TRANSIENT, badGateway.kind());
        assertTrue(badGateway.getMessage().contains("the proxy answered HTTP 502"), badGateway.getMessage());
    }

    @Test
    void plainHttpToThisMachineNeverGoesThroughTheProxy() throws Exception {
        MockWebServer proxy = server();
        MockWebServer local = server();
        local.enqueue(new MockResponse.Builder()
                .code(200)
                .body(TestTls.batch("fb_plain"))
                .build());
        String url = "http://alice:" + PASSWORD + "@127.0.0.1:" + proxy.getPort();
        HttpUrl api = HttpUrl.get("http://127.0.0.1:" + local.getPort());
        ProxyChoice choice = decide(api, null, false, Map.of("HTTP_PROXY", url));

        Batch batch = new InkitClient(client(choice, new CopyOnWriteArrayList<>(), null), api.toString())
                .fetchBatch("fb_plain", TOKENS, Duration.ofSeconds(20));

        assertEquals("fb_plain", batch.id());
        RecordedRequest get = local.takeRequest(5, TimeUnit.SECONDS);
        assertEquals("/v1/invoke/batch/fb_plain", get.getTarget(), "an origin-form request: no proxy between");
        assertEquals(TOKEN, get.getHeaders().get(InkitClient.TOKEN_HEADER));
        assertNull(get.getHeaders().get("Proxy-Authorization"), "the proxy's password goes nowhere");
        assertEquals(0, proxy.getRequestCount(), "the proxy saw nothing, the token least of all");
    }

    @Test
    void withoutCredentialsNothingIsAddedAndTheRefusalSaysWhatIsMissing() throws Exception {
        MockWebServer proxy = server();
        proxy.enqueue(new MockResponse.Builder()
                .code(407)
                .addHeader("Proxy-Authenticate", "Basic realm=\"corp\"")
                .build());
        ProxyChoice choice = decide(
                HttpUrl.get("https://inkit.test"),
                null,
                false,
                Map.of("HTTPS_PROXY", "http://127.0.0.1:" + proxy.getPort()));
        InkitException e = assertThrows(
                InkitException.class,
                () -> new InkitClient(client(choice, new CopyOnWriteArrayList<>(), null), "https://inkit.test")
                        .fetchBatch("fb_x", TOKENS, Duration.ofSeconds(20)));
        assertEquals(InkitException.Kind.PROXY_REFUSED, e.kind());
        assertNull(proxy.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Proxy-Authorization"));
        assertEquals(
                " The proxy URL in the environment variable HTTPS_PROXY has no user name and password: give them as"
                        + " http://USER:PASSWORD@127.0.0.1:" + proxy.getPort() + ", percent-encoded.",
                choice.hintFor(e));
    }

    @Test
    void credentialsAreOnlyForTheirOwnProxy() throws Exception {
        // A 407 from a route that is not this proxy (the JVM's, say) gets no credentials.
        ProxyChoice choice = decide(HTTPS_API, "http://alice:" + PASSWORD + "@proxy:3128", false, Map.of());
        OkHttpClient client = choice.configure(new OkHttpClient.Builder()).build();
        Request connect = new Request.Builder()
                .url("https://api.inkit.com/")
                .method("CONNECT", null)
                .build();
        Response challenge = new Response.Builder()
                .request(connect)
                .protocol(Protocol.HTTP_1_1)
                .code(407)
                .message("Proxy Authentication Required")
                .header("Proxy-Authenticate", "OkHttp-Preemptive")
                .build();
        Address address = new Address(
                "api.inkit.com",
                443,
                Dns.SYSTEM,
                SocketFactory.getDefault(),
                null,
                null,
                null,
                client.proxyAuthenticator(),
                null,
                List.of(Protocol.HTTP_1_1),
                List.of(ConnectionSpec.MODERN_TLS),
                ProxySelector.getDefault());
        InetSocketAddress socket = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 3128);
        Route ours = new Route(address, httpProxy("proxy", 3128), socket);
        Route other = new Route(address, httpProxy("other", 3128), socket);

        Request answered = client.proxyAuthenticator().authenticate(ours, challenge);
        assertEquals(Credentials.basic("alice", PASSWORD), answered.header("Proxy-Authorization"));
        assertNull(client.proxyAuthenticator().authenticate(other, challenge));
        Response again = challenge.newBuilder().request(answered).build();
        assertNull(client.proxyAuthenticator().authenticate(ours, again), "sent once, not twice");
    }

    static Proxy httpProxy(String host, int port) {
        return new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(host, port));
    }
}
