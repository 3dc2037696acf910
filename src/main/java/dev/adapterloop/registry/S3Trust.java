package dev.adapterloop.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Which certificate authorities the S3 client trusts over https: the JVM's own (nothing configured), or those of a PEM
 * file ({@code adapterloop.s3.tls.ca-file}) and/or a JKS/PKCS12 trust store ({@code adapterloop.s3.tls.trust-store}),
 * which then replace the JVM's for this client: a private MinIO's certificate is signed by the cluster's CA, and
 * trusting only that CA is the point of configuring it. Errors name the configuration key, never a password.
 *
 * @param caFile             PEM file with one or more CA certificates
 * @param trustStore         JKS or PKCS12 trust store
 * @param trustStorePassword its password (a PKCS12 store written without one needs none)
 * @param trustStoreType     {@code PKCS12} or {@code JKS}; absent: the JVM's default type, which reads both
 */
public record S3Trust(Optional<Path> caFile, Optional<Path> trustStore, Optional<String> trustStorePassword,
        Optional<String> trustStoreType) {

    public static final String CA_FILE_KEY = "adapterloop.s3.tls.ca-file";
    public static final String TRUST_STORE_KEY = "adapterloop.s3.tls.trust-store";
    public static final String TRUST_STORE_PASSWORD_KEY = "adapterloop.s3.tls.trust-store-password";
    public static final String TRUST_STORE_TYPE_KEY = "adapterloop.s3.tls.trust-store-type";

    /** The JVM's certificate authorities, as before any of this was configurable. */
    public static final S3Trust SYSTEM = new S3Trust(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty());

    public S3Trust {
        Objects.requireNonNull(caFile, "caFile");
        Objects.requireNonNull(trustStore, "trustStore");
        Objects.requireNonNull(trustStorePassword, "trustStorePassword");
        Objects.requireNonNull(trustStoreType, "trustStoreType");
        if (trustStore.isEmpty() && (trustStorePassword.isPresent() || trustStoreType.isPresent())) {
            throw new IllegalArgumentException(TRUST_STORE_PASSWORD_KEY + " and " + TRUST_STORE_TYPE_KEY
                    + " need " + TRUST_STORE_KEY);
        }
    }

    public static S3Trust caFile(Path caFile) {
        return new S3Trust(Optional.of(caFile), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static S3Trust trustStore(Path trustStore, String password) {
        return new S3Trust(Optional.empty(), Optional.of(trustStore), Optional.ofNullable(password), Optional.empty());
    }

    public boolean isSystem() {
        return caFile.isEmpty() && trustStore.isEmpty();
    }

    /**
     * A trust manager for exactly the configured CAs. Reads the files now, so that a missing, unreadable or wrong
     * file stops the start with its key instead of failing the first S3 call as an unexplained handshake error.
     *
     * @throws IllegalArgumentException naming the key whose file is missing, unreadable or holds no certificate
     */
    public X509TrustManager trustManager() {
        if (isSystem()) {
            throw new IllegalStateException("no CA is configured: the JVM's own trust applies");
        }
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int[] count = {0};
            caFile.ifPresent(file -> {
                for (Certificate certificate : readPem(file)) {
                    addAnchor(anchors, "ca-file-" + count[0]++, certificate);
                }
            });
            trustStore.ifPresent(file -> {
                KeyStore store = readStore(file);
                try {
                    int before = count[0];
                    for (String alias : java.util.Collections.list(store.aliases())) {
                        if (store.isCertificateEntry(alias)) {
                            addAnchor(anchors, "trust-store-" + count[0]++, store.getCertificate(alias));
                        }
                    }
                    if (count[0] == before) {
                        throw new IllegalArgumentException(TRUST_STORE_KEY + ": " + file
                                + " holds no trusted certificate entry (a key store's private key entries are not CAs)");
                    }
                } catch (java.security.KeyStoreException e) {
                    throw new IllegalArgumentException(TRUST_STORE_KEY + ": cannot read " + file + ": " + e.getMessage(),
                            e);
                }
            });
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(anchors);
            return Arrays.stream(factory.getTrustManagers())
                    .filter(X509TrustManager.class::isInstance).map(X509TrustManager.class::cast)
                    .findFirst().orElseThrow(() -> new IllegalStateException("the JVM has no X.509 trust manager"));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up the S3 client's trust: " + e.getMessage(), e);
        }
    }

    private static Collection<? extends Certificate> readPem(Path file) {
        requireReadable(CA_FILE_KEY, file);
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException(CA_FILE_KEY + ": " + file + " holds no X.509 certificate (expected"
                        + " PEM: -----BEGIN CERTIFICATE-----)");
            }
            return certificates;
        } catch (CertificateException e) {
            throw new IllegalArgumentException(CA_FILE_KEY + ": " + file + " is not an X.509 certificate in PEM or DER"
                    + " form: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(CA_FILE_KEY + ": cannot read " + file + ": " + e, e);
        }
    }

    private KeyStore readStore(Path file) {
        requireReadable(TRUST_STORE_KEY, file);
        String type = trustStoreType.orElse(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, trustStorePassword.map(String::toCharArray).orElse(null));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            // A wrong password reads as an IOException whose cause is an UnrecoverableKeyException; say which key.
            throw new IllegalArgumentException(TRUST_STORE_KEY + ": cannot read " + file + " as a " + type
                    + " trust store (check " + TRUST_STORE_PASSWORD_KEY + " and " + TRUST_STORE_TYPE_KEY + "): "
                    + e.getMessage(), e);
        }
    }

    private static void requireReadable(String key, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(key + ": " + file + " does not exist or is not a file");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(key + ": " + file + " is not readable by this process");
        }
    }

    private static void addAnchor(KeyStore anchors, String alias, Certificate certificate) {
        try {
            anchors.setCertificateEntry(alias, certificate);
        } catch (java.security.KeyStoreException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return isSystem() ? "S3Trust[system]" : "S3Trust[caFile=" + caFile.orElse(null) + ", trustStore="
                + trustStore.orElse(null) + ", trustStorePassword=" + (trustStorePassword.isPresent() ? "***" : "none")
                + "]";
    }
}
