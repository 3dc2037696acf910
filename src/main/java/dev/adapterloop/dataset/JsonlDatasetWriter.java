package dev.adapterloop.dataset;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Writes examples as UTF-8 JSONL, one {@code {"text": ..., "label": ...}} a line, each line ended by {@code \n}. */
public final class JsonlDatasetWriter {
    // No root separator: Jackson would otherwise put a space before every object after the first.
    private static final JsonFactory JSON = new JsonFactoryBuilder()
            .rootValueSeparator((String) null)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private JsonlDatasetWriter() {
    }

    /**
     * Writes to {@code out} and flushes it, without closing it.
     *
     * @throws IllegalArgumentException if the list is empty or an example has a blank text or label, which
     *                                  {@link JsonlDatasetReader} would refuse to read back
     */
    public static void write(List<LabeledExample> examples, OutputStream out) throws IOException {
        requireReadable(examples);
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            for (LabeledExample example : examples) {
                json.writeStartObject();
                json.writeStringField("text", example.text());
                json.writeStringField("label", example.label());
                json.writeEndObject();
                json.writeRaw('\n');
            }
        }
        out.flush();
    }

    /** Writes to a temporary file beside {@code file} and moves it into place, so no reader sees half a dataset. */
    public static void write(List<LabeledExample> examples, Path file) throws IOException {
        requireReadable(examples);
        Path target = file.toAbsolutePath();
        Path temp = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp))) {
                write(examples, out);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void requireReadable(List<LabeledExample> examples) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("examples must not be empty: an empty dataset cannot be read back");
        }
        for (int i = 0; i < examples.size(); i++) {
            LabeledExample example = examples.get(i);
            if (example.text().isBlank()) {
                throw new IllegalArgumentException("example " + i + " has a blank `text`");
            }
            if (example.label().isBlank()) {
                throw new IllegalArgumentException("example " + i + " has a blank `label`");
            }
        }
    }
}
