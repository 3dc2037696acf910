package dev.adapterloop.training;

import dev.adapterloop.dataset.CompletionDatasetReader;
import dev.adapterloop.dataset.CompletionRecord;
import dev.adapterloop.dataset.DigestedRead;
import dev.adapterloop.dataset.JsonlDatasetReader;
import dev.adapterloop.dataset.JsonlReadResult;
import dev.adapterloop.dataset.JsonlRecordReader;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.dataset.MalformedLinePolicy;
import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.registry.AdapterRegistry;
import io.quarkus.logging.Log;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a task's JSONL datasets from the bucket, checking the sha256 and record count an event announced. Malformed
 * lines are skipped and counted (never silently): the count and the first reasons are logged.
 */
final class DatasetLoader {

    /** Upper bound on one dataset object; larger ones are rejected before they are read into memory. */
    static final long MAX_DATASET_BYTES = 512L * 1024 * 1024;

    private final AdapterRegistry registry;

    DatasetLoader(AdapterRegistry registry) {
        this.registry = registry;
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
        DigestedRead.Digested<JsonlRecordReader.Result<CompletionRecord>> read = DigestedRead.digest(
                registry.openDataset(task, ref.key()),
                new CompletionDatasetReader(MAX_DATASET_BYTES, MalformedLinePolicy.SKIP_AND_COUNT)::read);
        JsonlRecordReader.Result<CompletionRecord> result = read.result();
        checkAsAccepted(ref, read.sha256(), result.records().size(), result.records().size() + result.skippedLines());
        if (result.skippedLines() > 0) {
            Log.warnf("Dataset %s: skipped %d malformed lines, first: %s", ref.key(), result.skippedLines(),
                    result.firstErrors());
        }
        return new Completions(result.records(), read.sha256());
    }

    private static void checkAsAccepted(DatasetRef ref, String actual, int valid, int lines) {
        if (ref.sha256() != null && !ref.sha256().equalsIgnoreCase(actual)) {
            throw new BadDataException("dataset " + ref.key() + " has sha256 " + actual + ", but " + ref.sha256()
                    + " was accepted: the object changed after intake");
        }
        if (ref.records() != null && ref.records() > valid) {
            throw new BadDataException("dataset " + ref.key() + " has " + valid + " valid records (" + lines
                    + " lines), the event announced " + ref.records());
        }
    }

    List<LabeledExample> read(String task, DatasetRef ref) throws IOException {
        DigestedRead read = DigestedRead.of(registry.openDataset(task, ref.key()),
                new JsonlDatasetReader(MAX_DATASET_BYTES, MalformedLinePolicy.SKIP_AND_COUNT));
        JsonlReadResult result = read.result();
        checkAsAccepted(ref, read.sha256(), result.examples().size(), read.lines());
        if (result.skippedLines() > 0) {
            Log.warnf("Dataset %s: skipped %d malformed lines, first: %s", ref.key(), result.skippedLines(),
                    result.firstErrors());
        }
        return result.examples();
    }
}
