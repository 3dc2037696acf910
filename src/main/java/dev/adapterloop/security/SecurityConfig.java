package dev.adapterloop.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Map;

/**
 * Who may call the HTTP API (docs/security.md). Bearer JWTs are configured with SmallRye JWT's own keys
 * ({@code mp.jwt.verify.issuer}, {@code mp.jwt.verify.publickey.location}, {@code smallrye.jwt.path.groups}); this
 * interface holds what is adapterloop's: static API keys for services, and who may read the metrics.
 */
@ConfigMapping(prefix = "adapterloop.security")
public interface SecurityConfig {

    /**
     * API keys by name; the name ({@code [a-z0-9][a-z0-9-]*}) becomes the principal that the alias history records.
     * Only the SHA-256 of each key is configured, never the key.
     */
    Map<String, ApiKeyConfig> apiKeys();

    /** Whether {@code /q/metrics} is open to anyone who reaches the port, or needs the role {@code read}. */
    @WithDefault("open")
    MetricsAccess metrics();

    interface ApiKeyConfig {
        /** The SHA-256 of the key, 64 hexadecimal digits ({@code printf %s "$KEY" | sha256sum}). */
        String keySha256();

        /** {@code predict}, {@code read} and/or {@code admin}. */
        List<String> roles();
    }

    enum MetricsAccess {
        /** Anyone who reaches the port: the NetworkPolicy decides (Prometheus scrapes without credentials). */
        OPEN,
        /** Like the API's reads: the role {@code read} (or {@code admin}). */
        READ
    }
}
