package dev.adapterloop.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.events.AdapterManifest;
import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.testing.SpamSample;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Replay for incremental training: the sample's size, determinism, de-duplication, and no held-out leakage. */
class ReplaySampleTest {

    private static final String HELD_OUT = "datasets/spam/heldout.jsonl";

    @Test
    void theSampleSizeIsTheSmallestOfRatioCapAndWhatIsAvailable() {
        assertThat(ReplaySample.size(100, 1000, 0.5, 5000)).isEqualTo(50);
        assertThat(ReplaySample.size(3, 1000, 0.5, 5000)).as("rounded up").isEqualTo(2);
        assertThat(ReplaySample.size(100, 1000, 2.0, 5000)).as("ratio above 1").isEqualTo(200);
        assertThat(ReplaySample.size(100, 1000, 0.5, 20)).as("capped").isEqualTo(20);
        assertThat(ReplaySample.size(100, 7, 0.5, 5000)).as("all there is").isEqualTo(7);
        assertThat(ReplaySample.size(100, 1000, 0.0, 5000)).as("ratio 0 disables").isZero();
        assertThat(ReplaySample.size(100, 1000, 0.5, 0)).as("cap 0 disables").isZero();
        assertThat(ReplaySample.size(0, 1000, 0.5, 5000)).as("no new data").isZero();
    }

