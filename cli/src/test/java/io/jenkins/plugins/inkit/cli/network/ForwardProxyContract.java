package io.jenkins.plugins.inkit.cli.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.inkit.cli.JarRun;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar, run as a process, in a corporate network: a real forward proxy that wants a password
 * and an Inkit stand-in whose TLS certificate a private authority issued. What any forward proxy must
 * see; each subclass brings one. Inkit's stand-in is never named as this machine (localhost, 127.x):
 * such an API is always reached directly, never through a proxy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
abstract class ForwardProxyContract {

    static final String TOKEN = "corp-SECRET-token-0123456789";
    static final String WRONG_PASSWORD = "not-the-PASSWORD-42";

    /** Static: JUnit fills an instance's @TempDir only before each test, after @BeforeAll. */
    @TempDir
    static Path dir;

    HeldCertificate authority;
    MockWebServer inkit;
    ForwardProxy proxy;
    Path caFile;
    String apiUrl;
    /** "host:port", as the proxy is asked to CONNECT to Inkit. */
    String target;

    /** The address Inkit's stand-in listens on. */
    abstract InetAddress inkitAddress() throws Exception;

    /** The host name or address the jar is given for Inkit; its certificate is issued for it. */
    abstract String inkitHost();

    /** Starts the proxy, tunnelling only to {@code allowed} ("host:port"). */
    abstract ForwardProxy startProxy(Path dir, String allowed, int inkitPort) throws Exception;

    /** The jar's JVM options: what it needs to reach Inkit's stand-in directly. */
    List<String> jvmOptions() throws Exception {
        return List.of();
    }

    @BeforeAll
    void start() throws Exception {
        authority = TestTls.authority("Corporate Test Root CA");
        inkit = TestTls.inkit(
                authority, TestTls.serverCertificate(authority, inkitHost(), "localhost", "127.0.0.1"), inkitAddress());
        caFile = TestTls.pemFile(dir, "corporate-ca.pem", authority);
        target = hostPort(inkitHost(), inkit.getPort());
        apiUrl = "https://" + target;
        proxy = startProxy(dir, target, inkit.getPort());
    }

    static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @AfterAll
    void stop() {
        try {
            if (proxy != null) {
                proxy.close();
            }
        } finally {
            if (inkit != null) {
                inkit.close();
            }
        }
    }

    @BeforeEach
    void forgetEarlierRequests() throws InterruptedException {
        while (inkit != null && inkit.takeRequest(0, TimeUnit.SECONDS) != null) {
            // drained
        }
    }

    /** The proxy URL with the right user and password, both percent-encoded in full as a careful user might. */
    String rightProxyUrl() {
        return proxy.url(percentEncodeAll(ForwardProxy.USER) + ":" + percentEncodeAll(ForwardProxy.PASSWORD));
    }

