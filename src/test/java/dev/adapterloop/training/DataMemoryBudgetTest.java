package dev.adapterloop.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.adapterloop.dataset.DatasetDigest;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.embedded.EmbeddedS3;
import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job's examples are charged to its memory budget as they are read from the real S3 server: the read stops at the
 * first example past the budget with a failure an operator can act on (kind data-too-large), long before the heap is
 * at risk; replaying earlier datasets into a reservoir is not charged.
 */
class DataMemoryBudgetTest {

    private static final String TASK = "spam";
    private static final int RECORDS = 20_000;
    @TempDir
    static Path dir;
    private static EmbeddedS3 s3;
    private static ObjectStore store;
    private static AdapterRegistry registry;
    private static DatasetRef tiny;

    @BeforeAll
    static void start() throws Exception {
        s3 = EmbeddedS3.start(EmbeddedS3.Settings.of(dir, "budget-access", "budget-secret-0123456789"));
        store = ObjectStore.create(s3.endpoint(), "budget-access", "budget-secret-0123456789", "budget-test");
        store.ensureBucket();
        registry = new AdapterRegistry(store);
        byte[] lines = "{\"text\":\"a\",\"label\":\"ham\"}\n".repeat(RECORDS).getBytes(StandardCharsets.UTF_8);
        registry.putDataset(TASK, "datasets/spam/tiny.jsonl", lines);
        tiny = new DatasetRef("datasets/spam/tiny.jsonl", (long) RECORDS, DatasetDigest.sha256Hex(lines));
    }

    @AfterAll
    static void stop() {
        store.close();
        s3.close();
    }

    @Test
    void theReadStopsAtTheFirstExamplePastTheBudget() {
        // 128 + 2·(1 + 3) + 8·128 + 16 = 1176 bytes an example at max-sequence-length 128: 1000 fit in 1,176,000.
        DatasetLoader loader = new DatasetLoader(registry, new DataMemoryBudget(1_176_000, 128));
        assertThatThrownBy(() -> loader.read(TASK, tiny))
                .isInstanceOfSatisfying(DataTooLargeException.class,
                        e -> assertThat(FailureKind.of(e)).isEqualTo(FailureKind.DATA_TOO_LARGE))
                .hasMessageContaining("after 1001 examples")
                .hasMessageContaining("datasets/spam/tiny.jsonl")
                .hasMessageContaining(DataMemoryBudget.KEY);
    }

    @Test
    void aBudgetTheExamplesFitInReadsThemAll() throws Exception {
        DataMemoryBudget budget = new DataMemoryBudget(64L << 20, 128);
        List<LabeledExample> examples = new DatasetLoader(registry, budget).read(TASK, tiny, List.of("ham", "spam"));
        assertThat(examples).hasSize(RECORDS);
        assertThat(budget.usedBytes()).isEqualTo(RECORDS * 1176L);
    }

    @Test
    void replayingAnEarlierDatasetIsNotCharged() throws Exception {
        DataMemoryBudget budget = new DataMemoryBudget(1, 128);
        List<LabeledExample> offered = new ArrayList<>();
        new DatasetLoader(registry, budget).replay(TASK, tiny, offered::add);
        assertThat(offered).hasSize(RECORDS);
        assertThat(budget.usedBytes()).isZero();
    }

    @Test
    void theDefaultIsAQuarterOfTheHeap() {
        DataMemoryBudget budget = DataMemoryBudget.forJob(128);
        long perExample = 1176;
        long fits = Runtime.getRuntime().maxMemory() / 4 / perExample;
        for (long i = 0; i < fits; i += 1) {
            budget.charge("x", new LabeledExample("a", "ham"));
        }
        assertThatThrownBy(() -> budget.charge("x", new LabeledExample("a", "ham")))
                .isInstanceOf(DataTooLargeException.class);
    }
}
