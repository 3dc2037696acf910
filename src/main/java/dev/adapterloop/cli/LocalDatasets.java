package dev.adapterloop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.dataset.DatasetDigest;
import dev.adapterloop.dataset.CompletionDatasetReader;
import dev.adapterloop.dataset.DatasetFormatException;
import dev.adapterloop.dataset.JsonlDatasetReader;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.dataset.MalformedLinePolicy;
import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.registry.AdapterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Local JSONL files given on the command line. They are read strictly (a person is at the keyboard: the first bad
 * line stops the command, named by its number) and uploaded into the task's dataset prefix under a content-derived
 * key, so a version trained from a local file has the same lineage as one trained by the service: its manifest names
 * a dataset object (with sha256 and record count) that later jobs can replay and anyone can re-read.
 */
final class LocalDatasets {

    /** The same bound the service puts on one dataset object. */
    static final long MAX_BYTES = 512L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private LocalDatasets() {
    }

    /** Every example of {@code file}; each label must be one of {@code labels}. */
    static List<LabeledExample> read(Path file, List<String> labels) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw CliException.notFound("no such file: " + file);
        }
        List<LabeledExample> examples;
        try {
            examples = new JsonlDatasetReader(MAX_BYTES, MalformedLinePolicy.REJECT_DATASET).read(file).examples();
        } catch (DatasetFormatException e) {
            throw CliException.badInput(file + ": " + e.getMessage());
        }
        for (LabeledExample example : examples) {
            if (!labels.contains(example.label())) {
                throw CliException.badInput(file + ": line " + lineOfLabel(file, example.label()) + ": label '"
                        + example.label() + "' is not one of the task's labels " + labels);
            }
        }
        return examples;
    }

    /**
     * Reads {@code file} strictly and stores it as {@code datasets/<task>/cli-<sha256 prefix>.jsonl}: labeled examples
     * of {@code labels}, or a generation task's prompt/completion or chat records when {@code labels} is empty.
     */
    static DatasetRef upload(AdapterRegistry registry, String task, Path file, List<String> labels)
            throws IOException {
        int records = labels.isEmpty() ? readCompletions(file) : read(file, labels).size();
        byte[] bytes = Files.readAllBytes(file);
        String sha256 = DatasetDigest.sha256Hex(bytes);
        String key = AdapterRegistry.datasetPrefix(task) + "cli-" + sha256.substring(0, 16) + ".jsonl";
        if (registry.statDataset(task, key).isEmpty()) {
            registry.putDataset(task, key, bytes);
        }
        return new DatasetRef(key, (long) records, sha256);
    }

    /** How many records a generation dataset holds; the first malformed line stops the command. */
    private static int readCompletions(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw CliException.notFound("no such file: " + file);
        }
        try (java.io.InputStream in = Files.newInputStream(file)) {
            return new CompletionDatasetReader(MAX_BYTES, MalformedLinePolicy.REJECT_DATASET).read(in).records()
                    .size();
        } catch (DatasetFormatException e) {
            throw CliException.badInput(file + ": " + e.getMessage());
        }
    }

    // Only on the error path: the reader does not keep line numbers of good lines, so find the first with the label.
    private static int lineOfLabel(Path file, String label) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String line; (line = reader.readLine()) != null; ) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode node = JSON.readTree(line.startsWith("\uFEFF") ? line.substring(1) : line);
                    if (label.equals(node.path("label").asText(null))) {
                        return number;
                    }
                } catch (IOException ignored) {
                    // cannot happen after a strict read; keep looking
                }
            }
        }
        return 0;
    }
}
