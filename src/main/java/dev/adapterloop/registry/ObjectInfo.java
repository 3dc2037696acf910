package dev.adapterloop.registry;

import java.time.Instant;
import java.util.Objects;

/** What S3 says about one object. {@code etag} is as the server sent it, without quotes. */
public record ObjectInfo(String key, long size, String etag, Instant lastModified, String contentType) {
    public ObjectInfo {
        Objects.requireNonNull(key, "key");
        if (size < 0) {
            throw new IllegalArgumentException("`size` must be >= 0, got " + size);
        }
    }
}
