package dev.adapterloop.serving;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sticky routing: a request key (a user id, a session) maps to a fixed point in [0, 1) per task, and the challenger
 * answers the keys below its share. The same key keeps its variant for as long as the share stays, on every replica,
 * and raising the share only moves champion keys over (never the other way). SHA-256 rather than
 * {@code String.hashCode}: stable across JVMs and evenly spread for similar keys ("user-1", "user-2", ...).
 */
public final class TrafficSplit {

    private TrafficSplit() {
    }

    /** The point of {@code key} for {@code task} in [0, 1); a null key gets a random point. */
    public static double point(String task, String key) {
        if (key == null) {
            return ThreadLocalRandom.current().nextDouble();
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha.update(task.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0); // "ab"+"c" and "a"+"bc" differ
        byte[] digest = sha.digest(key.getBytes(StandardCharsets.UTF_8));
        long top53 = ByteBuffer.wrap(digest).getLong() >>> 11; // 53 bits: exactly representable in a double
        return top53 / (double) (1L << 53);
    }

    /** True when the challenger answers {@code key}; {@code share} outside [0, 1] is a configuration error. */
    public static boolean toChallenger(String task, String key, double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("challenger-share must be within [0, 1], got " + share);
        }
        return point(task, key) < share;
    }
}
