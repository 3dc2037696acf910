package dev.adapterloop.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where the bucket is: {@code adapterloop.s3.*}. The endpoint, access key and secret key are set by the embedded S3
 * server when none is configured; in production they come from the environment or a Kubernetes secret.
 */
@ConfigMapping(prefix = "adapterloop.s3")
public interface S3Config {

    String endpoint();

    String accessKey();

    String secretKey();

    @WithDefault("adapterloop")
    String bucket();

    @WithDefault("us-east-1")
    String region();

    /** {@code adapterloop.s3.retry.*}: how calls that failed in a passing way are retried. */
    Retry retry();

    /** {@code adapterloop.s3.health-timeout}: how long the readiness check waits for the bucket to answer. */
    @WithDefault("3s")
    Duration healthTimeout();

    /**
     * {@code adapterloop.s3.tls.*}: the CAs an https endpoint's certificate is checked against. None set: the JVM's
     * (a public certificate, or one whose CA is in the image's trust store).
     */
    Tls tls();

    interface Tls {
        /** A PEM file with the CA certificate(s), e.g. a Kubernetes Secret's {@code ca.crt} mounted as a file. */
        Optional<Path> caFile();

        /** A JKS or PKCS12 trust store; with {@link #caFile()}, both files' CAs are trusted. */
        Optional<Path> trustStore();

        Optional<String> trustStorePassword();

        /** {@code PKCS12} or {@code JKS}; unset reads either. */
        Optional<String> trustStoreType();

        default S3Trust trust() {
            return new S3Trust(caFile(), trustStore(), trustStorePassword(), trustStoreType());
        }
    }

    interface Retry {
        /** Attempts in all, the first included; 1 turns retrying off. */
        @WithDefault("10")
        int maxAttempts();

        /** The first wait; each next one doubles, up to {@link #maxBackoff()}. */
        @WithDefault("200ms")
        Duration initialBackoff();

        @WithDefault("5s")
        Duration maxBackoff();

        /** No attempt starts after this much time since the first. */
        @WithDefault("30s")
        Duration maxDuration();

        default RetrySettings settings() {
            return new RetrySettings(maxAttempts(), initialBackoff(), maxBackoff(), maxDuration());
        }
    }
}
