package dev.adapterloop.promotion;

import dev.adapterloop.embedded.EmbeddedS3;
import dev.adapterloop.events.AdapterManifest;
import dev.adapterloop.events.AdapterPromotionEvent;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.AliasStore;
import dev.adapterloop.registry.ObjectStore;
import dev.adapterloop.registry.PromotionRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real S3 server (embedded s3proxy) with the registry parts the promotion stage uses; close it after the class. */
final class PromotionS3 implements AutoCloseable {

    /** One announced decision, as the publisher received it. */
    record Published(String type, AdapterPromotionEvent event) {
    }

    private static final String ACCESS_KEY = "promotion-access";
    private static final String SECRET_KEY = "promotion-secret-0123456789";

    final EmbeddedS3 server;
    final ObjectStore store;
    final AliasStore aliases;
    final PromotionRecords records;
    final List<Published> published = new CopyOnWriteArrayList<>();
    final PromotionService service;

    PromotionS3(Path dataDir) {
        server = EmbeddedS3.start(EmbeddedS3.Settings.of(dataDir, ACCESS_KEY, SECRET_KEY));
        store = new ObjectStore(ObjectStore.Settings.of(server.endpoint(), ACCESS_KEY, SECRET_KEY, "promotion"));
        store.ensureBucket();
        AdapterRegistry registry = new AdapterRegistry(store);
        aliases = new AliasStore(registry, Clock.systemUTC());
        records = new PromotionRecords(store);
        service = new PromotionService(aliases, (type, event) -> {
            published.add(new Published(type, event));
            return UUID.randomUUID().toString();
        });
    }

    /** A complete adapter version (its manifest is what makes it aliasable). */
    void putVersion(String task, String version) {
        String manifest = "{\"schemaVersion\":1,\"task\":\"" + task + "\",\"version\":\"" + version + "\""
                + ",\"method\":\"lora\",\"baseModel\":\"all-minilm-l6-v2\",\"labels\":[\"ham\",\"spam\"]"
                + ",\"createdAt\":\"2026-01-01T00:00:00Z\",\"durationMillis\":1}";
        store.put(AdapterRegistry.adapterPrefix(task, version) + AdapterManifest.FILE,
                manifest.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    List<Published> publishedFor(String task) {
        return published.stream().filter(p -> p.event().task().equals(task)).toList();
    }

    @Override
    public void close() {
        store.close();
        server.close();
    }
}
