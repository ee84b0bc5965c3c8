package io.jenkins.plugins.inkit.cli.network;

import io.jenkins.plugins.inkit.cli.files.InputFile;
import io.jenkins.plugins.inkit.client.InkitException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import okhttp3.tls.HandshakeCertificates;

/**
 * {@code --ca-cert FILE}: certificate authorities trusted besides the JVM's own, for networks whose
 * proxy or firewall re-signs TLS with a private authority. The JDK reads the file (PEM certificates,
 * with any text between them, or one DER certificate); okhttp-tls trusts them together with the
 * JVM's own authorities, which {@code -Djavax.net.ssl.trustStore} still chooses. Nothing here weakens a
 * check: the host name is still verified, and there is no way to turn the checks off.
 */
final class CaCertificates {

    /** A CA file is a few kilobytes; a bundle of every public authority some 250 KB. */
    private static final long MAX_BYTES = 10L * 1024 * 1024;

    private static final String PEM_BEGIN = "-----BEGIN CERTIFICATE-----";

    private final List<X509Certificate> certificates;
    private final HandshakeCertificates trust;

    private CaCertificates(List<X509Certificate> certificates, HandshakeCertificates trust) {
        this.certificates = certificates;
        this.trust = trust;
    }

    /**
     * Reads the file, waiting at most {@code within} for the file system.
     *
     * @throws InkitException {@link InkitException.Kind#INVALID_INPUT}, naming the file, when it is missing,
     *     not a regular file, unreadable, or holds no certificate that can be read
     */
    static CaCertificates load(String fileName, Duration within) throws InkitException {
        byte[] bytes;
        try {
            bytes = InputFile.read(
                    fileName, MAX_BYTES, "is larger than 10 MiB, which no file of certificates is", within);
        } catch (InputFile.Unusable e) {
            throw invalid(fileName, e.getMessage());
        }
        List<X509Certificate> certificates = certificates(fileName, bytes);
        HandshakeCertificates.Builder trust = new HandshakeCertificates.Builder().addPlatformTrustedCertificates();
        certificates.forEach(trust::addTrustedCertificate);
        return new CaCertificates(List.copyOf(certificates), trust.build());
    }

    private static List<X509Certificate> certificates(String fileName, byte[] bytes) throws InkitException {
        Collection<? extends Certificate> read;
        try {
            read = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
        } catch (CertificateException e) {
            read = List.of();
        }
        if (read.isEmpty()) {
            // The JDK's reasons are its parser's; what the file holds tells which words help.
            if (new String(bytes, StandardCharsets.ISO_8859_1).contains(PEM_BEGIN)) {
                throw invalid(
                        fileName,
                        "has a certificate that cannot be read: its base64 text is damaged or cut short, or the file"
                                + " holds something besides certificates, such as a private key");
            }
            throw invalid(
                    fileName,
                    "holds no certificate (a PEM block from " + PEM_BEGIN + " to -----END CERTIFICATE-----, or a"
                            + " DER certificate)");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (Certificate c : read) {
            certificates.add((X509Certificate) c);
        }
        return certificates;
    }

    /** Trusts the JVM's authorities and these for the client's TLS connections; host names are still verified. */
    OkHttpClient.Builder configure(OkHttpClient.Builder builder) {
        return builder.sslSocketFactory(trust.sslSocketFactory(), trust.trustManager());
    }

    int count() {
        return certificates.size();
    }

    X509TrustManager trustManager() {
        return trust.trustManager();
    }

    private static InkitException invalid(String fileName, String why) {
        return new InkitException(
                InkitException.Kind.INVALID_INPUT,
                "--ca-cert: the file '" + fileName + "' " + why
                        + ". Give a PEM file of one or more certificate authorities.");
    }
}
