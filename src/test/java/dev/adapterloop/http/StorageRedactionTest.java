package dev.adapterloop.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.adapterloop.registry.ObjectStore;
import dev.adapterloop.registry.ObjectStoreException;
import dev.adapterloop.registry.RetrySettings;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** The object store's real error messages, once redacted, name neither its address nor its bucket. */
class StorageRedactionTest {

    @Test
    void aRefusedConnectionNamesNeitherTheEndpointNorItsHostAndPortNorTheBucket() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // closed again: nothing listens there
        }
        String endpoint = "http://127.0.0.1:" + port;
        ObjectStoreException failure;
        try (ObjectStore store = new ObjectStore(ObjectStore.Settings.of(endpoint, "access", "secret-0123456789",
                "secret-bucket-name").withRetry(RetrySettings.NONE))) {
            failure = catchThrowableOfType(ObjectStoreException.class, () -> store.get("datasets/spam/a.jsonl"));
        }
        assertThat(failure.getMessage()).as("what the log gets").contains("127.0.0.1:" + port)
                .contains("secret-bucket-name");

        String detail = StorageRedaction.of(endpoint, "secret-bucket-name").redact(failure.getMessage());

        assertThat(detail).doesNotContain(String.valueOf(port)).doesNotContain("127.0.0.1")
                .doesNotContain("secret-bucket-name").contains("datasets/spam/a.jsonl");
    }
}
