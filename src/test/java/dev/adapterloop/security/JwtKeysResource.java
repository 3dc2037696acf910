package dev.adapterloop.security;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Map;

/**
 * An identity provider's signing key, generated for the test: the service verifies tokens of {@link #ISSUER} against
 * the public half (a PEM file, as {@code mp.jwt.verify.publickey.location} would name a JWKS URL in production), and
 * the test signs with the private half ({@code smallrye.jwt.sign.key.location}, which SmallRye JWT Build reads).
 * Also turns {@code /q/metrics} to {@code read} and maps one identity-provider group to a role, for the tests of both.
 */
public class JwtKeysResource implements QuarkusTestResourceLifecycleManager {
    public static final String ISSUER = "https://issuer.adapterloop.test/realms/ops";
    /** A group of the identity provider that configuration maps to {@code admin}. */
    public static final String MAPPED_GROUP = "ops-team";

    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("adapterloop-jwt-");
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Path publicKey = write("public.pem", "PUBLIC KEY", pair.getPublic().getEncoded());
            Path privateKey = write("private.pem", "PRIVATE KEY", pair.getPrivate().getEncoded());
            return Map.of(
                    "mp.jwt.verify.issuer", ISSUER,
                    "mp.jwt.verify.publickey.location", publicKey.toString(),
                    "smallrye.jwt.sign.key.location", privateKey.toString(),
                    // SmallRye JWT's test-mode key pair, inline, would win over the locations: NONE turns it off
                    "mp.jwt.verify.publickey", "NONE",
                    "smallrye.jwt.sign.key", "NONE",
                    "adapterloop.security.metrics", "read",
                    "quarkus.http.auth.roles-mapping.\"" + MAPPED_GROUP + "\"", Roles.ADMIN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
            Files.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path write(String name, String type, byte[] der) throws IOException {
        String pem = "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
        return Files.writeString(dir.resolve(name), pem, StandardCharsets.US_ASCII);
    }
}
