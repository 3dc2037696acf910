package dev.adapterloop.training;

import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.events.AdapterManifest;
import dev.adapterloop.events.DatasetRef;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Incremental training's replay: a job that warm-starts from the task's champion trains on the new examples plus a
 * deterministic sample of the examples earlier versions were trained on, so that the adapter keeps what it learned
 * instead of drifting to the newest data (catastrophic forgetting).
 *
 * <ul>
 *   <li>{@link #earlierDatasets}: the datasets of the champion's lineage, oldest first, without the held-out sets;</li>
 *   <li>{@link #mix}, or a {@link Reservoir} fed one dataset at a time: new examples ∪ a seeded sample of the earlier
 *   ones, of size {@code min(ceil(ratio × new), maxExamples, distinct earlier examples not among the new ones)},
 *   shuffled with the same seed.</li>
 * </ul>
 */
public final class ReplaySample {

    /** Lineages longer than this are refused as a cycle or a corrupt registry rather than walked forever. */
    public static final int MAX_LINEAGE = 10_000;

    private ReplaySample() {
    }

    /** The training list of a job and how it was made up. */
    public record Mix(List<LabeledExample> examples, int fresh, int replayed, int earlierCandidates) {

        public Mix {
            examples = List.copyOf(examples);
        }
    }

    /**
     * Looks up a version's manifest, e.g. {@code version -> registry.manifest(task, version)}; empty when the version
     * does not exist.
     */
    @FunctionalInterface
    public interface ManifestLookup {
        Optional<AdapterManifest> manifest(String version) throws IOException;
    }

    /**
     * How many earlier examples a job replays: {@code min(ceil(ratio × fresh), maxExamples, available)}; 0 when
     * {@code ratio} or {@code maxExamples} is 0 (replay disabled).
     *
     * @throws IllegalArgumentException a negative or non-finite ratio, or a negative maximum, naming the config key
     */
    public static int size(int fresh, int available, double ratio, int maxExamples) {
        requireSettings(ratio, maxExamples);
        if (fresh < 0 || available < 0) {
            throw new IllegalArgumentException("counts must be >= 0, got " + fresh + " new and " + available
                    + " earlier examples");
        }
        long wanted = (long) Math.ceil(ratio * fresh);
        return (int) Math.min(Math.min(wanted, maxExamples), available);
    }

    /**
     * The new examples plus a sample of the earlier ones, shuffled; everything is a function of the inputs and
     * {@code seed} (the runner passes the task's training seed), so a job that runs again trains on the same list.
     * Earlier examples that equal a new example (same text and label) are never replayed, and each distinct earlier
     * example at most once. When nothing is replayed the new examples come back unchanged, in their order, so a job
     * without replay trains exactly as it would have without this step. The same as offering {@code earlier} to a
     * {@link Reservoir} one by one.
     *
     * @param ratio       {@code replay-ratio}: replayed examples per new example (0 disables replay)
     * @param maxExamples {@code replay-max-examples}: cap on the replayed examples (0 disables replay)
     */
    public static Mix mix(List<LabeledExample> fresh, List<LabeledExample> earlier, double ratio, int maxExamples,
                          long seed) {
        Reservoir reservoir = new Reservoir(fresh, ratio, maxExamples, seed);
        earlier.forEach(reservoir::offer);
        return reservoir.mix();
    }

    /**
     * Draws the replay sample while the earlier examples stream past, one dataset after another, so that a job
     * holds the sample (at most {@code replay-max-examples}) and a 32-byte digest per distinct earlier example, never
     * every earlier example of a long lineage at once. A uniform sample without replacement over the distinct
     * candidates in the order offered (reservoir sampling, seeded), as {@link #mix} documents.
     */
    public static final class Reservoir {

        private final List<LabeledExample> fresh;
        private final Set<Digest> excluded = new HashSet<>();
        private final Set<Digest> seen = new HashSet<>();
        private final List<LabeledExample> sample = new ArrayList<>();
        private final int capacity;
        private final Random random;
        private int candidates;

        public Reservoir(List<LabeledExample> fresh, double ratio, int maxExamples, long seed) {
            requireSettings(ratio, maxExamples);
            this.fresh = List.copyOf(fresh);
            this.capacity = size(fresh.size(), Integer.MAX_VALUE, ratio, maxExamples);
            this.random = new Random(seed);
            fresh.forEach(example -> excluded.add(Digest.of(example)));
        }

        /** Whether anything will be replayed at all: when not, earlier data need not be read. */
        public boolean wantsExamples() {
            return capacity > 0;
        }

        /** One earlier example; a duplicate of a new one, or of one offered before, is passed over. */
        public void offer(LabeledExample example) {
            if (capacity == 0) {
                return;
            }
            Digest digest = Digest.of(example);
            if (excluded.contains(digest) || !seen.add(digest)) {
                return;
            }
            if (sample.size() < capacity) {
                sample.add(example);
            } else {
                int slot = random.nextInt(candidates + 1);
                if (slot < capacity) {
                    sample.set(slot, example);
                }
            }
            candidates++;
        }

        /** The new examples and the sample, shuffled with the same seeded generator. */
        public Mix mix() {
            if (sample.isEmpty()) {
                return new Mix(fresh, fresh.size(), 0, candidates);
            }
            List<LabeledExample> examples = new ArrayList<>(fresh.size() + sample.size());
            examples.addAll(fresh);
            examples.addAll(sample);
            Collections.shuffle(examples, random);
            return new Mix(examples, fresh.size(), sample.size(), candidates);
        }
    }

    /** SHA-256 of an example's label and text: what "the same example" means, in 32 bytes. */
    private record Digest(long a, long b, long c, long d) {

        static Digest of(LabeledExample example) {
            MessageDigest sha256 = sha256();
            sha256.update(example.label().getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            ByteBuffer hash = ByteBuffer.wrap(sha256.digest(example.text().getBytes(StandardCharsets.UTF_8)));
            return new Digest(hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong());
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JVM has SHA-256", e);
            }
        }
    }

    /**
     * The distinct datasets that earlier versions trained on, oldest first (the root's first, in each manifest's
     * order), to read for {@link #mix}.
     *
     * @param lineage     manifests from the champion back to the root (see {@link #lineage})
     * @param current     the datasets of the job being run, left out (they are the new examples)
     * @param heldOutKey  the task's held-out key (may be null): never returned, nor any manifest's own held-out set,
     *                    so that the split versions are compared on never leaks into training
     */
    public static List<DatasetRef> earlierDatasets(List<AdapterManifest> lineage, Collection<DatasetRef> current,
                                                   String heldOutKey) {
        Set<String> excluded = new HashSet<>();
        if (heldOutKey != null) {
            excluded.add(heldOutKey);
        }
        for (AdapterManifest manifest : lineage) {
            if (manifest.heldOut() != null && manifest.heldOut().key() != null) {
                excluded.add(manifest.heldOut().key());
            }
        }
        Set<String> heldOut = Set.copyOf(excluded);
        current.forEach(ref -> excluded.add(ref.key()));
        Map<String, DatasetRef> earlier = new LinkedHashMap<>();
        for (AdapterManifest manifest : lineage.reversed()) {
            if (manifest.datasets() == null) {
                continue;
            }
            for (DatasetRef ref : manifest.datasets()) {
                if (ref != null && ref.key() != null && !excluded.contains(ref.key())) {
                    earlier.putIfAbsent(ref.key(), ref);
                }
            }
        }
        List<DatasetRef> result = List.copyOf(earlier.values());
        for (DatasetRef ref : result) {
            if (heldOut.contains(ref.key())) {
                throw new IllegalStateException("held-out dataset " + ref.key() + " would be replayed into training");
            }
        }
        return result;
    }

    /**
     * The champion's lineage, champion first, following {@code parentVersion} back to the root. A parent that is
     * missing ends the walk (its datasets are then not replayed); a cycle or a lineage longer than
     * {@value #MAX_LINEAGE} is an {@link IllegalStateException}.
     */
    public static List<AdapterManifest> lineage(AdapterManifest champion, ManifestLookup lookup) throws IOException {
        List<AdapterManifest> lineage = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        AdapterManifest current = champion;
        while (current != null) {
            if (current.version() != null && !seen.add(current.version())) {
                throw new IllegalStateException("adapter lineage of " + champion.version() + " has a cycle at "
                        + current.version());
            }
            if (lineage.size() >= MAX_LINEAGE) {
                throw new IllegalStateException("adapter lineage of " + champion.version() + " is longer than "
                        + MAX_LINEAGE + " versions");
            }
            lineage.add(current);
            String parent = current.parentVersion();
            current = parent == null ? null : lookup.manifest(parent).orElse(null);
        }
        return List.copyOf(lineage);
    }

    private static void requireSettings(double ratio, int maxExamples) {
        if (!(ratio >= 0) || !Double.isFinite(ratio)) {
            throw new IllegalArgumentException("replay-ratio must be >= 0, got " + ratio);
        }
        if (maxExamples < 0) {
            throw new IllegalArgumentException("replay-max-examples must be >= 0, got " + maxExamples);
        }
    }
}
