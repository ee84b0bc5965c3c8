package io.jenkins.plugins.inkit.cli.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.inkit.cli.JarRun;
import io.jenkins.plugins.inkit.client.InkitClient;
import io.jenkins.plugins.inkit.client.TokenSource;
import io.jenkins.plugins.inkit.client.model.Batch;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * The corporate network with Jetty's ConnectHandler as the proxy, which Maven brings: every test of
 * {@link ForwardProxyContract}, a proxy that answers a refused password with 401 as tinyproxy does, an
 * API on this machine never sent through a proxy, and what needs no proxy (certificates, bad URLs).
 * Inkit's stand-in is {@value #INKIT_HOST}: the proxy resolves it, and so does the jar (from a hosts
 * file of the test's) when it goes direct.
 */
class CorporateNetworkIT extends ForwardProxyContract {

    static final String INKIT_HOST = "inkit.test";

    @Override
    InetAddress inkitAddress() throws Exception {
        return InetAddress.getByName("127.0.0.1");
    }

    @Override
    String inkitHost() {
        return INKIT_HOST;
    }

    @Override
    ForwardProxy startProxy(Path dir, String allowed, int inkitPort) throws Exception {
        return JettyProxy.start(407, Map.of(INKIT_HOST, inkitAddress()), List.of(allowed));
    }

    @Override
    List<String> jvmOptions() throws Exception {
        Path hosts = dir.resolve("inkit-test-hosts");
        if (!Files.exists(hosts)) {
            Files.writeString(hosts, "127.0.0.1 " + INKIT_HOST + "\n");
        }
        return List.of("-Djdk.net.hosts.file=" + hosts);
    }

    @Test
    void aProxyThatAnswers401AsTinyproxyDoesIsStillTheProxysRefusal() throws Exception {
        try (JettyProxy strict = JettyProxy.start(401, Map.of(INKIT_HOST, inkitAddress()), List.of(target))) {
            String wrong = strict.url(ForwardProxy.USER + ":" + WRONG_PASSWORD);
            JarRun.Run check = run(
                    Map.of("HTTPS_PROXY", wrong),
                    "--json",
                    "--api-url",
                    apiUrl,
                    "--ca-cert",
                    caFile.toString(),
                    "fb_1");
            assertEquals(4, check.exit(), check.toString());
            assertTrue(
                    check.err()
                            .contains("The proxy at 127.0.0.1:" + strict.port()
                                    + " refused the proxy credentials (HTTP 401). Check the proxy user name and"
                                    + " password."),
                    check.err());
            assertFalse(check.all().contains("API token"), "a proxy's 401 is not Inkit's: " + check);
            assertEquals(
                    "PROXY_REFUSED",
                    new ObjectMapper()
                            .readTree(check.out())
                            .get("error")
                            .get("kind")
                            .asText());
            assertEquals(1, strict.connects(target), strict.log());
            assertNull(inkit.takeRequest(0, TimeUnit.SECONDS), "nothing reached Inkit");
        }
    }

    @Test
    void anApiOnThisMachineIsNeverSentThroughTheProxy() throws Exception {
        String local = "https://localhost:" + inkit.getPort();
        long before = proxy.requests();
        Map<String, String> everyVariable = Map.of(
                "HTTPS_PROXY", rightProxyUrl(),
                "https_proxy", rightProxyUrl(),
                "HTTP_PROXY", rightProxyUrl(),
                "http_proxy", rightProxyUrl());
        JarRun.Run variables = run(everyVariable, "--api-url", local, "--ca-cert", caFile.toString(), TestTls.BATCH);
        assertEquals(0, variables.exit(), variables.toString());
        JarRun.Run option = run(
                Map.of(),
                "--proxy",
                rightProxyUrl(),
                "--api-url",
                local,
                "--ca-cert",
                caFile.toString(),
                TestTls.BATCH);
        assertEquals(0, option.exit(), option.toString());
        assertNotNull(inkit.takeRequest(5, TimeUnit.SECONDS));
        assertNotNull(inkit.takeRequest(5, TimeUnit.SECONDS));
        assertEquals(before, proxy.requests(), "the proxy never saw the token: " + proxy.log());
    }

    @Test
    void anUnknownAuthorityIsAClearErrorThatNamesCaCertAndTheSameWithItWorks() throws Exception {
        JarRun.Run untrusted = run(Map.of(), "--api-url", apiUrl, TestTls.BATCH);
        assertEquals(4, untrusted.exit(), untrusted.toString());
        assertTrue(untrusted.err().contains("The TLS certificate of " + target + " is not trusted"), untrusted.err());
        assertTrue(untrusted.err().contains("--ca-cert"), untrusted.err());
        assertFalse(untrusted.all().contains("Trying again"), "not retried: " + untrusted);

        JarRun.Run trusted = run(Map.of(), "--api-url", apiUrl, "--ca-cert", caFile.toString(), TestTls.BATCH);
        assertEquals(0, trusted.exit(), trusted.toString());
        assertTrue(trusted.out().contains("finished: all 2 document generations completed."), trusted.out());
    }

