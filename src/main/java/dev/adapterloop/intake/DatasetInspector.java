package dev.adapterloop.intake;

import dev.adapterloop.dataset.CompletionDatasetReader;
import dev.adapterloop.dataset.CompletionRecord;
import dev.adapterloop.dataset.DatasetFormatException;
import dev.adapterloop.dataset.DatasetTooLargeException;
import dev.adapterloop.dataset.DigestedRead;
import dev.adapterloop.dataset.JsonlDatasetReader;
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
 * not know is a malformed line too: it would otherwise fail the job hours later. Records are counted as they stream
 * past, never kept, so a dataset of millions of tiny records costs intake no memory; more than the task's
 * {@code intake.max-records} non-blank lines refuse the dataset.
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
    DatasetRef inspectCompletions(String task, DatasetRef ref, String field, MalformedLinePolicy policy,
            long maxRecords) throws InvalidEventException {
        JsonlRecordReader<CompletionRecord> reader = new CompletionDatasetReader(maxBytes, policy).records()
                .withMaxRecords(maxRecords);
        DigestedRead.Digested<JsonlRecordReader.Counts> read = read(task, ref, field, maxRecords,
                in -> reader.read(in, record -> { }));
        JsonlRecordReader.Counts counts = read.result();
        if (ref.sha256() != null && !ref.sha256().equalsIgnoreCase(read.sha256())) {
            throw new InvalidEventException(field + ": dataset " + ref.key() + " has sha256 " + read.sha256()
                    + ", the event announced " + ref.sha256());
        }
        if (counts.skippedLines() > 0) {
            Log.warnf("dataset %s: skipping %d malformed lines, first: %s", ref.key(), counts.skippedLines(),
                    counts.firstErrors());
        }
        long valid = counts.records();
        long lines = valid + counts.skippedLines();
        if (ref.records() != null && ref.records() != lines && ref.records() != valid) {
            throw new InvalidEventException(field + ": dataset " + ref.key() + " has " + valid + " valid records ("
                    + lines + " lines), the event announced " + ref.records());
        }
        return new DatasetRef(ref.key(), valid, read.sha256());
    }

    /** Labels seen while streaming: the task's, counted, and the others, counted with the first. */
    private static final class LabelCounts implements java.util.function.Consumer<LabeledExample> {
        private final List<String> labels;
        long known;
        long unknown;
        String firstUnknown;

        LabelCounts(List<String> labels) {
            this.labels = labels;
        }

        @Override
        public void accept(LabeledExample example) {
            if (labels.contains(example.label())) {
                known++;
            } else if (unknown++ == 0) {
                firstUnknown = example.label();
            }
        }
    }

    /** The ref with the measured sha256 and valid record count. */
    DatasetRef inspect(String task, DatasetRef ref, String field, List<String> labels, MalformedLinePolicy policy,
            long maxRecords) throws InvalidEventException {
        JsonlRecordReader<LabeledExample> reader = new JsonlDatasetReader(maxBytes, policy).records()
                .withMaxRecords(maxRecords);
        LabelCounts seen = new LabelCounts(labels);
        DigestedRead.Digested<JsonlRecordReader.Counts> read = read(task, ref, field, maxRecords,
                in -> reader.read(in, seen));
        JsonlRecordReader.Counts counts = read.result();
        String actual = read.sha256();
        if (ref.sha256() != null && !ref.sha256().equalsIgnoreCase(actual)) {
            throw new InvalidEventException(field + ": dataset " + ref.key() + " has sha256 " + actual
                    + ", the event announced " + ref.sha256());
        }
        if (seen.unknown > 0) {
            if (policy == MalformedLinePolicy.REJECT_DATASET) {
                throw new InvalidEventException(field + ": dataset " + ref.key() + " rejected: " + seen.unknown
                        + " records have labels the task does not know (first: '" + seen.firstUnknown + "'; labels: "
                        + labels + ")");
            }
            Log.warnf("dataset %s: skipping %d records with unknown labels (first: '%s'; labels: %s)", ref.key(),
                    seen.unknown, seen.firstUnknown, labels);
        }
        if (counts.skippedLines() > 0) {
            Log.warnf("dataset %s: skipping %d malformed lines, first: %s", ref.key(), counts.skippedLines(),
                    counts.firstErrors());
        }
        if (seen.known == 0) {
            throw new InvalidEventException(field + ": dataset " + ref.key() + " has no usable records ("
                    + counts.skippedLines() + " malformed lines, " + seen.unknown + " unknown labels)");
        }
        long lines = counts.records() + counts.skippedLines();
        if (ref.records() != null && ref.records() != lines && ref.records() != counts.records()) {
            throw new InvalidEventException(field + ": dataset " + ref.key() + " has " + counts.records()
                    + " valid records (" + lines + " lines), the event announced " + ref.records());
        }
        return new DatasetRef(ref.key(), seen.known, actual);
    }

    private <R> DigestedRead.Digested<R> read(String task, DatasetRef ref, String field, long maxRecords,
            DigestedRead.StreamReader<R> reader) throws InvalidEventException {
        try {
            return DigestedRead.digest(registry.openDataset(task, ref.key()), reader);
        } catch (DatasetTooLargeException e) {
            throw new InvalidEventException(field + ": dataset " + ref.key() + " rejected: " + e.getMessage()
                    + (e.maxBytes() == 0 ? " (adapterloop.tasks." + task + ".intake.max-records=" + maxRecords + ")"
                            : ""), e);
        } catch (DatasetFormatException e) {
            throw new InvalidEventException(field + ": dataset " + ref.key() + " rejected: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read dataset " + ref.key() + ": " + e.getMessage(), e);
        }
    }
}
