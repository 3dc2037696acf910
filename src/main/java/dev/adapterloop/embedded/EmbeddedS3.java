package dev.adapterloop.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.jboss.logging.Logger;

/**
 * A real S3 server (s3proxy) inside this JVM, on loopback, storing buckets as folders under a directory that survives
 * restarts. Requests must be signed (AWS signature v2 or v4) with the configured access and secret key.
 * s3proxy ships its Jetty shaded ({@code org.gaul.shaded.org.eclipse.jetty}) and parses XML with Jackson 3
 * ({@code tools.jackson}), so it shares no classes with Quarkus' Vert.x or Jackson 2.
 */
public final class EmbeddedS3 implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedS3.class);
    private static final String PROVIDER = "filesystem";
    private static final String BASEDIR_PROPERTY = "jclouds.filesystem.basedir";
    private static final int START_ATTEMPTS = 3;

    /**
     * @param dataDir   buckets live in its subfolders (created if absent; kept across restarts)
     * @param port      the port on 127.0.0.1; 0 picks a free one
     * @param accessKey the only access key the server accepts
     * @param secretKey its secret key (never logged)
     * @param tls       null: http; else https only, with this server certificate
     */
    public record Settings(Path dataDir, int port, String accessKey, String secretKey, Tls tls) {
        public Settings {
            Objects.requireNonNull(dataDir, "dataDir");
            FreePorts.requireValid("port", port);
            requireNonBlank("accessKey", accessKey);
            requireNonBlank("secretKey", secretKey);
        }

        public Settings(Path dataDir, int port, String accessKey, String secretKey) {
            this(dataDir, port, accessKey, secretKey, null);
        }

        public static Settings of(Path dataDir, String accessKey, String secretKey) {
            return new Settings(dataDir, 0, accessKey, secretKey);
        }

        public Settings withPort(int port) {
            return new Settings(dataDir, port, accessKey, secretKey, tls);
        }

        public Settings withTls(Tls tls) {
            return new Settings(dataDir, port, accessKey, secretKey, tls);
        }

        @Override
        public String toString() {
            return "Settings[dataDir=" + dataDir + ", port=" + port + ", accessKey=" + accessKey + ", secretKey=***"
                    + (tls == null ? "" : ", tls=" + tls.keyStore()) + "]";
        }

        private static void requireNonBlank(String name, String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("`" + name + "` must not be blank");
            }
        }
    }

    /**
     * Serve https instead of http, as a MinIO with its own certificate does: how tests prove the client's CA options
     * against a real TLS server.
     *
     * @param keyStore         PKCS12 key store with the server's key and certificate chain (valid for 127.0.0.1)
     * @param keyStorePassword its password
     */
    public record Tls(Path keyStore, String keyStorePassword) {
        public Tls {
            Objects.requireNonNull(keyStore, "keyStore");
            Objects.requireNonNull(keyStorePassword, "keyStorePassword");
        }

        @Override
        public String toString() {
            return "Tls[keyStore=" + keyStore + ", keyStorePassword=***]";
        }
    }

    private final S3Proxy proxy;
    private final Settings settings;
    private final Path dataDir;
    private final String endpoint;
    private final Duration startupTime;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedS3(S3Proxy proxy, Settings settings, Path dataDir, String endpoint, Duration startupTime) {
        this.proxy = proxy;
        this.settings = settings;
        this.dataDir = dataDir;
        this.endpoint = endpoint;
        this.startupTime = startupTime;
    }

    public static EmbeddedS3 start(Settings settings) {
        QuietLogging.quiet(QuietLogging.S3PROXY);
        long started = System.nanoTime();
        Path dir = settings.dataDir().toAbsolutePath().normalize();
        FreePorts.requireFree("embedded S3", settings.port());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the S3 data directory " + dir, e);
        }
        Properties backend = new Properties();
        backend.setProperty(BASEDIR_PROPERTY, dir.toString());
        Exception failure = null;
        int attempts = settings.port() == 0 ? START_ATTEMPTS : 1;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            int port = FreePorts.resolve(settings.port());
            S3Proxy proxy = newProxy(backend, port, settings);
            try {
                proxy.start(); // Jetty binds and starts its connector before this returns
                int bound = settings.tls() == null ? proxy.getPort() : proxy.getSecurePort();
                String endpoint = (settings.tls() == null ? "http://" : "https://") + FreePorts.LOOPBACK + ":" + bound;
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                LOG.infof("Embedded S3 started in %d ms at %s (access key %s, data in %s)", took.toMillis(), endpoint,
                        settings.accessKey(), dir);
                return new EmbeddedS3(proxy, settings.withPort(bound), dir, endpoint, took);
            } catch (Exception e) {
                stopQuietly(proxy);
                failure = e;
                if (!(e instanceof IOException)) { // Jetty reports a taken port as an IOException
                    break;
                }
            }
        }
        throw new IllegalStateException("embedded S3 did not start on " + dir + ": " + failure.getMessage(), failure);
    }

    /** {@code http://127.0.0.1:PORT}, or {@code https://} with {@link Settings#tls()} */
    public String endpoint() {
        return endpoint;
    }

    /**
     * What this server runs with, its actual port included: {@code EmbeddedS3.start(s3.settings())} after
     * {@link #close} restarts it at the same endpoint on the same data.
     */
    public Settings settings() {
        return settings;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Duration startupTime() {
        return startupTime;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                proxy.stop();
            } catch (Exception e) {
                throw new IllegalStateException("embedded S3 at " + endpoint + " did not stop: " + e.getMessage(), e);
            }
            LOG.debugf("Embedded S3 at %s stopped", endpoint);
        }
    }

    private static S3Proxy newProxy(Properties backend, int port, Settings settings) {
        try {
            S3Proxy.Builder builder = S3Proxy.builder()
                    .blobStore(BlobStores.create(PROVIDER, backend))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, settings.accessKey(), settings.secretKey());
            if (settings.tls() == null) {
                builder.endpoint(URI.create("http://" + FreePorts.LOOPBACK + ":" + port));
            } else {
                // https only: no plain endpoint next to it that a client could fall back to.
                builder.secureEndpoint(URI.create("https://" + FreePorts.LOOPBACK + ":" + port))
                        .keyStore(settings.tls().keyStore().toAbsolutePath().toString(),
                                settings.tls().keyStorePassword());
            }
            return builder.build();
        } catch (LinkageError e) {
            // Seen when a BOM pins jackson-annotations below what s3proxy's Jackson 3 needs (JsonSerializeAs, 2.21+).
            throw new IllegalStateException("s3proxy cannot load its classes (" + e + "): its Jackson 3 needs"
                    + " com.fasterxml.jackson.core:jackson-annotations 2.21 or newer on the classpath", e);
        }
    }

    private static void stopQuietly(S3Proxy proxy) {
        try {
            proxy.stop();
        } catch (Exception e) {
            LOG.debugf(e, "Embedded S3 did not stop cleanly after a failed start");
        }
    }
}
