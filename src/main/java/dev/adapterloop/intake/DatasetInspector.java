package dev.adapterloop.intake;

import dev.adapterloop.dataset.CompletionDatasetReader;
import dev.adapterloop.dataset.CompletionRecord;
import dev.adapterloop.dataset.DatasetFormatException;
import dev.adapterloop.dataset.DatasetTooLargeException;
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
import java.util.List;

/**
 * Reads a dataset once at intake: its sha256 (checked against the event's when announced), its valid records, and its
 * malformed lines, which the task's policy either skips with a count or turns into a rejection. A label the task does
 * not know is a malformed line too: it would otherwise fail the job hours later.
 */
final class DatasetInspector {

    private final AdapterRegistry registry;
    private final long maxBytes;

    DatasetInspector(AdapterRegistry registry, long maxBytes) {
        this.registry = registry;
        this.maxBytes = maxBytes;
    }

    /**
     * A generation task's dataset: prompt/completion or chat records ({@link CompletionDatasetReader}); the ref with
     * the measured sha256 and valid record count. Token budgets are checked when the job tokenizes (intake has no
     * tokenizer).
     */
    DatasetRef inspectCompletions(String task, DatasetRef ref, String field, MalformedLinePolicy policy)
            throws InvalidEventException {
        DigestedRead.Digested<JsonlRecordReader.Result<CompletionRecord>> read;
        try {
            read = DigestedRead.digest(registry.openDataset(task, ref.key()),
                    new CompletionDatasetReader(maxBytes, policy)::read);
        } catch (DatasetFormatException | DatasetTooLargeException e) {
            throw new InvalidEventException(field + ": dataset " + ref.key() + " rejected: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read dataset " + ref.key() + ": " + e.getMessage(), e);
        }
        JsonlRecordReader.Result<CompletionRecord> result = read.result();
        if (ref.sha256() != null && !ref.sha256().equalsIgnoreCase(read.sha256())) {
            throw new InvalidEventException(field + ": dataset " + ref.key() + " has sha256 " + read.sha256()
                    + ", the event announced " + ref.sha256());
        }
        if (result.skippedLines() > 0) {
            Log.warnf("dataset %s: skipping %d malformed lines, first: %s", ref.key(), result.skippedLines(),
                    result.firstErrors());
        }
        int valid = result.records().size();
        int lines = valid + result.skippedLines();
        if (ref.records() != null && ref.records() != lines && ref.records() != valid) {
            throw new InvalidEventException(field + ": dataset " + ref.key() + " has " + valid + " valid records ("
                    + lines + " lines), the event announced " + ref.records());
        }
        return new DatasetRef(ref.key(), (long) valid, read.sha256());
    }

    /** The ref with the measured sha256 and valid record count. */
    DatasetRef inspect(String task, DatasetRef ref, String field, List<String> labels, MalformedLinePolicy policy)
            throws InvalidEventException {
        DigestedRead read;
        try {
            read = DigestedRead.of(registry.openDataset(task, ref.key()), new JsonlDatasetReader(maxBytes, policy));
        } catch (DatasetFormatException | DatasetTooLargeException e) {
            throw new InvalidEventException(field + ": dataset " + ref.key() + " rejected: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read dataset " + ref.key() + ": " + e.getMessage(), e);
        }
        JsonlReadResult result = read.result();
        String actual = read.sha256();
        if (ref.sha256() != null && !ref.sha256().equalsIgnoreCase(actual)) {
            throw new InvalidEventException(field + ": dataset " + ref.key() + " has sha256 " + actual
                    + ", the event announced " + ref.sha256());
        }
        List<LabeledExample> known = result.examples().stream().filter(e -> labels.contains(e.label())).toList();
        int unknownLabels = result.examples().size() - known.size();
        if (unknownLabels > 0) {
            String first = result.examples().stream().filter(e -> !labels.contains(e.label())).findFirst()
                    .map(LabeledExample::label).orElseThrow();
            if (policy == MalformedLinePolicy.REJECT_DATASET) {
                throw new InvalidEventException(field + ": dataset " + ref.key() + " rejected: " + unknownLabels
                        + " records have labels the task does not know (first: '" + first + "'; labels: " + labels
                        + ")");
            }
            Log.warnf("dataset %s: skipping %d records with unknown labels (first: '%s'; labels: %s)", ref.key(),
                    unknownLabels, first, labels);
        }
        if (result.skippedLines() > 0) {
            Log.warnf("dataset %s: skipping %d malformed lines, first: %s", ref.key(), result.skippedLines(),
                    result.firstErrors());
        }
        if (known.isEmpty()) {
            throw new InvalidEventException(field + ": dataset " + ref.key() + " has no usable records ("
                    + result.skippedLines() + " malformed lines, " + unknownLabels + " unknown labels)");
        }
        if (ref.records() != null && ref.records() != read.lines() && ref.records() != result.examples().size()) {
            throw new InvalidEventException(field + ": dataset " + ref.key() + " has " + result.examples().size()
                    + " valid records (" + read.lines() + " lines), the event announced " + ref.records());
        }
        return new DatasetRef(ref.key(), (long) known.size(), actual);
    }
}
