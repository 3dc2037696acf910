package dev.adapterloop.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A dataset read and hashed in one pass: the sha256 covers every byte of the object, including any the reader did
 * not need, so it can be compared with the digest an event announced or intake pinned.
 */
public record DigestedRead(JsonlReadResult result, String sha256) {

    public static DigestedRead of(InputStream source, JsonlDatasetReader reader) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(source, digest)) {
            JsonlReadResult result = reader.read(in);
            in.transferTo(OutputStream.nullOutputStream());
            return new DigestedRead(result, HexFormat.of().formatHex(digest.digest()));
        }
    }

    /** Lines read, valid or not. */
    public int lines() {
        return result.examples().size() + result.skippedLines();
    }
}
