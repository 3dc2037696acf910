package dev.adapterloop.training;

import dev.adapterloop.dataset.ChatTurn;
import dev.adapterloop.dataset.CompletionRecord;
import dev.adapterloop.dataset.LabeledExample;
import io.quarkus.runtime.configuration.MemorySize;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * What one job's examples may take in memory: the job holds its datasets' examples (and their token ids) for the
 * whole run, so a dataset of millions of small records would otherwise run the process out of heap, and the event,
 * redelivered, would do it again. Each example is charged as it is read, so the read stops at the first example past
 * the budget, with a {@link DataTooLargeException} that says how far it got, long before memory runs out.
 *
 * <p>The estimate per example is deliberately high: a String's header and UTF-16 chars (Java stores Latin-1 text in
 * one byte a char, so this over-counts it), the record and list slot, and the token ids the trainer keeps (8 bytes a
 * token up to the maximum sequence length). The budget is {@code adapterloop.training.max-data-memory}, by default a
 * quarter of the heap the JVM may use.
 */
final class DataMemoryBudget {

    static final String KEY = "adapterloop.training.max-data-memory";
    /** A String and a record with their headers, references and the list slot holding the example. */
    private static final long PER_EXAMPLE = 128;

    private final long limitBytes;
    private final long tokenBytes;
    private long usedBytes;
    private long examples;

    DataMemoryBudget(long limitBytes, int maxSequenceLength) {
        if (limitBytes <= 0) {
            throw new IllegalArgumentException(KEY + " must be positive, got " + limitBytes + " bytes");
        }
        this.limitBytes = limitBytes;
        this.tokenBytes = 8L * Math.max(1, maxSequenceLength) + 16;
    }

    /** The configured budget, else a quarter of the JVM's maximum heap. */
    static DataMemoryBudget forJob(int maxSequenceLength) {
        long limit = ConfigProvider.getConfig().getOptionalValue(KEY, MemorySize.class).map(MemorySize::asLongValue)
                .orElse(Runtime.getRuntime().maxMemory() / 4);
        return new DataMemoryBudget(limit, maxSequenceLength);
    }

    void charge(String datasetKey, LabeledExample example) {
        charge(datasetKey, PER_EXAMPLE + 2L * (example.text().length() + example.label().length()) + tokenBytes);
    }

    void charge(String datasetKey, CompletionRecord record) {
        long chars = 0;
        if (record.isChat()) {
            for (ChatTurn turn : record.messages()) {
                chars += turn.content().length() + turn.role().length() + 16;
            }
        } else {
            chars = record.prompt().length() + record.completion().length();
        }
        charge(datasetKey, PER_EXAMPLE + 2L * chars + tokenBytes);
    }

    private void charge(String datasetKey, long bytes) {
        usedBytes += bytes;
        examples++;
        if (usedBytes > limitBytes) {
            throw new DataTooLargeException("the job's examples need more memory than " + KEY + " allows ("
                    + limitBytes + " bytes): the budget was spent after " + examples + " examples, at dataset "
                    + datasetKey + ". Raise " + KEY + " (and the heap), lower the task's intake.max-records, or"
                    + " send the data in smaller datasets over several events");
        }
    }

    long usedBytes() {
        return usedBytes;
    }
}