    @Test
    void badSettingsAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> ReplaySample.size(10, 10, -0.1, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("replay-ratio must be >= 0, got -0.1");
        assertThatThrownBy(() -> ReplaySample.mix(List.of(), List.of(), Double.NaN, 5, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replay-ratio");
        assertThatThrownBy(() -> ReplaySample.size(10, 10, 0.5, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("replay-max-examples must be >= 0, got -1");
    }

    @Test
    void theMixIsTheNewExamplesPlusASampleOfEarlierOnes() {
        List<LabeledExample> all = SpamSample.train(300);
        List<LabeledExample> fresh = all.subList(0, 40);
        List<LabeledExample> earlier = all.subList(40, 300);

        ReplaySample.Mix mix = ReplaySample.mix(fresh, earlier, 0.5, 5000, 42);

        assertThat(mix.fresh()).isEqualTo(40);
        assertThat(mix.replayed()).isEqualTo(20);
        assertThat(mix.earlierCandidates()).isEqualTo(260);
        assertThat(mix.examples()).hasSize(60).containsAll(fresh).doesNotHaveDuplicates();
        List<LabeledExample> replayed = new ArrayList<>(mix.examples());
        replayed.removeAll(fresh);
        assertThat(replayed).hasSize(20).allMatch(earlier::contains);
        assertThat(mix.examples().subList(0, 40)).as("shuffled, not new-then-old").isNotEqualTo(fresh);

        assertThat(ReplaySample.mix(fresh, earlier, 0.5, 8, 42).replayed()).isEqualTo(8);
        assertThat(ReplaySample.mix(fresh, earlier.subList(0, 5), 0.5, 5000, 42).examples()).hasSize(45);
    }

    @Test
    void theSameSeedGivesTheSameMixAndAnotherSeedAnotherSample() {
        List<LabeledExample> all = SpamSample.train(300);
        List<LabeledExample> fresh = all.subList(0, 40);
        List<LabeledExample> earlier = all.subList(40, 300);

        List<LabeledExample> once = ReplaySample.mix(fresh, earlier, 0.5, 5000, 42).examples();
        List<LabeledExample> again = ReplaySample.mix(List.copyOf(fresh), List.copyOf(earlier), 0.5, 5000, 42)
                .examples();
        List<LabeledExample> other = ReplaySample.mix(fresh, earlier, 0.5, 5000, 43).examples();

        assertThat(again).isEqualTo(once);
        assertThat(sampled(other, fresh)).isNotEqualTo(sampled(once, fresh));
    }

    @Test
    void duplicatesOfNewExamplesAreNeverReplayedAndEachEarlierExampleAtMostOnce() {
        List<LabeledExample> all = SpamSample.train(60);
        List<LabeledExample> fresh = all.subList(0, 20);
        List<LabeledExample> earlier = new ArrayList<>();
        earlier.addAll(fresh);                  // the same examples arrived again
        earlier.addAll(all.subList(20, 30));
        earlier.addAll(all.subList(20, 30));    // and an earlier dataset twice
        LabeledExample relabeled = new LabeledExample(fresh.get(0).text(),
                fresh.get(0).label().equals("spam") ? "ham" : "spam");
        earlier.add(relabeled);                 // same text, other label: not a duplicate

        ReplaySample.Mix mix = ReplaySample.mix(fresh, earlier, 100.0, 5000, 7);

        assertThat(mix.earlierCandidates()).isEqualTo(11);
        assertThat(mix.replayed()).isEqualTo(11);
        assertThat(mix.examples()).hasSize(31).doesNotHaveDuplicates().containsAll(fresh)
                .containsAll(all.subList(20, 30)).contains(relabeled);
    }

    /**
     * The reservoir keeps at most the sample while any number of earlier examples stream past, and its sample is
     * uniform over the stream: a candidate offered late is as likely to be replayed as one offered first.
     */
    @Test
    void aStreamedSampleIsBoundedAndUniformOverTheStream() {
        List<LabeledExample> fresh = List.of(new LabeledExample("new", "ham"));
        List<LabeledExample> earlier = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            earlier.add(new LabeledExample("earlier " + i, i % 2 == 0 ? "ham" : "spam"));
        }
        int lateHalf = 0;
        int drawn = 0;
        for (long seed = 1; seed <= 400; seed++) {
            ReplaySample.Reservoir reservoir = new ReplaySample.Reservoir(fresh, 10.0, 5000, seed);
            // Offered as two "datasets": the second repeats the first half of the first, which must count once.
            earlier.forEach(reservoir::offer);
            earlier.subList(0, 500).forEach(reservoir::offer);
            ReplaySample.Mix mix = reservoir.mix();
            assertThat(mix.replayed()).isEqualTo(10);
            assertThat(mix.earlierCandidates()).isEqualTo(1000);
            for (LabeledExample example : mix.examples()) {
                if (example.text().startsWith("earlier ")) {
                    drawn++;
                    lateHalf += Integer.parseInt(example.text().substring(8)) >= 500 ? 1 : 0;
                }
            }
        }
        // 4,000 draws, half of them expected from the late half: 3σ is ±95.
        assertThat(drawn).isEqualTo(4000);
        assertThat(lateHalf).isBetween(1905, 2095);
    }

    @Test
    void withReplayDisabledTheNewExamplesComeBackUnchanged() {
        List<LabeledExample> all = SpamSample.train(100);
        List<LabeledExample> fresh = all.subList(0, 30);
        assertThat(ReplaySample.mix(fresh, all.subList(30, 100), 0.0, 5000, 42).examples()).isEqualTo(fresh);
        assertThat(ReplaySample.mix(fresh, all.subList(30, 100), 0.5, 0, 42).examples()).isEqualTo(fresh);
        assertThat(ReplaySample.mix(fresh, List.of(), 0.5, 5000, 42).examples()).isEqualTo(fresh);
    }

    @Test
    void earlierDatasetsAreTheLineagesOldestFirstWithoutAnyHeldOutSet() {
        DatasetRef d1 = ref("datasets/spam/d1.jsonl");
        DatasetRef d2 = ref("datasets/spam/d2.jsonl");
        DatasetRef d3 = ref("datasets/spam/d3.jsonl");
        DatasetRef d4 = ref("datasets/spam/d4.jsonl");
        DatasetRef heldOut = ref(HELD_OUT);
        DatasetRef oldHeldOut = ref("datasets/spam/heldout-2024.jsonl");
        // Champion first. The root was (wrongly) trained on the task's held-out set and named another held-out.
        List<AdapterManifest> lineage = List.of(
                manifest("v3", "v2", heldOut, d3, d4),
                manifest("v2", "v1", heldOut, d2, d1),
                manifest("v1", null, oldHeldOut, d1, heldOut, oldHeldOut));

        List<DatasetRef> earlier = ReplaySample.earlierDatasets(lineage, List.of(d4), HELD_OUT);

        assertThat(earlier).containsExactly(d1, d2, d3);
        assertThat(earlier).extracting(DatasetRef::key).doesNotContain(HELD_OUT, oldHeldOut.key());
        assertThat(ReplaySample.earlierDatasets(lineage, List.of(), null)).extracting(DatasetRef::key)
                .as("a manifest's own held-out set is excluded even without the task's key")
                .containsExactly(d1.key(), d2.key(), d3.key(), d4.key());
    }

    @Test
    void theLineageFollowsParentsToTheRootAndRefusesACycle() throws IOException {
        AdapterManifest v1 = manifest("v1", null, ref(HELD_OUT), ref("datasets/spam/d1.jsonl"));
        AdapterManifest v2 = manifest("v2", "v1", ref(HELD_OUT), ref("datasets/spam/d2.jsonl"));
        AdapterManifest v3 = manifest("v3", "v2", ref(HELD_OUT), ref("datasets/spam/d3.jsonl"));
        Map<String, AdapterManifest> registry = Map.of("v1", v1, "v2", v2, "v3", v3);

        assertThat(ReplaySample.lineage(v3, version -> Optional.ofNullable(registry.get(version))))
                .containsExactly(v3, v2, v1);
        assertThat(ReplaySample.lineage(v3, version -> version.equals("v1") ? Optional.empty()
                : Optional.ofNullable(registry.get(version)))).as("a missing parent ends the walk")
                .containsExactly(v3, v2);

        AdapterManifest loop = manifest("v1", "v3", ref(HELD_OUT));
        Map<String, AdapterManifest> cyclic = Map.of("v1", loop, "v2", v2, "v3", v3);
        assertThatThrownBy(() -> ReplaySample.lineage(v3, version -> Optional.ofNullable(cyclic.get(version))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("has a cycle at v3");
    }

    private static Set<LabeledExample> sampled(List<LabeledExample> mix, List<LabeledExample> fresh) {
        Set<LabeledExample> sample = new HashSet<>(mix);
        fresh.forEach(sample::remove);
        return sample;
    }

    private static DatasetRef ref(String key) {
        return new DatasetRef(key, null, null);
    }

    private static AdapterManifest manifest(String version, String parent, DatasetRef heldOut,
                                            DatasetRef... datasets) {
        return new AdapterManifest(AdapterManifest.SCHEMA_VERSION, "spam", version, parent, "lora",
                "all-minilm-l6-v2", "sha256:0", List.of(datasets), heldOut, List.of("ham", "spam"), Map.of(),
                null, Map.of(), "test", "cpu", 0, "2025-01-01T00:00:00Z", "job-" + version, null);
    }
}
