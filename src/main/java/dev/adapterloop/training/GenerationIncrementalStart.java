package dev.adapterloop.training;

import dev.adapterloop.adapters.AdaptedLanguageModel;
import dev.adapterloop.adapters.AdapterFormatException;
import dev.adapterloop.adapters.PeftAdapterFiles;
import dev.adapterloop.dataset.CompletionRecord;
import dev.adapterloop.events.AdapterManifest;
import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.ObjectStoreException;
import io.quarkus.logging.Log;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Incremental training for a generation task's job, as {@link IncrementalStart} does it for classification: the job
 * builds on its base (the champion when the job was first queued); the training records get a seeded replay sample
 * of the records the base's lineage trained on, and the fresh adapters take the base's factors when its stored PEFT
 * folder holds exactly what this configuration trains ({@link PeftAdapterFiles#warmStart}: LoRA and DoRA of the same
 * rank, alpha, options and layers). What cannot warm-start starts cold with the reason in the manifest; a bucket that
 * does not answer fails the job as a storage fault, so that a retry does not quietly train another version.
 */
final class GenerationIncrementalStart {

    /** How the job's records and starting point were made up, for its log and manifest. */
    record Plan(String parentVersion, String coldStartReason, List<CompletionRecord> records, int fresh,
                int replayed, List<String> replayedFrom, List<String> skipped) {

        boolean warmStarted() {
            return parentVersion != null && coldStartReason == null;
        }

        Map<String, Object> summary() {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("base", parentVersion);
            s.put("warmStarted", warmStarted());
            if (coldStartReason != null) {
                s.put("coldStartReason", coldStartReason);
            }
            s.put("newExamples", fresh);
            s.put("replayedExamples", replayed);
            s.put("replayedFrom", replayedFrom);
            if (!skipped.isEmpty()) {
                s.put("skippedEarlierDatasets", skipped);
            }
            return s;
        }
    }

    private final AdapterRegistry registry;
    private final DatasetLoader loader;

    GenerationIncrementalStart(AdapterRegistry registry, DatasetLoader loader) {
        this.registry = registry;
        this.loader = loader;
    }

    /** The job's records: its own plus the replay sample of its base's lineage (none without a base). */
    Plan records(TrainingJob job, JobSettings settings, List<CompletionRecord> fresh) throws IOException {
        String base = job.baseVersion();
        if (base == null) {
            return new Plan(null, "the task had no champion when the job started", fresh, fresh.size(), 0,
                    List.of(), List.of());
        }
        Optional<AdapterManifest> manifest = registry.manifest(job.task(), base);
        if (manifest.isEmpty()) {
            return new Plan(null, "base version " + base + " is not in the bucket", fresh, fresh.size(), 0,
                    List.of(), List.of());
        }
        int wanted = (int) Math.min(settings.replayMaxExamples(),
                Math.ceil(settings.replayRatio() * fresh.size()));
        List<String> from = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<CompletionRecord> sample = wanted <= 0 ? List.of()
                : replay(job, manifest.get(), wanted, settings.training().seed(), from, skipped);
        List<CompletionRecord> all = new ArrayList<>(fresh);
        all.addAll(sample);
        Collections.shuffle(all, new Random(settings.training().seed()));
        return new Plan(base, settings.warmStart() ? null : "warm-start is off for the task", all, fresh.size(),
                sample.size(), sample.isEmpty() ? List.of() : from, skipped);
    }

    /**
     * Loads the base's adapters into {@code model} when the plan may warm-start; the plan as it turned out.
     *
     * @param scratch an empty local folder for the base version's files
     */
    Plan warmStart(Plan plan, TrainingJob job, AdaptedLanguageModel model, Path scratch) throws IOException {
        if (!plan.warmStarted()) {
            return plan;
        }
        registry.fetchAdapter(job.task(), plan.parentVersion(), scratch);
        try {
            PeftAdapterFiles.warmStart(model, scratch);
            Log.infof("job %s: warm start from %s; %d new + %d replayed examples", job.jobId(),
                    plan.parentVersion(), plan.fresh(), plan.replayed());
            return plan;
        } catch (AdapterFormatException e) {
            Log.warnf("job %s: cannot warm-start from %s: %s", job.jobId(), plan.parentVersion(), e.getMessage());
            return new Plan(plan.parentVersion(), e.getMessage(), plan.records(), plan.fresh(), plan.replayed(),
                    plan.replayedFrom(), plan.skipped());
        }
    }

    /** A seeded uniform sample (reservoir) of {@code wanted} records of the lineage's earlier datasets. */
    private List<CompletionRecord> replay(TrainingJob job, AdapterManifest base, int wanted, long seed,
                                          List<String> from, List<String> skipped) throws IOException {
        List<AdapterManifest> lineage = ReplaySample.lineage(base, v -> registry.manifest(job.task(), v));
        List<DatasetRef> earlier = ReplaySample.earlierDatasets(lineage, job.datasets(), job.heldOut().key());
        Random random = new Random(seed);
        List<CompletionRecord> reservoir = new ArrayList<>(wanted);
        long seen = 0;
        for (DatasetRef ref : earlier) {
            List<CompletionRecord> records = new ArrayList<>();
            try {
                loader.replayCompletions(job.task(), ref, records::add);
            } catch (BadDataException e) {
                skipped.add(ref.key() + ": " + e.getMessage());
                continue;
            } catch (ObjectStoreException e) {
                if (e.status().orElse(0) != 404) {
                    throw e;
                }
                skipped.add(ref.key() + ": no longer in the bucket");
                continue;
            }
            from.add(ref.key());
            for (CompletionRecord record : records) {
                seen++;
                if (reservoir.size() < wanted) {
                    reservoir.add(record);
                } else {
                    long slot = (long) (random.nextDouble() * seen);
                    if (slot < wanted) {
                        reservoir.set((int) slot, record);
                    }
                }
            }
        }
        return reservoir;
    }
}
