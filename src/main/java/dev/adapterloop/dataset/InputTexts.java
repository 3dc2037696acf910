package dev.adapterloop.dataset;

/**
 * The input text of a dataset line, whatever its task's kind: a labeled example's {@code text}, a prompt/completion
 * record's {@code prompt}. What production feedback is compared with to keep held-out inputs out of training.
 */
public final class InputTexts {

    private InputTexts() {
    }

    /** Parses a line to its input text; chat records and lines with neither field are malformed here. */
    public static final JsonlRecordReader.LineParser<String> PARSER = line -> {
        var node = JsonlLineParser.object(line);
        return JsonlLineParser.requiredString(node, node.has("text") ? "text" : "prompt");
    };
}
