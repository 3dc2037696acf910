package dev.adapterloop.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.adapterloop.adapters.AdaptedClassifier;
import dev.adapterloop.adapters.AdapterMethod;
import dev.adapterloop.adapters.AdapterMethods;
import dev.adapterloop.adapters.SharedHyperparameters;
import dev.adapterloop.adapters.StoredVersionFiles;
import dev.adapterloop.adapters.TargetModules;
import dev.adapterloop.adapters.WarmStart;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.TextTokenizer;
import dev.adapterloop.testing.BundledModel;
import dev.adapterloop.testing.SpamSample;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Incremental training end to end on the engine: a job trains and stores a version, the next job warm-starts a fresh
 * model from it and goes on learning on new data, starting where the first job ended rather than from scratch.
 */
class WarmStartTrainingTest {

    private static final String BASE_MODEL = "models/all-minilm-l6-v2/";
    private static final List<String> LABELS = List.of("ham", "spam");

    @TempDir
    Path tmp;

    /**
     * LoRA, the default method: the bit-exact reload of every method is WarmStartTest's, and the service's warm start
     * is exercised end to end by LabeledDataPipelineTest; each method here costs a minute on two loaded cores.
     */
    static List<String> methods() {
        return List.of("lora");
    }

    @ParameterizedTest
    @MethodSource("methods")
    void aWarmStartedModelGoesOnLearning(String name) throws IOException {
        PretrainedModel base = BundledModel.encoder();
        AdapterMethod method = AdapterMethods.create(name,
                new SharedHyperparameters(8, 16, 0.0, TargetModules.of("query", "value")));
        TrainingConfig config = new TrainingConfig(1, 8, 32, 3e-3, 0.0, 0.0, 1.0, 12, 21);
        List<LabeledExample> sample = SpamSample.train(192);
        List<LabeledExample> earlier = sample.subList(0, 96);
        List<LabeledExample> newer = sample.subList(96, 192);
        Path version = tmp.resolve(name);

        double cold;
        try (AdaptedClassifier model = AdaptedClassifier.create(base, LABELS, method, 21)) {
            cold = meanLoss(model, newer);
            new AdapterTrainer(p -> { }).train(model, earlier, config);
            StoredVersionFiles.write(model, BASE_MODEL, version);
        }
        double warm;
        double trained;
        try (AdaptedClassifier model = AdaptedClassifier.create(base, LABELS, method, 22)) {
            WarmStart.load(model, version, BASE_MODEL);
            warm = meanLoss(model, newer);
            new AdapterTrainer(p -> { }).train(model, newer, config);
            trained = meanLoss(model, newer);
        }
        System.out.printf("%s: loss on the new data: cold %.4f, warm-started %.4f, after training on it %.4f%n",
                name, cold, warm, trained);
        assertThat(warm).as("the warm start carries what the first job learned").isLessThan(cold);
        assertThat(trained).as("the warm-started model goes on learning").isLessThan(warm);
    }

    /** Mean cross-entropy of {@code model} on {@code examples}, in eval mode. */
    private static double meanLoss(AdaptedClassifier model, List<LabeledExample> examples) {
        double sum = 0;
        try (NDManager manager = model.base().manager().newSubManager()) {
            for (int from = 0; from < examples.size(); from += 32) {
                List<LabeledExample> rows = examples.subList(from, Math.min(examples.size(), from + 32));
                NDList batch = TextTokenizer.collate(model.base().tokenizer().encode(
                        rows.stream().map(LabeledExample::text).toList()), manager, 32);
                float[] logits = model.logits(batch, false).toFloatArray();
                int classes = model.labels().size();
                for (int i = 0; i < rows.size(); i++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int c = 0; c < classes; c++) {
                        max = Math.max(max, logits[i * classes + c]);
                    }
                    double norm = 0;
                    for (int c = 0; c < classes; c++) {
                        norm += Math.exp(logits[i * classes + c] - max);
                    }
                    int label = model.labels().indexOf(rows.get(i).label());
                    sum += max + Math.log(norm) - logits[i * classes + label];
                }
            }
        }
        return sum / examples.size();
    }
}
