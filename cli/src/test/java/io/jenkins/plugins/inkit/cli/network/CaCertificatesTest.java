package io.jenkins.plugins.inkit.cli.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.inkit.client.InkitClient;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.TokenSource;
import io.jenkins.plugins.inkit.client.model.Batch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaCertificatesTest {

    static final TokenSource TOKENS = TokenSource.of("tls-SECRET-token", "the test token");

    @TempDir
    static Path dir;

    static HeldCertificate corporate;
    static HeldCertificate other;
    static MockWebServer inkit;

    @BeforeAll
    static void start() throws Exception {
        corporate = TestTls.authority("Corporate Root CA");
        other = TestTls.authority("Other Root CA");
        inkit = TestTls.inkit(corporate, TestTls.serverCertificate(corporate, "localhost"));
    }

    @AfterAll
    static void stop() {
        inkit.close();
    }

    static String api() {
        return "https://localhost:" + inkit.getPort();
    }

    static Batch fetch(OkHttpClient http) throws InkitException {
        return new InkitClient(http, api()).fetchBatch(TestTls.BATCH, TOKENS, Duration.ofSeconds(20));
    }

    static OkHttpClient clientTrusting(Path pem) throws InkitException {
        return CaCertificates.load(pem.toString(), Duration.ofMinutes(1))
                .configure(ConnectionOptions.http().newBuilder())
                .build();
    }

    @Test
    void withoutTheAuthorityTheCertificateIsNotTrustedAndThatIsNotRetryable() {
        InkitException e = assertThrows(InkitException.class, () -> fetch(ConnectionOptions.http()));
        assertEquals(InkitException.Kind.CERTIFICATE_NOT_TRUSTED, e.kind());
        assertTrue(e.getMessage().contains("no trusted certificate authority issued it"), e.getMessage());
        assertTrue(!e.isRetryable());
    }

    @Test
    void aFileOfSeveralAuthoritiesAddsThemAll() throws Exception {
        // The corporate authority second, after another and some text, as bundles come.
        Path pem = dir.resolve("bundle.pem");
        Files.writeString(
                pem,
                "# our authorities\n" + other.certificatePem() + "\nsubject=Corporate Root CA\n"
                        + corporate.certificatePem(),
                StandardCharsets.US_ASCII);
        CaCertificates loaded = CaCertificates.load(pem.toString(), Duration.ofMinutes(1));
        assertEquals(2, loaded.count());
        assertEquals(TestTls.BATCH, fetch(clientTrusting(pem)).id());
    }

    @Test
    void theJvmsOwnAuthoritiesStayTrusted() throws Exception {
        X509TrustManager defaults = defaultTrustManager();
        X509TrustManager combined = CaCertificates.load(
                        TestTls.pemFile(dir, "one.pem", corporate).toString(), Duration.ofMinutes(1))
                .trustManager();
        List<X509Certificate> accepted = Arrays.asList(combined.getAcceptedIssuers());
        assertTrue(defaults.getAcceptedIssuers().length > 0, "the JDK ships authorities");
        assertTrue(accepted.containsAll(Arrays.asList(defaults.getAcceptedIssuers())));
        assertTrue(accepted.contains(corporate.certificate()));
        assertEquals(defaults.getAcceptedIssuers().length + 1, accepted.size());
    }

    @Test
    void anotherAuthorityDoesNotHelpAndTheRefusalStaysACertificateProblem() throws Exception {
        Path pem = TestTls.pemFile(dir, "other.pem", other);
        InkitException e = assertThrows(InkitException.class, () -> fetch(clientTrusting(pem)));
        assertEquals(InkitException.Kind.CERTIFICATE_NOT_TRUSTED, e.kind());

        // One trust manager over the JVM's authorities and the file's: its refusal is the JVM's usual one.
        X509TrustManager combined =
                CaCertificates.load(pem.toString(), Duration.ofMinutes(1)).trustManager();
        X509Certificate[] chain = {
            TestTls.serverCertificate(corporate, "localhost").certificate()
        };
        CertificateException refused =
                assertThrows(CertificateException.class, () -> combined.checkServerTrusted(chain, "ECDHE_ECDSA"));
        assertTrue(causedBy(refused, CertPathBuilderException.class), "no path to a trusted authority");
    }

    @Test
    void theHostNameIsStillChecked() throws Exception {
        // Issued by the trusted authority, but for another name: trusting an authority is not trusting any name.
        HeldCertificate wrongName = TestTls.serverCertificate(corporate, "not-localhost.test");
        try (MockWebServer server = TestTls.inkit(corporate, wrongName)) {
            OkHttpClient http = clientTrusting(TestTls.pemFile(dir, "corp.pem", corporate));
            InkitException e = assertThrows(
                    InkitException.class,
                    () -> new InkitClient(http, "https://localhost:" + server.getPort())
                            .fetchBatch(TestTls.BATCH, TOKENS, Duration.ofSeconds(20)));
            assertEquals(InkitException.Kind.CERTIFICATE_NOT_TRUSTED, e.kind());
            assertTrue(e.getMessage().contains("it was not issued for this host name"), e.getMessage());
        }
    }

    @Test
    void aFileThatCannotBeUsedIsAnInputErrorNamingIt() throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertInvalid(missing.toString(), "'" + missing + "' does not exist");
        assertInvalid(dir.toString(), "'" + dir + "' is a directory");
        if (Files.exists(Path.of("/dev/zero"))) {
            // Read unbounded, it never ended.
            assertInvalid("/dev/zero", "'/dev/zero' is not a regular file but a device, a pipe or a socket");
        }

        Path key = Files.writeString(dir.resolve("key.pem"), corporate.privateKeyPkcs8Pem());
        assertInvalid(key.toString(), "'" + key + "' holds no certificate");

        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        assertInvalid(empty.toString(), "holds no certificate");

        Path text = Files.writeString(dir.resolve("notes.txt"), "Our CA is at https://pki.example.com\n");
        assertInvalid(text.toString(), "holds no certificate (a PEM block from -----BEGIN CERTIFICATE-----");

        // A base64 text cut short, as a careless copy and paste leaves it.
        String unreadable = "has a certificate that cannot be read: its base64 text is damaged or cut short, or the"
                + " file holds something besides certificates, such as a private key";
        String pem = corporate.certificatePem();
        String cut = pem.substring(0, pem.indexOf('\n') + 1) + "MIIB" + "Q" + "\n-----END CERTIFICATE-----\n";
        Path damaged = Files.writeString(dir.resolve("damaged.pem"), cut);
        assertInvalid(damaged.toString(), "'" + damaged + "' " + unreadable);

        Path truncated = Files.writeString(
                dir.resolve("truncated.pem"),
                "-----BEGIN CERTIFICATE-----\nMIIBkTCB+wIJAKHBfpegPjMCMA0GCSqGSIb3DQEBCwUA\n-----END CERTIFICATE-----\n");
        assertInvalid(truncated.toString(), "'" + truncated + "' " + unreadable);

        // The JDK reads a file of certificates only: a key beside one makes the file unusable as a whole.
        Path withKey = Files.writeString(dir.resolve("with-key.pem"), pem + corporate.privateKeyPkcs8Pem());
        assertInvalid(withKey.toString(), unreadable);
    }

    @Test
    void aDerCertificateAndWindowsLineEndingsAreReadToo() throws Exception {
        Path der = Files.write(dir.resolve("ca.der"), corporate.certificate().getEncoded());
        assertEquals(
                1, CaCertificates.load(der.toString(), Duration.ofMinutes(1)).count());
        assertEquals(TestTls.BATCH, fetch(clientTrusting(der)).id());

        Path crlf = Files.writeString(
                dir.resolve("crlf.pem"), corporate.certificatePem().replace("\n", "\r\n"), StandardCharsets.US_ASCII);
        assertEquals(TestTls.BATCH, fetch(clientTrusting(crlf)).id());
    }

    static void assertInvalid(String file, String expected) {
        InkitException e = assertThrows(InkitException.class, () -> CaCertificates.load(file, Duration.ofMinutes(1)));
        assertEquals(InkitException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith("--ca-cert: the file '" + file + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    static X509TrustManager defaultTrustManager() throws Exception {
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init((java.security.KeyStore) null);
        return (X509TrustManager) f.getTrustManagers()[0];
    }
}
