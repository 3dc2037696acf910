package dev.adapterloop.training;

import dev.adapterloop.registry.ObjectStore;
import java.nio.file.Path;
import java.util.List;

/**
 * A copy of one run's checkpoints in the bucket, {@code tasks/<task>/checkpoints/<run>/step-NNNNNNNN/}, so that a job
 * that runs again elsewhere (the replica that took its partition over, a pod rescheduled onto a fresh disk) resumes
 * where it stopped instead of at step 0. Each checkpoint is uploaded after it is complete on local disk, its tensors
 * before its state, and {@code state.json} holds the tensors' sha256, so a reader never takes a partial upload for a
 * checkpoint. Two processes running the same job write the same bytes at the same steps (training is deterministic),
 * so their uploads cannot disagree.
 */
public final class BucketCheckpoints {

    private final ObjectStore store;
    private final String prefix;

    /** @param run the job's checkpoint key, as its local checkpoint folder is named */
    public BucketCheckpoints(ObjectStore store, String task, String run) {
        this.store = store;
        this.prefix = "tasks/" + task + "/checkpoints/" + run + "/";
    }

    String prefix() {
        return prefix;
    }

    /** Uploads a complete local checkpoint folder: every file but the state first, the state last. */
    void upload(String step, Path folder) {
        store.putFile(prefix + step + "/" + CheckpointStore.TENSORS, folder.resolve(CheckpointStore.TENSORS));
        store.putFile(prefix + step + "/" + CheckpointStore.STATE, folder.resolve(CheckpointStore.STATE));
    }

    /** The step folders in the bucket, oldest first (their names sort by step). */
    List<String> steps() {
        return store.listFolders(prefix).stream().filter(name -> name.startsWith(CheckpointStore.PREFIX)).sorted()
                .toList();
    }

    void download(String step, Path folder) {
        store.download(prefix + step + "/" + CheckpointStore.TENSORS, folder.resolve(CheckpointStore.TENSORS));
        store.download(prefix + step + "/" + CheckpointStore.STATE, folder.resolve(CheckpointStore.STATE));
    }

    /** Removes one step folder, its state first so that no reader sees a state without its tensors. */
    void delete(String step) {
        store.delete(prefix + step + "/" + CheckpointStore.STATE);
        store.delete(prefix + step + "/" + CheckpointStore.TENSORS);
    }

    /** Removes every checkpoint of the run, for when its job has succeeded. */
    void deleteAll() {
        for (String key : store.list(prefix)) {
            store.delete(key);
        }
    }

    @Override
    public String toString() {
        return "bucket " + store.bucket() + ", " + prefix;
    }
}
