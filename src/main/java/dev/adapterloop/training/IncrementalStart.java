package dev.adapterloop.training;

import dev.adapterloop.adapters.AdaptedClassifier;
import dev.adapterloop.adapters.AdapterFormatException;
import dev.adapterloop.adapters.WarmStart;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.events.AdapterManifest;
import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.ObjectStoreException;
import io.quarkus.logging.Log;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Incremental training for one job (docs/incremental-training.md): the job builds on its base, the champion pinned
 * when it first started. The fresh model takes the base's factors and head ({@link WarmStart}) when the task's
 * configuration still fits them, and the training list gets a seeded replay sample of the data the base's lineage
 * trained on ({@link ReplaySample}).
 *
 * <p>What may degrade, degrades to a cold start with the reason logged and recorded in the manifest: a base built for
 * another configuration, a base without the own-format files, an earlier dataset deleted or changed since. What may
 * pass (the bucket unreachable) fails the job as a storage fault, to be retried: a job must not quietly train cold
 * because S3 blinked, or a retry would store a different version.
 */
final class IncrementalStart {

    /** How a job's training list and starting point were made up, for its log and manifest. */
    record Plan(String parentVersion, boolean warmStarted, String coldStartReason, List<LabeledExample> examples,
                int freshExamples, int replayedExamples, List<String> replayedFrom, List<String> skippedDatasets) {

        Plan {
            examples = List.copyOf(examples);
            replayedFrom = List.copyOf(replayedFrom);
            skippedDatasets = List.copyOf(skippedDatasets);
        }

        static Plan cold(List<LabeledExample> fresh, String reason) {
            return new Plan(null, false, reason, fresh, fresh.size(), 0, List.of(), List.of());
        }

        Map<String, Object> summary() {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("base", parentVersion);
            s.put("warmStarted", warmStarted);
            if (coldStartReason != null) {
                s.put("coldStartReason", coldStartReason);
            }
            s.put("newExamples", freshExamples);
            s.put("replayedExamples", replayedExamples);
            s.put("replayedFrom", replayedFrom);
            if (!skippedDatasets.isEmpty()) {
                s.put("skippedEarlierDatasets", skippedDatasets);
            }
            return s;
        }
    }

    private final AdapterRegistry registry;
    private final DatasetLoader loader;

    IncrementalStart(AdapterRegistry registry, DatasetLoader loader) {
        this.registry = registry;
        this.loader = loader;
    }

    /**
     * Warm-starts {@code model} (just created, unmerged) from the job's base when allowed and compatible, and mixes
     * the replay sample into {@code fresh}.
     *
     * @param baseModelId the base model's id as the version files record it (e.g. {@code models/all-minilm-l6-v2/})
     * @param scratch     an empty local folder for the base version's files
     */
    Plan prepare(AdaptedClassifier model, TrainingJob job, JobSettings settings, List<LabeledExample> fresh,
                 String baseModelId, Path scratch) throws IOException {
        String base = job.baseVersion();
        if (base == null) {
            return Plan.cold(fresh, "the task had no champion when the job started");
        }
        Optional<AdapterManifest> manifest = registry.manifest(job.task(), base);
        if (manifest.isEmpty()) {
            Log.warnf("job %s: its base %s is not in the bucket (deleted?); starting cold, without replay",
                    job.jobId(), base);
            return Plan.cold(fresh, "base version " + base + " is not in the bucket");
        }
        String coldReason = settings.warmStart() ? warmStart(model, job, base, baseModelId, scratch)
                : "warm-start is off for the task";

        List<String> replayedFrom = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        ReplaySample.Reservoir reservoir = new ReplaySample.Reservoir(fresh, settings.replayRatio(),
                settings.replayMaxExamples(), settings.training().seed());
        offerEarlierExamples(reservoir, job, settings.labels(), manifest.get(), replayedFrom, skipped);
        ReplaySample.Mix mix = reservoir.mix();
        Plan plan = new Plan(base, coldReason == null, coldReason, mix.examples(), mix.fresh(), mix.replayed(),
                mix.replayed() > 0 ? replayedFrom : List.of(), skipped);
        Log.infof("job %s: builds on %s (%s); %d new + %d replayed examples (from %d candidates in %s)",
                job.jobId(), base, plan.warmStarted() ? "warm start" : "cold start: " + coldReason,
                mix.fresh(), mix.replayed(), mix.earlierCandidates(), plan.replayedFrom());
        return plan;
    }

    /** Null when the model now holds the base's adapter; else why it stays as created. */
    private String warmStart(AdaptedClassifier model, TrainingJob job, String base, String baseModelId,
                             Path scratch) throws IOException {
        registry.fetchAdapter(job.task(), base, scratch);
        try {
            WarmStart.load(model, scratch, baseModelId);
            return null;
        } catch (AdapterFormatException e) {
            // Another rank, method, label set or base model (or a version from before native/ existed): the task's
            // configuration changed, so its next version starts over rather than failing every job from now on.
            Log.warnf("job %s: cannot warm-start from %s: %s", job.jobId(), base, e.getMessage());
            return e.getMessage();
        }
    }

    /**
     * Offers the examples of the base's lineage's datasets to {@code reservoir}, one dataset at a time (each is read
     * whole, for its sha256 check, and dropped before the next), and only when something is to be replayed.
     */
    private void offerEarlierExamples(ReplaySample.Reservoir reservoir, TrainingJob job, List<String> labels,
                                      AdapterManifest base, List<String> read, List<String> skipped)
            throws IOException {
        if (!reservoir.wantsExamples()) {
            return;
        }
        List<AdapterManifest> lineage = ReplaySample.lineage(base, v -> registry.manifest(job.task(), v));
        List<DatasetRef> earlier = ReplaySample.earlierDatasets(lineage, job.datasets(), job.heldOut().key());
        for (DatasetRef ref : earlier) {
            try {
                loader.replay(job.task(), ref, e -> {
                    if (labels.contains(e.label())) {
                        reservoir.offer(e);
                    }
                });
                read.add(ref.key());
            } catch (BadDataException e) {
                skipped.add(ref.key() + ": " + e.getMessage());
                Log.warnf("job %s: not replaying %s: %s", job.jobId(), ref.key(), e.getMessage());
            } catch (ObjectStoreException e) {
                if (e.status().orElse(0) != 404) {
                    throw e;
                }
                skipped.add(ref.key() + ": no longer in the bucket");
                Log.warnf("job %s: not replaying %s: no longer in the bucket", job.jobId(), ref.key());
            }
        }
    }
}
