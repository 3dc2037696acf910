package dev.adapterloop.bundled;

import static org.assertj.core.api.Assertions.assertThat;

import dev.adapterloop.dataset.JsonlDatasetReader;
import dev.adapterloop.dataset.JsonlDatasetWriter;
import dev.adapterloop.dataset.JsonlReadResult;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.dataset.MalformedLinePolicy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real bundled tarball, which the build's generate-resources phase puts at target/classes/bundled/corpus.tgz.
 * The counts are fixed by the pinned package version and the split rule; a change here is a change in the data.
 */
class BundledCorpusTest {
    private static final Path TARBALL = Path.of("target/classes/" + SpamAssassinCorpus.RESOURCE);
    private static SpamAssassinCorpus corpus;

    @BeforeAll
    static void load() throws IOException {
        long start = System.nanoTime();
        corpus = SpamAssassinCorpus.load(TARBALL, SpamAssassinCorpus.DEFAULT_MAX_CHARS);
        System.out.printf("SpamAssassin corpus parsed in %d ms%n%s%n",
                (System.nanoTime() - start) / 1_000_000, corpus.stats().summary());
    }

    @Test
    void countsPerLabelAndSplitAreFixed() {
        // read: easy-ham-1 2500 + easy-ham-2 1400 + hard-ham-1 250 ham; spam-1 500 + spam-2 1396 spam
        assertThat(corpus.stats()).isEqualTo(new CorpusStats(new LabelCounts(4150, 1896), 141, 0, 2, 32,
                new LabelCounts(3263, 1419), new LabelCounts(845, 378)));
        assertThat(corpus.stats().emailsRead()).isEqualTo(6046);
        CorpusSplits splits = corpus.splits();
        assertThat(splits.train()).hasSize(4682);
        assertThat(splits.heldOut()).hasSize(1223);
    }

    @Test
    void everyEmailIsOnTheSideItsMd5SaysAndLabeledByItsGroup() {
        CorpusSplits splits = corpus.splits();

        assertThat(splits.train()).allSatisfy(e -> assertThat(Split.ofMd5(e.md5())).isEqualTo(Split.TRAIN));
        assertThat(splits.heldOut()).allSatisfy(e -> assertThat(Split.ofMd5(e.md5())).isEqualTo(Split.HELD_OUT));
        assertThat(corpus.emails()).allSatisfy(e -> {
            assertThat(e.example().label()).isEqualTo(e.group().startsWith("spam") ? "spam" : "ham");
            assertThat(e.example().text()).isNotBlank().hasSizeLessThanOrEqualTo(SpamAssassinCorpus.DEFAULT_MAX_CHARS);
        });
    }

    @Test
    void emailsAreInGroupThenIdOrder() {
        assertThat(corpus.emails())
                .isSortedAccordingTo(Comparator.comparing(CorpusEmail::group).thenComparing(CorpusEmail::id));
    }

    @Test
    void noHeldOutTextAppearsInTrain() {
        CorpusSplits splits = corpus.splits();
        Function<CorpusEmail, String> normalized = e -> MailTexts.normalizedForComparison(e.example().text());
        Set<String> train = splits.train().stream().map(normalized).collect(Collectors.toSet());

        assertThat(splits.heldOut()).map(normalized).noneMatch(train::contains);
    }

    @Test
    void everyExampleSurvivesAJsonlRoundTrip() throws IOException {
        List<LabeledExample> examples = corpus.emails().stream().map(CorpusEmail::example).toList();
        ByteArrayOutputStream jsonl = new ByteArrayOutputStream();

        JsonlDatasetWriter.write(examples, jsonl);
        JsonlReadResult read = new JsonlDatasetReader(64L << 20, MalformedLinePolicy.REJECT_DATASET)
                .read(new ByteArrayInputStream(jsonl.toByteArray()));

        System.out.printf("the corpus as JSONL: %d bytes%n", jsonl.size());
        assertThat(read.examples()).isEqualTo(examples);
    }

    @Test
    void theClasspathCopyLoadsToTheSameSplit() throws IOException {
        long start = System.nanoTime();
        SpamAssassinCorpus again = SpamAssassinCorpus.loadBundled();
        System.out.printf("SpamAssassin corpus parsed again from the classpath in %d ms%n",
                (System.nanoTime() - start) / 1_000_000);

        assertThat(again.splits()).isEqualTo(corpus.splits());
        assertThat(again.stats()).isEqualTo(corpus.stats());
    }
}
