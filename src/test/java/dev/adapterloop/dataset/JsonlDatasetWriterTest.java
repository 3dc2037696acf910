package dev.adapterloop.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlDatasetWriterTest {
    @Test
    void writesOneCompactObjectPerLineEachEndedByNewline() throws IOException {
        List<LabeledExample> examples =
                List.of(new LabeledExample("a\nb \"c\"", "spam"), new LabeledExample("é", "ham"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        JsonlDatasetWriter.write(examples, out);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("""
                {"text":"a\\nb \\"c\\"","label":"spam"}
                {"text":"é","label":"ham"}
                """);
    }

    @Test
    void leavesTheStreamOpen() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                throw new AssertionError("the writer closed the caller's stream");
            }
        };

        JsonlDatasetWriter.write(List.of(new LabeledExample("t", "l")), out);
        out.write('x');

        assertThat(out.toString(StandardCharsets.UTF_8)).endsWith("\nx");
    }

    @Test
    void writesAFileInPlaceWithoutLeavingATemporaryFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("train.jsonl");
        Files.writeString(file, "old content");

        JsonlDatasetWriter.write(List.of(new LabeledExample("t", "l")), file);

        assertThat(Files.readString(file)).isEqualTo("{\"text\":\"t\",\"label\":\"l\"}\n");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void refusesWhatTheReaderWouldRefuse() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThatThrownBy(() -> JsonlDatasetWriter.write(List.of(), out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> JsonlDatasetWriter.write(
                List.of(new LabeledExample("ok", "ham"), new LabeledExample(" ", "ham")), out))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("example 1 has a blank `text`");
        assertThatThrownBy(() -> JsonlDatasetWriter.write(List.of(new LabeledExample("ok", "")), out))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("example 0 has a blank `label`");
        assertThat(out.size()).isZero();
    }
}
