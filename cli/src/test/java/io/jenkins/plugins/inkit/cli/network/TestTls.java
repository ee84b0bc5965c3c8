package io.jenkins.plugins.inkit.cli.network;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * A private certificate authority, made per test run, and an Inkit stand-in that serves https with a
 * certificate it issued: what a corporate network's re-signing proxy looks like to the client. The
 * stand-in answers every request for a batch (GET /v1/invoke/batch/{id}) with that batch, finished.
 */
public final class TestTls {

    public static final String BATCH = "fb_corporate_network";

    private static final Pattern PATH = Pattern.compile("/v1/invoke/batch/([A-Za-z0-9_-]+)");

    private TestTls() {}

    public static HeldCertificate authority(String name) {
        return new HeldCertificate.Builder()
                .certificateAuthority(0)
                .commonName(name)
                .build();
    }

    /** A server certificate for the given names (host names or IP addresses), issued by {@code authority}. */
    public static HeldCertificate serverCertificate(HeldCertificate authority, String... names) {
        HeldCertificate.Builder b =
                new HeldCertificate.Builder().commonName(names[0]).signedBy(authority);
        for (String name : names) {
            b.addSubjectAlternativeName(name);
        }
        return b.build();
    }

    /** An https server on 127.0.0.1 that answers GET /v1/invoke/batch/{id} with a finished batch of that ID. */
    public static MockWebServer inkit(HeldCertificate authority, HeldCertificate certificate) throws IOException {
        return inkit(authority, certificate, InetAddress.getByName("127.0.0.1"));
    }

    /** {@link #inkit(HeldCertificate, HeldCertificate)} listening on the address given. */
    public static MockWebServer inkit(HeldCertificate authority, HeldCertificate certificate, InetAddress address)
            throws IOException {
        HandshakeCertificates server = new HandshakeCertificates.Builder()
                .heldCertificate(certificate, authority.certificate())
                .build();
        MockWebServer inkit = new MockWebServer();
        inkit.useHttps(server.sslSocketFactory());
        inkit.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                Matcher m = PATH.matcher(request.getUrl().encodedPath());
                if (!m.matches()) {
                    return new MockResponse.Builder()
                            .code(404)
                            .body("{\"detail\":\"Not Found\"}")
                            .build();
                }
                return new MockResponse.Builder()
                        .code(200)
                        .addHeader("Content-Type", "application/json")
                        .body(batch(m.group(1)))
                        .build();
            }
        });
        inkit.start(address, 0);
        return inkit;
    }

    public static String batch(String id) {
        return "{\"created_at\":\"2026-11-29T12:00:00.000000Z\",\"destinations\":{\"inkit_storage\":{\"completed\":2,"
                + "\"count\":2,\"failed\":0,\"in_progress\":0,\"status\":\"completed\"}},\"id\":\"" + id
                + "\",\"name\":\"Behind the proxy\",\"status\":\"Completed\",\"total\":2}";
    }

    /** Writes the certificates' PEM text to a file, as a user's --ca-cert file holds them. */
    public static Path pemFile(Path dir, String name, HeldCertificate... certificates) throws IOException {
        StringBuilder pem = new StringBuilder();
        for (HeldCertificate c : certificates) {
            pem.append(c.certificatePem());
        }
        return Files.writeString(dir.resolve(name), pem.toString(), StandardCharsets.US_ASCII);
    }
}
