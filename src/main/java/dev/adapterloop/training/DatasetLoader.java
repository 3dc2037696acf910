package dev.adapterloop.training;

import dev.adapterloop.dataset.CompletionDatasetReader;
import dev.adapterloop.dataset.CompletionRecord;
import dev.adapterloop.dataset.DigestedRead;
import dev.adapterloop.dataset.JsonlDatasetReader;
import dev.adapterloop.dataset.JsonlRecordReader;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.dataset.MalformedLinePolicy;
import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.registry.AdapterRegistry;
import io.quarkus.logging.Log;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads a task's JSONL datasets from the bucket, checking the sha256 and record count an event announced. Malformed
 * lines are skipped and counted (never silently): the count and the first reasons are logged.
 */
final class DatasetLoader {

    /** Upper bound on one dataset object; larger ones are rejected before they are read into memory. */
    static final long MAX_DATASET_BYTES = 512L * 1024 * 1024;

    private final AdapterRegistry registry;
    private final DataMemoryBudget budget;

    /** @param budget charged with every example read, over all of this loader's reads (one job's) */
    DatasetLoader(AdapterRegistry registry, DataMemoryBudget budget) {
        this.registry = registry;
        this.budget = budget;
    }

    List<LabeledExample> readAll(String task, List<DatasetRef> refs, List<String> labels) throws IOException {
        List<LabeledExample> all = new ArrayList<>();
        for (DatasetRef ref : refs) {
            all.addAll(read(task, ref, labels));
        }
        return all;
    }

    /** The valid examples with a label of the task; intake already counted (or refused) the others. */
    List<LabeledExample> read(String task, DatasetRef ref, List<String> labels) throws IOException {
        List<LabeledExample> known = read(task, ref).stream().filter(e -> labels.contains(e.label())).toList();
        if (known.isEmpty()) {
            throw new BadDataException("dataset " + ref.key() + " has no example with one of the labels " + labels);
        }
        return known;
    }

    /** A generation dataset's valid records and the sha256 of the object they were read from. */
    record Completions(List<CompletionRecord> records, String sha256) {
    }

    /** A generation task's records (prompt/completion or chat), checked as {@link #read(String, DatasetRef)} does. */
    Completions readCompletions(String task, DatasetRef ref) throws IOException {
        List<CompletionRecord> records = new ArrayList<>();
        String sha256 = stream(task, ref, new CompletionDatasetReader(MAX_DATASET_BYTES,
                MalformedLinePolicy.SKIP_AND_COUNT).records(), record -> {
                    budget.charge(ref.key(), record);
                    records.add(record);
                });
        return new Completions(records, sha256);
    }

    /**
     * Hands an earlier dataset's records to {@code sink} (a replay reservoir, which keeps a bounded sample), once the
     * dataset checked out as {@link #readCompletions} checks it: a dataset changed since intake gives nothing. Not
     * charged to the job's budget: only one earlier dataset is held at a time (within intake's caps), and only the
     * sample stays.
     */
    void replayCompletions(String task, DatasetRef ref, Consumer<CompletionRecord> sink) throws IOException {
        List<CompletionRecord> checked = new ArrayList<>();
        stream(task, ref, new CompletionDatasetReader(MAX_DATASET_BYTES, MalformedLinePolicy.SKIP_AND_COUNT)
                .records(), checked::add);
        checked.forEach(sink);
    }

    /** A classification dataset's valid examples, whatever their labels, charged to the job's memory budget. */
    List<LabeledExample> read(String task, DatasetRef ref) throws IOException {
        List<LabeledExample> examples = new ArrayList<>();
        stream(task, ref, labeled(), example -> {
            budget.charge(ref.key(), example);
            examples.add(example);
        });
        return examples;
    }

    /** As {@link #replayCompletions}, for a classification dataset's examples. */
    void replay(String task, DatasetRef ref, Consumer<LabeledExample> sink) throws IOException {
        List<LabeledExample> checked = new ArrayList<>();
        stream(task, ref, labeled(), checked::add);
        checked.forEach(sink);
    }

    private static JsonlRecordReader<LabeledExample> labeled() {
        return new JsonlDatasetReader(MAX_DATASET_BYTES, MalformedLinePolicy.SKIP_AND_COUNT).records();
    }

    /** Streams the dataset's records to {@code sink}, then checks them against what intake accepted; the sha256. */
    private <T> String stream(String task, DatasetRef ref, JsonlRecordReader<T> reader, Consumer<? super T> sink)
            throws IOException {
        DigestedRead.Digested<JsonlRecordReader.Counts> read = DigestedRead.digest(
                registry.openDataset(task, ref.key()), in -> reader.read(in, sink));
        JsonlRecordReader.Counts counts = read.result();
        checkAsAccepted(ref, read.sha256(), counts.records(), counts.records() + counts.skippedLines());
        if (counts.skippedLines() > 0) {
            Log.warnf("Dataset %s: skipped %d malformed lines, first: %s", ref.key(), counts.skippedLines(),
                    counts.firstErrors());
        }
        return read.sha256();
    }

    private static void checkAsAccepted(DatasetRef ref, String actual, long valid, long lines) {
        if (ref.sha256() != null && !ref.sha256().equalsIgnoreCase(actual)) {
            throw new BadDataException("dataset " + ref.key() + " has sha256 " + actual + ", but " + ref.sha256()
                    + " was accepted: the object changed after intake");
        }
        if (ref.records() != null && ref.records() > valid) {
            throw new BadDataException("dataset " + ref.key() + " has " + valid + " valid records (" + lines
                    + " lines), the event announced " + ref.records());
        }
    }
}
