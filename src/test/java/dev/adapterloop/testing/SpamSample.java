package dev.adapterloop.testing;

import dev.adapterloop.bundled.CorpusEmail;
import dev.adapterloop.bundled.CorpusSplits;
import dev.adapterloop.bundled.SpamAssassinCorpus;
import dev.adapterloop.dataset.LabeledExample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Fixed, small samples of the bundled corpus's train and held-out splits, parsed once per test JVM. */
public final class SpamSample {

    private static CorpusSplits splits;

    private SpamSample() {
    }

    public static List<LabeledExample> train(int n) {
        return sample(splits().train(), n);
    }

    public static List<LabeledExample> heldOut(int n) {
        return sample(splits().heldOut(), n);
    }

    private static synchronized CorpusSplits splits() {
        if (splits == null) {
            try {
                splits = SpamAssassinCorpus.loadBundled().splits();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return splits;
    }

    private static List<LabeledExample> sample(List<CorpusEmail> emails, int n) {
        List<LabeledExample> all = new ArrayList<>(emails.stream().map(CorpusEmail::example).toList());
        Collections.shuffle(all, new Random(7));
        return List.copyOf(all.subList(0, Math.min(n, all.size())));
    }
}
