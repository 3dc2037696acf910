package dev.adapterloop.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;

/**
 * One accepted API key: its name (the principal), the SHA-256 of the key (the key itself is never kept), its roles.
 * Keys are random strings of at least 128 bits, so an unsalted SHA-256 is enough to keep them secret at rest.
 */
record ApiKey(String name, byte[] sha256, Set<String> roles) {

    ApiKey {
        sha256 = sha256.clone();
        roles = Set.copyOf(roles);
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    /** Compares in time independent of where the digests differ. */
    boolean matches(byte[] presentedSha256) {
        return MessageDigest.isEqual(sha256, presentedSha256);
    }

    static byte[] sha256Of(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "ApiKey[" + name + ", roles " + roles + "]";
    }
}
