package dev.adapterloop.training;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.model.safetensors.SafetensorsFile;
import dev.adapterloop.model.safetensors.Tensor;
import io.quarkus.logging.Log;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Checkpoints in a folder, one sub-folder per step ({@code step-00000120/} with {@code state.json} and
 * {@code tensors.safetensors}). A checkpoint is written under a temporary name, synced and renamed into place, so a
 * crash mid-write leaves no half checkpoint under a real name; {@code state.json} records the sha256 of the tensors,
 * so a damaged one is detected and the previous one used. The last {@value #KEEP} are kept.
 *
 * <p>With a {@link BucketCheckpoints}, each checkpoint is also copied to the bucket once it is complete here, and
 * {@link #latest} considers the bucket's too, downloading the newest when it is newer than any on this disk: a run
 * started on another machine, or on a fresh disk, resumes where the last one stopped. The bucket is a best effort
 * while writing (a failed upload is a warning; the run goes on with its local checkpoint) and while reading (an
 * unreachable bucket means this disk's checkpoints only).
 */
final class CheckpointStore {

    static final int KEEP = 2;
    private static final int FORMAT_VERSION = 1;
    static final String STATE = "state.json";
    static final String TENSORS = "tensors.safetensors";
    static final String PREFIX = "step-";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> GROUPS = Map.of("parameters", "parameters/", "firstMoments", "adam_m/",
            "secondMoments", "adam_v/", "bestParameters", "best/");

    private final Path dir;
    private final BucketCheckpoints bucket;

    CheckpointStore(Path dir) {
        this(dir, null);
    }

    CheckpointStore(Path dir, BucketCheckpoints bucket) {
        this.dir = dir;
        this.bucket = bucket;
    }

    /** What state.json holds besides the tensors; infinite best losses are written as null. */
    record State(@JsonProperty("format_version") int formatVersion, @JsonProperty("fingerprint") String fingerprint,
                 @JsonProperty("step") int step, @JsonProperty("loss_curve") List<Float> lossCurve,
                 @JsonProperty("optimizer_steps") int optimizerSteps, @JsonProperty("best_loss") Double bestLoss,
                 @JsonProperty("best_step") int bestStep, @JsonProperty("since_best") int sinceBest,
                 @JsonProperty("loss_scale") double lossScale,
                 @JsonProperty("clean_scaled_steps") int cleanScaledSteps,
                 @JsonProperty("skipped_scaled_steps") int skippedScaledSteps,
                 @JsonProperty("tensors_sha256") String tensorsSha256,
                 @JsonProperty("step_rates") List<StepRate> stepRates) {
    }

    void write(TrainingCheckpoint checkpoint) throws IOException {
        Files.createDirectories(dir);
        Path partial = dir.resolve(".partial-" + UUID.randomUUID());
        Files.createDirectories(partial);
        List<Tensor> tensors = new ArrayList<>();
        addAll(tensors, GROUPS.get("parameters"), checkpoint.parameters());
        addAll(tensors, GROUPS.get("firstMoments"), checkpoint.firstMoments());
        addAll(tensors, GROUPS.get("secondMoments"), checkpoint.secondMoments());
        addAll(tensors, GROUPS.get("bestParameters"), checkpoint.bestParameters());
        byte[] tensorBytes = SafetensorsFile.toBytes(tensors, Map.of());
        Double bestLoss = Double.isFinite(checkpoint.bestLoss()) ? checkpoint.bestLoss() : null;
        State state = new State(FORMAT_VERSION, checkpoint.fingerprint(), checkpoint.step(), checkpoint.lossCurve(),
                checkpoint.optimizerSteps(), bestLoss, checkpoint.bestStep(), checkpoint.sinceBest(),
                checkpoint.lossScale(), checkpoint.cleanScaledSteps(), checkpoint.skippedScaledSteps(),
                sha256(tensorBytes), checkpoint.stepRates());
        writeSynced(partial.resolve(TENSORS), tensorBytes);
        writeSynced(partial.resolve(STATE), JSON.writeValueAsBytes(state));
        Path target = dir.resolve(String.format("%s%08d", PREFIX, checkpoint.step()));
        deleteRecursively(target);
        try {
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("checkpoint folder " + dir + " does not support atomic renames", e);
        }
        syncDirectory(dir);
        prune();
        if (bucket != null) {
            copyToBucket(target);
        }
    }

    private void copyToBucket(Path checkpoint) {
        String step = checkpoint.getFileName().toString();
        try {
            bucket.upload(step, checkpoint);
            List<String> stored = bucket.steps();
            for (int i = 0; i < stored.size() - KEEP; i++) {
                bucket.delete(stored.get(i));
            }
        } catch (RuntimeException e) {
            Log.warnf("checkpoint %s is on this machine only: copying it to %s failed: %s", step, bucket,
                    e.getMessage());
        }
    }

    /**
     * The newest checkpoint that is intact and belongs to this run ({@code fingerprint}); damaged ones are skipped
     * with a warning. A checkpoint of another configuration or data set is an error, not something to skip: resuming
     * from the wrong run, or silently restarting over it, would both be surprises.
     */
    Optional<TrainingCheckpoint> latest(String fingerprint) throws IOException {
        List<String> local = checkpoints().stream().map(p -> p.getFileName().toString()).toList();
        List<String> remote = bucketSteps();
        TreeSet<String> candidates = new TreeSet<>(local);
        candidates.addAll(remote);
        for (String name : candidates.descendingSet()) {
            TrainingCheckpoint checkpoint = readHereOrFromBucket(name, local.contains(name), remote.contains(name));
            if (checkpoint == null) {
                continue;
            }
            if (!checkpoint.fingerprint().equals(fingerprint)) {
                throw new TrainingFailedException("checkpoint " + where(name, local) + " belongs to another"
                        + " configuration or data set (fingerprint " + checkpoint.fingerprint() + ", this run "
                        + fingerprint + "); remove " + dir + (bucket == null ? "" : " and " + bucket)
                        + " to start over");
            }
            if (!local.contains(name)) {
                Log.infof("resuming from checkpoint %s, copied from %s", name, bucket);
            }
            return Optional.of(checkpoint);
        }
        if (!candidates.isEmpty()) {
            throw new TrainingFailedException("none of the " + candidates.size() + " checkpoints in " + dir
                    + (remote.isEmpty() ? "" : " and " + bucket) + " is readable; remove them to start over");
        }
        return Optional.empty();
    }

    /** The checkpoint, from this disk if it is intact here, else from the bucket; null, with a warning, if neither. */
    private TrainingCheckpoint readHereOrFromBucket(String name, boolean here, boolean inBucket) {
        if (here) {
            try {
                return read(dir.resolve(name));
            } catch (IOException | RuntimeException e) {
                Log.warnf("skipping damaged checkpoint %s: %s%s", dir.resolve(name), e.getMessage(),
                        inBucket ? "; trying the bucket's copy" : "");
            }
        }
        if (inBucket) {
            try {
                download(name);
                return read(dir.resolve(name));
            } catch (IOException | RuntimeException e) {
                Log.warnf("skipping damaged checkpoint %s in %s: %s", name, bucket, e.getMessage());
            }
        }
        return null;
    }

    private List<String> bucketSteps() {
        if (bucket == null) {
            return List.of();
        }
        try {
            return bucket.steps();
        } catch (RuntimeException e) {
            Log.warnf("cannot list the checkpoints in %s (%s): looking on this machine only", bucket, e.getMessage());
            return List.of();
        }
    }

    /** Downloads a checkpoint from the bucket into place here, under a temporary name until it is complete. */
    private void download(String name) throws IOException {
        Files.createDirectories(dir);
        Path partial = dir.resolve(".partial-" + UUID.randomUUID());
        try {
            bucket.download(name, partial);
            Path target = dir.resolve(name);
            deleteRecursively(target);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteRecursively(partial);
        }
    }

    private String where(String name, List<String> local) {
        return local.contains(name) ? dir.resolve(name).toString() : name + " in " + bucket;
    }

    private TrainingCheckpoint read(Path folder) throws IOException {
        State state = JSON.readValue(folder.resolve(STATE).toFile(), State.class);
        if (state.formatVersion() != FORMAT_VERSION) {
            throw new IOException("format version " + state.formatVersion() + ", this build reads "
                    + FORMAT_VERSION);
        }
        byte[] tensorBytes = Files.readAllBytes(folder.resolve(TENSORS));
        if (!sha256(tensorBytes).equals(state.tensorsSha256())) {
            throw new IOException(TENSORS + " does not match the sha256 in " + STATE + " (truncated or damaged)");
        }
        Map<String, Tensor> tensors = SafetensorsFile.read(tensorBytes);
        return new TrainingCheckpoint(state.fingerprint(), state.step(), state.lossCurve(), state.optimizerSteps(),
                group(tensors, GROUPS.get("parameters")), group(tensors, GROUPS.get("firstMoments")),
                group(tensors, GROUPS.get("secondMoments")), group(tensors, GROUPS.get("bestParameters")),
                state.bestLoss() == null ? Double.POSITIVE_INFINITY : state.bestLoss(), state.bestStep(),
                state.sinceBest(), state.lossScale(), state.cleanScaledSteps(), state.skippedScaledSteps(),
                StepRate.padded(state.stepRates(), state.lossCurve().size()));
    }

    private List<Path> checkpoints() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(PREFIX)).sorted().toList();
        }
    }

    private void prune() throws IOException {
        List<Path> all = checkpoints();
        for (int i = 0; i < all.size() - KEEP; i++) {
            deleteRecursively(all.get(i));
        }
    }

    private static void addAll(List<Tensor> tensors, String prefix, Map<String, float[]> values) {
        values.forEach((name, array) -> tensors.add(Tensor.ofFloats(prefix + name, new long[] {array.length},
                array)));
    }

    private static Map<String, float[]> group(Map<String, Tensor> tensors, String prefix) {
        Map<String, float[]> values = new LinkedHashMap<>();
        tensors.forEach((name, tensor) -> {
            if (name.startsWith(prefix)) {
                values.put(name.substring(prefix.length()), tensor.toFloats());
            }
        });
        return values;
    }

    private static void writeSynced(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems cannot sync a directory; the rename is still atomic, only its durability is weaker.
            Log.debugf("could not sync %s: %s", directory, e.getMessage());
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