    static String percentEncodeAll(String s) {
        StringBuilder b = new StringBuilder();
        for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
            b.append(String.format("%%%02X", c & 0xff));
        }
        return b.toString();
    }

    JarRun.Run run(Map<String, String> env, String... args) throws Exception {
        JarRun.Run run = JarRun.run(TOKEN, env, jvmOptions(), args);
        assertNoSecret(run);
        return run;
    }

    static void assertNoSecret(JarRun.Run run) {
        for (String secret :
                List.of(TOKEN, ForwardProxy.PASSWORD, WRONG_PASSWORD, percentEncodeAll(ForwardProxy.PASSWORD))) {
            assertFalse(run.all().contains(secret), "a secret was printed: " + run);
        }
    }

    @Test
    void throughTheProxyWithItsPasswordAndThePrivateAuthority() throws Exception {
        long before = proxy.connects(target);
        JarRun.Run r = run(
                Map.of("HTTPS_PROXY", rightProxyUrl()),
                "--api-url",
                apiUrl,
                "--ca-cert",
                caFile.toString(),
                TestTls.BATCH);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("finished: all 2 document generations completed."), r.out());
        assertEquals(
                before + 1, proxy.connects(target), "one CONNECT " + target + " through the proxy: " + proxy.log());
        RecordedRequest seen = inkit.takeRequest(5, TimeUnit.SECONDS);
        assertNotNull(seen, "Inkit got the request through the tunnel");
        assertEquals(TOKEN, seen.getHeaders().get("X-Inkit-API-Token"));
        assertNull(seen.getHeaders().get("Proxy-Authorization"), "the proxy's credentials stay with the proxy");
    }

    @Test
    void lowerCaseVariableWinsAndTheOptionOverridesBoth() throws Exception {
        // A variable that would fail (exit 2) if it were the one used.
        String broken = "http://" + ForwardProxy.USER + ":" + WRONG_PASSWORD + "@proxy.invalid:not-a-port";
        JarRun.Run lower = run(
                Map.of("https_proxy", rightProxyUrl(), "HTTPS_PROXY", broken),
                "--api-url",
                apiUrl,
                "--ca-cert",
                caFile.toString(),
                TestTls.BATCH);
        assertEquals(0, lower.exit(), lower.toString());

        long before = proxy.connects(target);
        JarRun.Run option = run(
                Map.of("https_proxy", broken),
                "--proxy",
                rightProxyUrl(),
                "--api-url",
                apiUrl,
                "--ca-cert",
                caFile.toString(),
                TestTls.BATCH);
        assertEquals(0, option.exit(), option.toString());
        assertEquals(before + 1, proxy.connects(target), proxy.log());
    }

    @Test
    void aWrongPasswordIsTheProxysRefusalOnceClearlyNeverTheApiTokensAndNeverPrinted() throws Exception {
        long before = proxy.connects(target);
        JarRun.Run r = run(
                Map.of("HTTPS_PROXY", proxy.url(ForwardProxy.USER + ":" + WRONG_PASSWORD)),
                "--json",
                "--api-url",
                apiUrl,
                "--ca-cert",
                caFile.toString(),
                TestTls.BATCH);
        int status = proxy.refusalStatus();
        assertEquals(4, r.exit(), r.toString());
        assertTrue(
                r.err()
                        .contains("The proxy at 127.0.0.1:" + proxy.port() + " refused the proxy credentials (HTTP "
                                + status + ")"),
                r.err());
        assertTrue(r.err().contains("came from the environment variable HTTPS_PROXY"), r.err());
        assertFalse(r.all().contains("API token"), "the proxy's refusal is not Inkit's: " + r);
        assertFalse(r.all().contains("Trying again"), "not retried: " + r);
        assertEquals(before + 1, proxy.connects(target), "asked once, not again: " + proxy.log());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("PROXY_REFUSED", json.get("error").get("kind").asText());
        assertEquals(status, json.get("error").get("httpStatus").asInt());
        assertNull(inkit.takeRequest(0, TimeUnit.SECONDS), "nothing reached Inkit");
    }

    @Test
    void aLaunchTheProxyRefusesIsExit4AndLaunchedNothing() throws Exception {
        Path flows = Files.writeString(
                dir.resolve("flows.json"), "[{\"flow_id\": \"flow_1\", \"merge_parameters\": [{\"n\": 1}]}]");
        JarRun.Run r = run(
                Map.of("HTTPS_PROXY", proxy.url(ForwardProxy.USER + ":" + WRONG_PASSWORD)),
                "launch",
                "--api-url",
                apiUrl,
                "--ca-cert",
                caFile.toString(),
                "--flows-file",
                flows.toString(),
                "--name",
                "Behind the proxy");
        assertEquals(4, r.exit(), r.toString());
        assertTrue(r.err().contains("refused the proxy credentials (HTTP " + proxy.refusalStatus() + ")"), r.err());
        assertFalse(r.all().contains("API token"), "the proxy's refusal is not Inkit's: " + r);
        assertFalse(r.all().contains("may or may not"), r.toString());
        assertEquals("", r.out());
        assertNull(inkit.takeRequest(0, TimeUnit.SECONDS), "nothing reached Inkit");
    }

    @Test
    void noPasswordForAProxyThatWantsOneSaysWhatIsMissing() throws Exception {
        long before = proxy.connects(target);
        JarRun.Run r = run(
                Map.of("HTTPS_PROXY", proxy.url(null)),
                "--api-url",
                apiUrl,
                "--ca-cert",
                caFile.toString(),
                TestTls.BATCH);
        assertEquals(4, r.exit(), r.toString());
        assertTrue(r.err().contains("refused the proxy credentials (HTTP 407)"), r.err());
        assertTrue(r.err().contains("has no user name and password"), r.err());
        assertFalse(r.all().contains("API token"), r.toString());
        assertFalse(r.all().contains("Trying again"), "not retried: " + r);
        assertEquals(before + 1, proxy.connects(target), proxy.log());
    }

    @Test
    void aDestinationTheProxyForbidsIsRefusedOnceNotRetried() throws Exception {
        // The proxy tunnels only to Inkit's port and answers 403 to any other.
        int forbidden = inkit.getPort() == 65535 ? 65534 : inkit.getPort() + 1;
        String elsewhere = hostPort(inkitHost(), forbidden);
        long before = proxy.connects(elsewhere);
        JarRun.Run r = run(Map.of("HTTPS_PROXY", rightProxyUrl()), "--api-url", "https://" + elsewhere, TestTls.BATCH);
        assertEquals(4, r.exit(), r.toString());
        assertTrue(r.err().contains("refused to open a connection to "), r.err());
        assertTrue(r.err().contains(":" + forbidden + " (HTTP 403)"), r.err());
        assertFalse(r.err().contains("credentials"), r.err());
        assertFalse(r.all().contains("Trying again"), "not retried: " + r);
        assertEquals(before + 1, proxy.connects(elsewhere), proxy.log());
    }

    @Test
    void noProxyAndTheNoProxyOptionGoDirect() throws Exception {
        long before = proxy.requests();
        JarRun.Run listed = run(
                Map.of("HTTPS_PROXY", rightProxyUrl(), "NO_PROXY", "example.com, .internal," + inkitHost()),
                "--api-url",
                apiUrl,
                "--ca-cert",
                caFile.toString(),
                TestTls.BATCH);
        assertEquals(0, listed.exit(), listed.toString());
        JarRun.Run option = run(
                Map.of("HTTPS_PROXY", rightProxyUrl()),
                "--no-proxy",
                "--api-url",
                apiUrl,
                "--ca-cert",
                caFile.toString(),
                TestTls.BATCH);
        assertEquals(0, option.exit(), option.toString());
        assertNotNull(inkit.takeRequest(5, TimeUnit.SECONDS));
        assertNotNull(inkit.takeRequest(5, TimeUnit.SECONDS));
        assertEquals(before, proxy.requests(), "the proxy saw nothing: " + proxy.log());
    }
}