    @Test
    void anotherAuthorityInCaCertDoesNotMakeTheServerTrusted() throws Exception {
        Path other = TestTls.pemFile(dir, "other-ca.pem", TestTls.authority("Some Other CA"));
        JarRun.Run r = run(Map.of(), "--api-url", apiUrl, "--ca-cert", other.toString(), TestTls.BATCH);
        assertEquals(4, r.exit(), r.toString());
        assertTrue(r.err().contains("is not trusted"), r.err());
        assertTrue(r.err().contains("The authorities of --ca-cert " + other + " were trusted besides"), r.err());
    }

    @Test
    void theTrustStoreTheJvmIsGivenStaysTrustedBesidesCaCert() throws Exception {
        // The corporate authority only in a trust store chosen with -Djavax.net.ssl.trustStore, another in --ca-cert.
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("corporate", authority.certificate());
        Path storeFile = dir.resolve("truststore.p12");
        try (OutputStream out = Files.newOutputStream(storeFile)) {
            store.store(out, "changeit".toCharArray());
        }
        Path other = TestTls.pemFile(dir, "unrelated-ca.pem", TestTls.authority("Unrelated CA"));
        List<String> options = new ArrayList<>(jvmOptions());
        options.addAll(List.of(
                "-Djavax.net.ssl.trustStore=" + storeFile,
                "-Djavax.net.ssl.trustStorePassword=changeit",
                "-Djavax.net.ssl.trustStoreType=PKCS12"));
        JarRun.Run r = JarRun.run(TOKEN, Map.of(), options, "--api-url", apiUrl, "--ca-cert", other.toString(), "fb_1");
        assertEquals(0, r.exit(), r.toString());

        // And a DER file is as good as a PEM one.
        Path der = Files.write(
                dir.resolve("corporate-ca.der"), authority.certificate().getEncoded());
        JarRun.Run derRun = run(Map.of(), "--api-url", apiUrl, "--ca-cert", der.toString(), "fb_1");
        assertEquals(0, derRun.exit(), derRun.toString());
    }

    @Test
    void aCaCertFileThatCannotBeUsedIsAUsageError() throws Exception {
        Path missing = dir.resolve("no-such-ca.pem");
        JarRun.Run r = run(Map.of(), "--api-url", apiUrl, "--ca-cert", missing.toString(), TestTls.BATCH);
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("--ca-cert: the file '" + missing + "' does not exist"), r.err());

