package dev.adapterloop.api;

import dev.adapterloop.events.AdapterManifest;
import dev.adapterloop.events.TrainingCurve;
import dev.adapterloop.registry.AdapterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Manifests and training curves of complete versions, read from the bucket once per process: a version is complete
 * when its manifest exists, and nothing rewrites or deletes a complete version's files, so what was read stays true.
 * The lineage page asks for every manifest of a task, the tasks page for each champion's and challenger's on every
 * load: without this, one or two S3 requests each. Bounded (least recently used goes); absences are not remembered
 * (a version still uploading becomes complete).
 */
@ApplicationScoped
class CompleteVersions {

    private static final int MAX_ENTRIES = 5_000;

    private final AdapterRegistry registry;
    private final Map<String, Object> read = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
                    return size() > MAX_ENTRIES;
                }
            });

    CompleteVersions(AdapterRegistry registry) {
        this.registry = registry;
    }

    Optional<AdapterManifest> manifest(String task, String version) throws IOException {
        String key = "manifest|" + task + "|" + version;
        AdapterManifest cached = (AdapterManifest) read.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<AdapterManifest> manifest = registry.manifest(task, version);
        manifest.ifPresent(m -> read.put(key, m));
        return manifest;
    }

    /** The curve of a complete version; empty for an incomplete one or one stored without a curve. */
    Optional<TrainingCurve> trainingCurve(String task, String version) throws IOException {
        String key = "curve|" + task + "|" + version;
        TrainingCurve cached = (TrainingCurve) read.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<TrainingCurve> curve = registry.trainingCurve(task, version);
        curve.ifPresent(c -> read.put(key, c));
        return curve;
    }
}
