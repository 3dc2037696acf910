package dev.adapterloop.dataset;

import java.util.List;
import java.util.Objects;

/**
 * What {@link JsonlDatasetReader} read: the examples in file order, how many non-blank lines were skipped as
 * malformed, and the reasons for the first few of them (at most {@link JsonlDatasetReader#MAX_REPORTED_ERRORS}).
 */
public record JsonlReadResult(List<LabeledExample> examples, int skippedLines, List<LineError> firstErrors) {
    public JsonlReadResult {
        examples = List.copyOf(examples);
        firstErrors = List.copyOf(firstErrors);
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("examples must not be empty");
        }
        if (skippedLines < firstErrors.size()) {
            throw new IllegalArgumentException(
                    "skippedLines must be >= firstErrors.size() (" + firstErrors.size() + "), got " + skippedLines);
        }
    }

    /** One malformed line: its 1-based number and why it was not an example. */
    public record LineError(int line, String reason) {
        public LineError {
            if (line < 1) {
                throw new IllegalArgumentException("line must be >= 1, got " + line);
            }
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String toString() {
            return "line " + line + ": " + reason;
        }
    }
}