        Path key = Files.writeString(dir.resolve("ca-key.pem"), authority.privateKeyPkcs8Pem());
        JarRun.Run notACertificate = run(Map.of(), "--api-url", apiUrl, "--ca-cert", key.toString(), TestTls.BATCH);
        assertEquals(2, notACertificate.exit(), notACertificate.toString());
        assertTrue(notACertificate.err().contains("'" + key + "' holds no certificate"), notACertificate.err());
        if (Files.exists(Path.of("/dev/zero"))) {
            JarRun.Run zero = run(Map.of(), "--api-url", apiUrl, "--ca-cert", "/dev/zero", TestTls.BATCH);
            assertEquals(2, zero.exit(), zero.toString());
            assertTrue(zero.err().contains("'/dev/zero' is not a regular file"), zero.err());
        }
        assertNull(inkit.takeRequest(0, TimeUnit.SECONDS), "nothing was sent");
    }

    @Test
    void aBadProxyUrlIsAUsageErrorThatNeverShowsThePassword() throws Exception {
        JarRun.Run badPort = run(
                Map.of("HTTPS_PROXY", "http://" + ForwardProxy.USER + ":" + ForwardProxy.PASSWORD + "@127.0.0.1:99999"),
                "--json",
                "--api-url",
                apiUrl,
                TestTls.BATCH);
        assertEquals(2, badPort.exit(), badPort.toString());
        assertTrue(
                badPort.err().contains("The proxy URL in the environment variable HTTPS_PROXY is not usable: the port"),
                badPort.err());
        assertEquals(
                "INVALID_INPUT",
                new ObjectMapper()
                        .readTree(badPort.out())
                        .get("error")
                        .get("kind")
                        .asText());

        // The host left out: what is left of the URL would put the password where the port goes.
        JarRun.Run noHost = run(
                Map.of(),
                "--proxy",
                ForwardProxy.USER + ":" + ForwardProxy.PASSWORD,
                "--api-url",
                apiUrl,
                TestTls.BATCH);
        assertEquals(2, noHost.exit(), noHost.toString());
        assertTrue(noHost.err().contains("The proxy URL in --proxy is not usable"), noHost.err());

        JarRun.Run socks = run(
                Map.of(),
                "--proxy",
                "socks5://u:" + ForwardProxy.PASSWORD + "@127.0.0.1:1080",
                "--api-url",
                apiUrl,
                TestTls.BATCH);
        assertEquals(2, socks.exit(), socks.toString());
        assertTrue(socks.err().contains("socks5:// proxies are not supported"), socks.err());
    }

    @Test
    void anUnknownHostFailsNamingIt() throws Exception {
        // The JVM resolves names from this file only, so the test sends no DNS query off the machine.
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 unrelated.test\n");
        JarRun.Run r = JarRun.run(
                TOKEN,
                Map.of(),
                List.of("-Djdk.net.hosts.file=" + hosts),
                "--api-url",
                "https://inkit.invalid",
                "--timeout",
                "1m",
                TestTls.BATCH);
        assertEquals(4, r.exit(), r.toString());
        assertTrue(r.err().contains("the host name 'inkit.invalid' does not resolve"), r.err());
        long retries = r.all().lines().filter(l -> l.contains("Trying again")).count();
        assertTrue(retries <= 1, "at most one retry: " + r);
    }

    /**
     * With a proxy, Inkit's host name is the proxy's to resolve: the client, configured as the command
     * configures it, never looks it up. In-process, to watch the lookups with a recording {@link Dns}.
     */
    @Test
    void theProxyResolvesInkitsHostNameNeverThisMachine() throws Exception {
        HttpUrl api = HttpUrl.get(apiUrl);
        List<String> lookups = new CopyOnWriteArrayList<>();
        Dns recording = hostname -> {
            lookups.add(hostname);
            if (!hostname.equals(INKIT_HOST)) {
                throw new UnknownHostException(hostname);
            }
            return List.of(InetAddress.getByName("127.0.0.1"));
        };
        Map<String, String> env = new HashMap<>(Map.of("HTTPS_PROXY", rightProxyUrl()));
        CaCertificates trust = CaCertificates.load(caFile.toString(), Duration.ofMinutes(1));
        TokenSource token = TokenSource.of(TOKEN, "the test token");

        long before = proxy.connects(target);
        OkHttpClient viaProxy = trust.configure(ProxyChoice.decide(api, null, false, env::get)
                        .configure(ConnectionOptions.http().newBuilder().dns(recording)))
                .build();
        Batch batch = new InkitClient(viaProxy, apiUrl).fetchBatch(TestTls.BATCH, token, Duration.ofSeconds(30));
        assertEquals(TestTls.BATCH, batch.id());
        assertEquals(List.of(), lookups, "no name was resolved here; the proxy is 127.0.0.1");
        assertEquals(before + 1, proxy.connects(target), "the proxy was handed the name: " + proxy.log());

        // The control: the same client without the proxy does resolve the name, through the same Dns.
        OkHttpClient direct = trust.configure(ProxyChoice.decide(api, null, true, env::get)
                        .configure(ConnectionOptions.http().newBuilder().dns(recording)))
                .build();
        new InkitClient(direct, apiUrl).fetchBatch(TestTls.BATCH, token, Duration.ofSeconds(30));
        assertEquals(List.of(INKIT_HOST), lookups);
    }

    @Test
    void theProxyHostItselfIsResolvedByName() throws Exception {
        // A proxy given by name is looked up here (it is the one host this machine must reach).
        HttpUrl api = HttpUrl.get(apiUrl);
        List<String> lookups = new CopyOnWriteArrayList<>();
        Dns recording = hostname -> {
            lookups.add(hostname);
            if (!hostname.equals("corporate-proxy.test")) {
                throw new UnknownHostException(hostname);
            }
            return List.of(InetAddress.getByName("127.0.0.1"));
        };
        String byName =
                "http://" + ForwardProxy.USER + ":" + ForwardProxy.PASSWORD + "@corporate-proxy.test:" + proxy.port();
        OkHttpClient client = CaCertificates.load(caFile.toString(), Duration.ofMinutes(1))
                .configure(ProxyChoice.decide(api, byName, false, name -> null)
                        .configure(ConnectionOptions.http().newBuilder().dns(recording)))
                .build();
        Batch batch = new InkitClient(client, apiUrl)
                .fetchBatch(TestTls.BATCH, TokenSource.of(TOKEN, "the test token"), Duration.ofSeconds(30));
        assertEquals(TestTls.BATCH, batch.id());
        assertEquals(List.of("corporate-proxy.test"), lookups);
    }
}
