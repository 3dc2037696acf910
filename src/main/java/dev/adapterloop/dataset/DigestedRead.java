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
        Digested<JsonlReadResult> read = digest(source, reader::read);
        return new DigestedRead(read.result(), read.sha256());
    }

    /** Reads a stream with {@code reader}, without closing it midway. */
    @FunctionalInterface
    public interface StreamReader<R> {
        R read(InputStream in) throws IOException;
    }

    /** Any reader's result with the sha256 of every byte of the object (closed at the end). */
    public record Digested<R>(R result, String sha256) {
    }

    public static <R> Digested<R> digest(InputStream source, StreamReader<R> reader) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(source, digest)) {
            R result = reader.read(in);
            in.transferTo(OutputStream.nullOutputStream());
            return new Digested<>(result, HexFormat.of().formatHex(digest.digest()));
        }
    }

    /** Lines read, valid or not. */
    public int lines() {
        return result.examples().size() + result.skippedLines();
    }
}
