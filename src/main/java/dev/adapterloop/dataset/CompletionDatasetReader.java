package dev.adapterloop.dataset;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a generation task's JSONL dataset ({@link CompletionRecord} per line) with the same byte limit, blank-line and
 * malformed-line rules as labeled data ({@link JsonlRecordReader}).
 */
public record CompletionDatasetReader(long maxBytes, MalformedLinePolicy policy) {

    /** The line loop under this reader's limits, for reads that stream the records instead of keeping them. */
    public JsonlRecordReader<CompletionRecord> records() {
        return new JsonlRecordReader<>(maxBytes, policy, CompletionLineParser::parse);
    }

    /** Reads {@code in} to its end (or to the limit) without closing it. */
    public JsonlRecordReader.Result<CompletionRecord> read(InputStream in) throws IOException {
        return records().read(in);
    }
}
