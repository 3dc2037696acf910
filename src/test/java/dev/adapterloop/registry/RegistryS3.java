package dev.adapterloop.registry;

import dev.adapterloop.embedded.EmbeddedS3;
import dev.adapterloop.events.AdapterManifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** A real S3 server (embedded s3proxy) and a store on it, for the registry's plain tests; close it after the class. */
final class RegistryS3 implements AutoCloseable {
    private static final String ACCESS_KEY = "registry-access";
    private static final String SECRET_KEY = "registry-secret-0123456789";

    final EmbeddedS3 server;
    final ObjectStore store;
    final AdapterRegistry registry;

    RegistryS3(Path dataDir, String bucket) {
        server = EmbeddedS3.start(EmbeddedS3.Settings.of(dataDir, ACCESS_KEY, SECRET_KEY));
        store = new ObjectStore(ObjectStore.Settings.of(server.endpoint(), ACCESS_KEY, SECRET_KEY, bucket));
        store.ensureBucket();
        registry = new AdapterRegistry(store);
    }

    /** A version as training leaves it: payload files, and the manifest (the completion marker) unless told not to. */
    void putVersion(String task, String version, String parent, boolean complete) {
        String prefix = AdapterRegistry.adapterPrefix(task, version);
        store.put(prefix + "adapter_config.json", "{}".getBytes(StandardCharsets.UTF_8), "application/json");
        if (complete) {
            store.put(prefix + AdapterManifest.FILE, manifestJson(task, version, parent), "application/json");
        }
    }

    static byte[] manifestJson(String task, String version, String parent) {
        return ("{\"schemaVersion\":1,\"task\":\"" + task + "\",\"version\":\"" + version + "\""
                + (parent == null ? "" : ",\"parentVersion\":\"" + parent + "\"")
                + ",\"method\":\"lora\",\"baseModel\":\"all-minilm-l6-v2\",\"labels\":[\"ham\",\"spam\"]"
                + ",\"createdAt\":\"2026-01-01T00:00:00Z\",\"durationMillis\":1}").getBytes(StandardCharsets.UTF_8);
    }

    static List<String> versions(List<AdapterManifest> chain) {
        return chain.stream().map(AdapterManifest::version).toList();
    }


    @Override
    public void close() {
        store.close();
        server.close();
    }
}
