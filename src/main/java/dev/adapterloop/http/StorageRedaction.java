package dev.adapterloop.http;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Keeps the object store's address and bucket name out of error bodies: the object store's own messages name both
 * ("cannot get 'k' in bucket 'b' at http://host:9000"), and a detail may quote such a message (a version that failed
 * to load, say). Only those exact phrases are replaced, so that a bucket named like a word leaves other text alone.
 */
@ApplicationScoped
public class StorageRedaction {
    private final Optional<String> endpoint;
    private final String bucket;

    StorageRedaction(@ConfigProperty(name = "adapterloop.s3.endpoint") Optional<String> endpoint,
                     @ConfigProperty(name = "adapterloop.s3.bucket", defaultValue = "adapterloop") String bucket) {
        this.endpoint = endpoint.filter(e -> !e.isBlank());
        this.bucket = bucket;
    }

    public static StorageRedaction of(String endpoint, String bucket) {
        return new StorageRedaction(Optional.ofNullable(endpoint), bucket);
    }

    public String redact(String detail) {
        if (detail == null) {
            return null;
        }
        String out = detail.replace("in bucket '" + bucket + "'", "in the bucket")
                .replace("bucket '" + bucket + "'", "the bucket");
        if (endpoint.isPresent()) {
            out = out.replace(" at " + endpoint.get(), "").replace(endpoint.get(), "the object store");
        }
        return out;
    }
}
