package io.jenkins.plugins.inkit.cli.network;

import io.jenkins.plugins.inkit.cli.files.InputFile;
import io.jenkins.plugins.inkit.client.InkitException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/**
 * {@code --ca-cert FILE}: certificate authorities trusted besides the JVM's own, for networks whose
 * proxy or firewall re-signs TLS with a private authority. A server is trusted when the JVM's default
 * trust store (which {@code -Djavax.net.ssl.trustStore} still chooses) or these authorities trust it.
 * Nothing here weakens a check: the host name is still verified, and there is no way to turn the
 * checks off.
 */
final class CaCertificates {

    private static final Pattern PEM_CERTIFICATE =
            Pattern.compile("-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", Pattern.DOTALL);
    /** A CA file is a few kilobytes; a bundle of every public authority some 250 KB. */
    private static final long MAX_BYTES = 10L * 1024 * 1024;

    private final Path file;
    private final List<X509Certificate> certificates;
    private final X509ExtendedTrustManager trustManager;
    private final SSLContext context;

    private CaCertificates(
            Path file, List<X509Certificate> certificates, X509ExtendedTrustManager trustManager, SSLContext context) {
        this.file = file;
        this.certificates = certificates;
        this.trustManager = trustManager;
        this.context = context;
    }

    /**
     * Reads the PEM file.
     *
     * @throws InkitException {@link InkitException.Kind#INVALID_INPUT}, naming the file, when it is missing,
     *     unreadable or holds no certificate that can be read
     */
    static CaCertificates load(String fileName) throws InkitException {
        String text;
        try {
            // ISO-8859-1 reads any bytes; a PEM file is ASCII.
            text = new String(
                    InputFile.read(fileName, MAX_BYTES, "is larger than 10 MiB, which no file of certificates is"),
                    StandardCharsets.ISO_8859_1);
        } catch (InputFile.Unusable e) {
            throw invalid(fileName, e.getMessage());
        }
        Path file = Path.of(fileName);
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            Matcher m = PEM_CERTIFICATE.matcher(text);
            while (m.find()) {
                byte[] der;
                try {
                    der = Base64.getMimeDecoder().decode(m.group(1));
                } catch (IllegalArgumentException e) {
                    throw invalid(fileName, "has a certificate whose base64 text is damaged");
                }
                try {
                    certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
                } catch (CertificateException e) {
                    throw invalid(fileName, "has a BEGIN CERTIFICATE block that is not an X.509 certificate");
                }
            }
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
        }
        if (certificates.isEmpty()) {
            throw invalid(
                    fileName,
                    "holds no PEM certificate (a block from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----)");
        }
        try {
            KeyStore extra = KeyStore.getInstance(KeyStore.getDefaultType());
            extra.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                extra.setCertificateEntry("ca-cert-" + i, certificates.get(i));
            }
            X509ExtendedTrustManager composite =
                    new EitherTrustManager(trustManager((KeyStore) null), trustManager(extra));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {composite}, new SecureRandom());
            return new CaCertificates(file, List.copyOf(certificates), composite, context);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not set up TLS with the certificates of " + fileName, e);
        }
    }

    /** Trusts the JVM's authorities and these for the client's TLS connections; host names are still verified. */
    OkHttpClient.Builder configure(OkHttpClient.Builder builder) {
        return builder.sslSocketFactory(context.getSocketFactory(), trustManager);
    }

    Path file() {
        return file;
    }

    int count() {
        return certificates.size();
    }

    X509TrustManager trustManager() {
        return trustManager;
    }

    private static X509ExtendedTrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager tm : factory.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager from " + factory.getAlgorithm());
    }

    private static InkitException invalid(String fileName, String why) {
        return new InkitException(
                InkitException.Kind.INVALID_INPUT,
                "--ca-cert: the file '" + fileName + "' " + why
                        + ". Give a PEM file of one or more certificate authorities.");
    }

    /**
     * Trusts a server when the JVM's default trust manager does, or else when the one for the extra
     * authorities does. When neither does, the default's refusal is thrown, the other's attached.
     */
    private static final class EitherTrustManager extends X509ExtendedTrustManager {

        private final X509ExtendedTrustManager defaults;
        private final X509ExtendedTrustManager extra;

        EitherTrustManager(X509ExtendedTrustManager defaults, X509ExtendedTrustManager extra) {
            this.defaults = defaults;
            this.extra = extra;
        }

        private interface Check {
            void run(X509ExtendedTrustManager tm) throws CertificateException;
        }

        private void either(Check check) throws CertificateException {
            try {
                check.run(defaults);
            } catch (CertificateException refused) {
                try {
                    check.run(extra);
                } catch (CertificateException alsoRefused) {
                    refused.addSuppressed(alsoRefused);
                    throw refused;
                }
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            either(tm -> tm.checkServerTrusted(chain, authType));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            either(tm -> tm.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            either(tm -> tm.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            either(tm -> tm.checkClientTrusted(chain, authType));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            either(tm -> tm.checkClientTrusted(chain, authType, socket));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            either(tm -> tm.checkClientTrusted(chain, authType, engine));
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            Set<X509Certificate> all = new LinkedHashSet<>(List.of(defaults.getAcceptedIssuers()));
            all.addAll(List.of(extra.getAcceptedIssuers()));
            return all.toArray(new X509Certificate[0]);
        }
    }
}
