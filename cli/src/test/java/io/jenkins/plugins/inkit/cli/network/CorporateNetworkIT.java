package io.jenkins.plugins.inkit.cli.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.inkit.client.InkitClient;
import io.jenkins.plugins.inkit.client.TokenSource;
import io.jenkins.plugins.inkit.client.model.Batch;
import java.io.File;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar, run as a process, in a corporate network: a real forward proxy that wants a password
 * (tinyproxy) and an Inkit stand-in whose TLS certificate a private authority issued.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CorporateNetworkIT {

    static final String TOKEN = "corp-SECRET-token-0123456789";
    static final String WRONG_PASSWORD = "not-the-PASSWORD-42";
    /** Every variable that could send the jar through a proxy this test did not choose. */
    static final List<String> PROXY_VARIABLES = List.of(
            "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy");

    @TempDir
    static Path dir;

    static HeldCertificate authority;
    static MockWebServer inkit;
    static Tinyproxy proxy;
    static Path caFile;
    static String apiUrl;
    /** "localhost:port", as the proxy is asked to CONNECT to it. */
    static String target;

    record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        authority = TestTls.authority("Corporate Test Root CA");
        inkit = TestTls.inkit(authority, TestTls.serverCertificate(authority, "localhost", "127.0.0.1"));
        caFile = TestTls.pemFile(dir, "corporate-ca.pem", authority);
        apiUrl = "https://localhost:" + inkit.getPort();
        target = "localhost:" + inkit.getPort();
        proxy = Tinyproxy.start(dir, inkit.getPort());
    }

    @AfterAll
    static void stop() {
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
        while (inkit.takeRequest(0, TimeUnit.SECONDS) != null) {
            // drained
        }
    }

    /** The proxy URL with the right user and password, both percent-encoded in full as a careful user might. */
    static String rightProxyUrl() {
        return proxy.url(percentEncodeAll(Tinyproxy.USER) + ":" + percentEncodeAll(Tinyproxy.PASSWORD));
    }

    static String percentEncodeAll(String s) {
        StringBuilder b = new StringBuilder();
        for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
            b.append(String.format("%%%02X", c & 0xff));
        }
        return b.toString();
    }

    static Run run(Map<String, String> env, List<String> jvmOptions, String... args) throws Exception {
        String jar = System.getProperty("inkit.cli.jar", "target/inkit-batch-status.jar");
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("INKIT_API_TOKEN");
        PROXY_VARIABLES.forEach(pb.environment()::remove);
        pb.environment().put("INKIT_API_TOKEN", TOKEN);
        pb.environment().putAll(env);
        File out = File.createTempFile("cli", ".out", dir.toFile());
        File err = File.createTempFile("cli", ".err", dir.toFile());
        pb.redirectOutput(out).redirectError(err).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), "finished in time: " + String.join(" ", args));
        } finally {
            p.destroyForcibly();
        }
        Run run = new Run(
                p.exitValue(),
                Files.readString(out.toPath(), StandardCharsets.UTF_8),
                Files.readString(err.toPath(), StandardCharsets.UTF_8));
        Files.delete(out.toPath());
        Files.delete(err.toPath());
        for (String secret : List.of(TOKEN, Tinyproxy.PASSWORD, WRONG_PASSWORD, percentEncodeAll(Tinyproxy.PASSWORD))) {
            assertFalse(run.all().contains(secret), "a secret was printed: " + run);
        }
        assertFalse(run.all().contains("\tat "), "no stack trace: " + run);
        return run;
    }

    static Run run(Map<String, String> env, String... args) throws Exception {
        return run(env, List.of(), args);
    }

    @Test
    void throughTheProxyWithItsPasswordAndThePrivateAuthority() throws Exception {
        long before = proxy.connects(target);
        Run r = run(
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
        String broken = "http://" + Tinyproxy.USER + ":" + WRONG_PASSWORD + "@proxy.invalid:not-a-port";
        Run lower = run(
                Map.of("https_proxy", rightProxyUrl(), "HTTPS_PROXY", broken),
                "--api-url",
                apiUrl,
                "--ca-cert",
                caFile.toString(),
                TestTls.BATCH);
        assertEquals(0, lower.exit(), lower.toString());

        long before = proxy.connects(target);
        Run option = run(
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
    void aWrongPasswordIsRefusedOnceClearlyAndNeverPrinted() throws Exception {
        long before = proxy.connects(target);
        Run r = run(
                Map.of("HTTPS_PROXY", proxy.url(Tinyproxy.USER + ":" + WRONG_PASSWORD)),
                "--json",
                "--api-url",
                apiUrl,
                "--ca-cert",
                caFile.toString(),
                TestTls.BATCH);
        assertEquals(4, r.exit(), r.toString());
        // tinyproxy answers a CONNECT with wrong credentials with 401 (squid would say 407).
        assertTrue(
                r.err()
                        .contains(
                                "The proxy at 127.0.0.1:" + proxy.port() + " refused the proxy credentials (HTTP 401)"),
                r.err());
        assertTrue(r.err().contains("came from the environment variable HTTPS_PROXY"), r.err());
        assertFalse(r.all().contains("Trying again"), "not retried: " + r);
        assertEquals(before + 1, proxy.connects(target), "asked once, not again: " + proxy.log());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("PROXY_REFUSED", json.get("error").get("kind").asText());
        assertEquals(401, json.get("error").get("httpStatus").asInt());
        assertTrue(json.get("error").get("message").asText().contains("refused the proxy credentials"), r.out());
    }

    @Test
    void noPasswordForAProxyThatWantsOneSaysWhatIsMissing() throws Exception {
        long before = proxy.connects(target);
        Run r = run(
                Map.of("HTTPS_PROXY", proxy.url(null)),
                "--api-url",
                apiUrl,
                "--ca-cert",
                caFile.toString(),
                TestTls.BATCH);
        assertEquals(4, r.exit(), r.toString());
        assertTrue(r.err().contains("refused the proxy credentials (HTTP 407)"), r.err());
        assertTrue(r.err().contains("has no user name and password"), r.err());
        assertFalse(r.all().contains("Trying again"), "not retried: " + r);
        assertEquals(before + 1, proxy.connects(target), proxy.log());
    }

    @Test
    void aDestinationTheProxyForbidsIsRefusedOnceNotRetried() throws Exception {
        // tinyproxy allows CONNECT only to Inkit's port (ConnectPort) and answers 403 to any other.
        int forbidden = inkit.getPort() == 65535 ? 65534 : inkit.getPort() + 1;
        long before = proxy.connects("localhost:" + forbidden);
        Run r = run(
                Map.of("HTTPS_PROXY", rightProxyUrl()), "--api-url", "https://localhost:" + forbidden, TestTls.BATCH);
        assertEquals(4, r.exit(), r.toString());
        assertTrue(r.err().contains("refused to open a connection to localhost:" + forbidden + " (HTTP 403)"), r.err());
        assertFalse(r.err().contains("credentials"), r.err());
        assertFalse(r.all().contains("Trying again"), "not retried: " + r);
        assertEquals(before + 1, proxy.connects("localhost:" + forbidden), proxy.log());
    }

    @Test
    void noProxyAndTheNoProxyOptionGoDirect() throws Exception {
        long before = proxy.requests();
        Run listed = run(
                Map.of("HTTPS_PROXY", rightProxyUrl(), "NO_PROXY", "example.com, .internal,localhost"),
                "--api-url",
                apiUrl,
                "--ca-cert",
                caFile.toString(),
                TestTls.BATCH);
        assertEquals(0, listed.exit(), listed.toString());
        Run option = run(
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

    @Test
    void anUnknownAuthorityIsAClearErrorThatNamesCaCertAndTheSameWithItWorks() throws Exception {
        Run untrusted = run(Map.of(), "--api-url", apiUrl, TestTls.BATCH);
        assertEquals(4, untrusted.exit(), untrusted.toString());
        assertTrue(
                untrusted.err().contains("The TLS certificate of localhost:" + inkit.getPort() + " is not trusted"),
                untrusted.err());
        assertTrue(untrusted.err().contains("--ca-cert"), untrusted.err());
        assertFalse(untrusted.all().contains("Trying again"), "not retried: " + untrusted);

        Run trusted = run(Map.of(), "--api-url", apiUrl, "--ca-cert", caFile.toString(), TestTls.BATCH);
        assertEquals(0, trusted.exit(), trusted.toString());
        assertTrue(trusted.out().contains("finished: all 2 document generations completed."), trusted.out());
    }

    @Test
    void anotherAuthorityInCaCertDoesNotMakeTheServerTrusted() throws Exception {
        Path other = TestTls.pemFile(dir, "other-ca.pem", TestTls.authority("Some Other CA"));
        Run r = run(Map.of(), "--api-url", apiUrl, "--ca-cert", other.toString(), TestTls.BATCH);
        assertEquals(4, r.exit(), r.toString());
        assertTrue(r.err().contains("is not trusted"), r.err());
        assertTrue(r.err().contains("The authorities of --ca-cert " + other + " were trusted besides"), r.err());
    }

    @Test
    void aCaCertFileThatCannotBeUsedIsAUsageError() throws Exception {
        Path missing = dir.resolve("no-such-ca.pem");
        Run r = run(Map.of(), "--api-url", apiUrl, "--ca-cert", missing.toString(), TestTls.BATCH);
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("--ca-cert: the file '" + missing + "' does not exist"), r.err());

        Path der = Files.write(dir.resolve("ca.der"), authority.certificate().getEncoded());
        Run notPem = run(Map.of(), "--api-url", apiUrl, "--ca-cert", der.toString(), TestTls.BATCH);
        assertEquals(2, notPem.exit(), notPem.toString());
        assertTrue(notPem.err().contains("'" + der + "' holds no PEM certificate"), notPem.err());
        if (Files.exists(Path.of("/dev/zero"))) {
            Run zero = run(Map.of(), "--api-url", apiUrl, "--ca-cert", "/dev/zero", TestTls.BATCH);
            assertEquals(2, zero.exit(), zero.toString());
            assertTrue(zero.err().contains("'/dev/zero' is not a regular file"), zero.err());
        }
        assertNull(inkit.takeRequest(0, TimeUnit.SECONDS), "nothing was sent");
    }

    @Test
    void aBadProxyUrlIsAUsageErrorThatNeverShowsThePassword() throws Exception {
        Run badPort = run(
                Map.of("HTTPS_PROXY", "http://" + Tinyproxy.USER + ":" + Tinyproxy.PASSWORD + "@127.0.0.1:99999"),
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
        Run noHost =
                run(Map.of(), "--proxy", Tinyproxy.USER + ":" + Tinyproxy.PASSWORD, "--api-url", apiUrl, TestTls.BATCH);
        assertEquals(2, noHost.exit(), noHost.toString());
        assertTrue(noHost.err().contains("The proxy URL in --proxy is not usable"), noHost.err());

        Run socks = run(
                Map.of(),
                "--proxy",
                "socks5://u:" + Tinyproxy.PASSWORD + "@127.0.0.1:1080",
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
        Run r = run(
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
            return Dns.SYSTEM.lookup(hostname);
        };
        Map<String, String> env = new HashMap<>(Map.of("HTTPS_PROXY", rightProxyUrl()));
        CaCertificates trust = CaCertificates.load(caFile.toString());
        TokenSource token = TokenSource.of(TOKEN, "the test token");

        long before = proxy.connects(target);
        OkHttpClient viaProxy = trust.configure(ProxyChoice.decide(api, null, false, env::get)
                        .configure(ConnectionOptions.HTTP.newBuilder().dns(recording)))
                .build();
        Batch batch = new InkitClient(viaProxy, apiUrl).fetchBatch(TestTls.BATCH, token, Duration.ofSeconds(30));
        assertEquals(TestTls.BATCH, batch.id());
        assertEquals(List.of(), lookups, "no name was resolved here; the proxy is 127.0.0.1");
        assertEquals(before + 1, proxy.connects(target), "the proxy was handed the name: " + proxy.log());

        // The control: the same client without the proxy does resolve the name, through the same Dns.
        OkHttpClient direct = trust.configure(ProxyChoice.decide(api, null, true, env::get)
                        .configure(ConnectionOptions.HTTP.newBuilder().dns(recording)))
                .build();
        new InkitClient(direct, apiUrl).fetchBatch(TestTls.BATCH, token, Duration.ofSeconds(30));
        assertEquals(List.of("localhost"), lookups);
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
        String byName = "http://" + Tinyproxy.USER + ":" + Tinyproxy.PASSWORD + "@corporate-proxy.test:" + proxy.port();
        OkHttpClient client = CaCertificates.load(caFile.toString())
                .configure(ProxyChoice.decide(api, byName, false, name -> null)
                        .configure(ConnectionOptions.HTTP.newBuilder().dns(recording)))
                .build();
        Batch batch = new InkitClient(client, apiUrl)
                .fetchBatch(TestTls.BATCH, TokenSource.of(TOKEN, "the test token"), Duration.ofSeconds(30));
        assertEquals(TestTls.BATCH, batch.id());
        assertEquals(List.of("corporate-proxy.test"), lookups);
    }
}
