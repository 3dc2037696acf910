package dev.adapterloop.bundled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.dataset.LabeledExample;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;

/** The corpus logic on small hand-made tarballs; {@link BundledCorpusTest} covers the real one. */
class SpamAssassinCorpusTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HELD_OUT_MD5 = "00" + "a".repeat(30);
    private static final String TRAIN_MD5 = "01" + "a".repeat(30);

    @Test
    void labelsSortsDeduplicatesAndSplits() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        // The tar order is deliberately not the group order.
        email(files, "spam-2", "00001", md5('1', true), "Subject: Win\n\nCASH now");
        email(files, "easy-ham-2", "00001", md5('2', false), "Subject: lunch?\nX-Other: header\n\n  Lunch   at noon");
        email(files, "easy-ham-1", "00002", md5('3', false), "Subject: Lunch?\n\nlunch at noon");
        email(files, "spam-1", "00007", md5('4', false), "Subject: win\n\ncash NOW");
        email(files, "hard-ham-1", "00003", md5('5', true),
                "Subject: Newsletter\nContent-Type: text/html\n\n<p>News</p>");
        files.put("package/data/spam-1/00007." + md5('4', false) + ".txt", "Subject: ignored copy\n\nx");
        files.put("package/data/data.js", "module.exports = [];");
        files.put("package/data/file_list.json", "[]");
        files.put("package/package.json", "{}");

        SpamAssassinCorpus corpus = load(files, 100);

        assertThat(corpus.emails()).extracting(e -> e.group() + "/" + e.id())
                .containsExactly("easy-ham-1/00002", "hard-ham-1/00003", "spam-1/00007");
        assertThat(corpus.emails()).extracting(CorpusEmail::example).containsExactly(
                new LabeledExample("Lunch?\n\nlunch at noon", "ham"),
                new LabeledExample("Newsletter\n\nNews", "ham"),
                new LabeledExample("win\n\ncash NOW", "spam"));
        assertThat(corpus.stats()).isEqualTo(new CorpusStats(new LabelCounts(3, 2), 2, 0, 0, 0,
                new LabelCounts(1, 1), new LabelCounts(1, 0)));
        CorpusSplits splits = corpus.splits();
        assertThat(splits.train()).extracting(CorpusEmail::id).containsExactly("00002", "00007");
        assertThat(splits.heldOut()).extracting(CorpusEmail::id).containsExactly("00003");
        assertThat(SpamAssassinCorpus.split(splits.heldOut().getFirst())).isEqualTo(Split.HELD_OUT);
    }

    @Test
    void emailsWithNeitherSubjectNorBodyAreDropped() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        email(files, "spam-1", "00001", TRAIN_MD5, "Content-Type: image/gif\n\nR0lG");
        email(files, "spam-1", "00002", HELD_OUT_MD5, "Subject: real\n\nbody");

        CorpusStats stats = load(files, 100).stats();

        assertThat(stats.emptyDropped()).isEqualTo(1);
        assertThat(stats.kept()).isEqualTo(1);
    }

    @Test
    void textIsCutToMaxCharsWithoutSplittingASurrogatePair() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        email(files, "spam-1", "00001", TRAIN_MD5, "Subject: abcdefghi\uD83D\uDE42 tail\n\nbody");
        email(files, "spam-1", "00002", HELD_OUT_MD5, "Subject: tiny\n\nok");

        List<CorpusEmail> emails = load(files, 10).emails();

        assertThat(emails.get(0).example().text()).isEqualTo("abcdefghi");
        assertThat(emails.get(1).example().text()).isEqualTo("tiny\n\nok");
    }

    @Test
    void anUnknownGroupIsRefused() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        email(files, "medium-ham", "00001", TRAIN_MD5, "Subject: x\n\ny");

        assertThatThrownBy(() -> load(files, 100)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("corpus group medium-ham (email 00001) is not one of");
    }

    @Test
    void aChecksumThatDisagreesWithTheFileNameIsRefused() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("package/data/spam-1/00001." + TRAIN_MD5 + ".json", json("spam-1", "00001", HELD_OUT_MD5, "x"));

        assertThatThrownBy(() -> load(files, 100)).isInstanceOf(IOException.class)
                .hasMessageContaining("package/data/spam-1/00001." + TRAIN_MD5 + ".json has `checksum`");
    }

    @Test
    void aMissingTarballNamesTheBuildStep() {
        assertThatThrownBy(() -> SpamAssassinCorpus.load(Path.of("no/such/corpus.tgz"), 100))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessageContaining("no/such/corpus.tgz")
                .hasMessageContaining("./mvnw generate-resources");
    }

    @Test
    void maxCharsMustBePositive() {
        assertThatThrownBy(() -> SpamAssassinCorpus.load(new ByteArrayInputStream(new byte[0]), 0))
                .hasMessage("maxChars must be > 0, got 0");
    }

    private static String md5(char fill, boolean heldOut) {
        return (heldOut ? "0a" : "0b") + String.valueOf(fill).repeat(30);
    }

    private static void email(Map<String, String> files, String group, String id, String md5, String raw)
            throws IOException {
        files.put("package/data/" + group + "/" + id + "." + md5 + ".json", json(group, id, md5, raw));
    }

    private static String json(String group, String id, String md5, String raw) throws IOException {
        return JSON.writeValueAsString(Map.of(
                "id", id, "group", group, "checksum", Map.of("type", "MD5", "value", md5), "text", raw));
    }

    private static SpamAssassinCorpus load(Map<String, String> files, int maxChars) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return SpamAssassinCorpus.load(new ByteArrayInputStream(bytes.toByteArray()), maxChars);
    }
}
