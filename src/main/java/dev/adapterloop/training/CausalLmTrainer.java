package dev.adapterloop.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.adapterloop.adapters.AdaptedLanguageModel;
import dev.adapterloop.dataset.CompletionExample;
import dev.adapterloop.engine.NativeHeap;
import dev.adapterloop.model.DropoutMasks;
import dev.adapterloop.model.TextTokenizer;
import dev.adapterloop.model.decoder.CausalLmLoss;
import dev.adapterloop.model.decoder.DecoderModel;
import dev.adapterloop.model.decoder.TokenizedCompletion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains a decoder's adapters on prompt → completion pairs with the next-token loss on the completion's tokens only
 * (prompt and padding labelled −100, as transformers' {@code DataCollatorForCompletionOnlyLM} does), AdamW, warm-up +
 * linear decay and global gradient-norm clipping, like {@link AdapterTrainer}. Each step's arrays live in a
 * per-step manager closed at its end.
 */
public final class CausalLmTrainer {

    private static final int TRIM_EVERY_STEPS = 10;

    private final Consumer<TrainingProgress> progress;

    public CausalLmTrainer(Consumer<TrainingProgress> progress) {
        this.progress = progress;
    }

    /**
     * The examples as {@link TokenizedCompletion}s; a prompt that leaves no room for its completion is bad data.
     */
    public static List<TokenizedCompletion> tokenize(TextTokenizer tokenizer, List<CompletionExample> examples,
                                                     int maxLength, long endId) {
        try {
            return TokenizedCompletion.of(tokenizer, examples, maxLength, endId);
        } catch (IllegalArgumentException e) {
            throw new BadDataException(e.getMessage());
        }
    }

    public TrainingResult train(AdaptedLanguageModel model, List<TokenizedCompletion> sequences,
                                TrainingConfig config, long padId) {
        if (sequences.isEmpty()) {
            throw new TrainingFailedException("no training examples");
        }
        if (!(model.backbone() instanceof DecoderModel decoder)) {
            throw new IllegalArgumentException("causal language-model training needs a decoder, got "
                    + model.backbone().config().modelType());
        }
        JniUtils.setGradMode(false);
        int totalSteps = config.totalSteps(sequences.size());
        LearningRateSchedule schedule = LearningRateSchedule.of(config, totalSteps);
        Random shuffler = new Random(config.seed());
        Map<String, NDArray> parameters = model.trainableParameters();
        NDManager root = parameters.values().iterator().next().getManager();
        ParameterStore store = new ParameterStore(root, false);
        List<Float> lossCurve = new ArrayList<>(totalSteps);
        List<StepRate> stepRates = new ArrayList<>(totalSteps);
        long started = System.nanoTime();
        long seenExamples = 0;
        long seenTokens = 0;
        int step = 0;
        try (AdamW optimizer = new AdamW(root, config.weightDecay())) {
            for (int epoch = 1; epoch <= config.epochs() && step < totalSteps; epoch++) {
                List<Integer> order = AdapterTrainer.shuffled(sequences.size(), shuffler);
                for (int from = 0; from < order.size() && step < totalSteps; from += config.batchSize()) {
                    List<TokenizedCompletion> batch = order.subList(from, Math.min(order.size(), from + config.batchSize()))
                            .stream().map(sequences::get).toList();
                    step++;
                    // Dropout masks are a function of (seed, step), so a resumed run draws the same ones.
                    Engine.getInstance().setRandomSeed((int) (config.seed() * 1_000_003L + step));
                    DropoutMasks.seed(config.seed() * 1_000_003L + step);
                    double learningRate = schedule.at(step);
                    float loss;
                    long stepStarted = System.nanoTime();
                    try (NDManager scratch = root.newSubManager()) {
                        loss = trainStep(decoder, store, batch, padId, parameters, optimizer, learningRate,
                                config.maxGradNorm(), scratch);
                    }
                    if (!Float.isFinite(loss)) {
                        throw new TrainingFailedException("loss became " + loss + " at step " + step
                                + " (learning rate " + learningRate + "): training diverged");
                    }
                    if (step % TRIM_EVERY_STEPS == 0) {
                        NativeHeap.trim();
                    }
                    lossCurve.add(loss);
                    int batchTokens = batch.stream().mapToInt(s -> s.ids().length).sum();
                    stepRates.add(StepRate.of(batch.size(), batchTokens, System.nanoTime() - stepStarted));
                    seenExamples += batch.size();
                    seenTokens += batchTokens;
                    long elapsed = System.nanoTime() - started;
                    double seconds = Math.max(1e-9, elapsed / 1e9);
                    progress.accept(new TrainingProgress(step, totalSteps, epoch, loss, learningRate,
                            seenExamples / seconds, seenTokens / seconds, Duration.ofNanos(elapsed),
                            Duration.ofNanos((long) ((double) elapsed / step * (totalSteps - step)))));
                }
            }
        }
        Duration duration = Duration.ofNanos(System.nanoTime() - started);
        double seconds = Math.max(1e-9, duration.toNanos() / 1e9);
        return new TrainingResult(step, sequences.size(), lossCurve, stepRates, duration, seenExamples / seconds,
                seenTokens / seconds, false, 0, Double.NaN);
    }

    private static float trainStep(DecoderModel decoder, ParameterStore store, List<TokenizedCompletion> batch,
                                   long padId,
                                   Map<String, NDArray> parameters, AdamW optimizer, double learningRate,
                                   double maxGradNorm, NDManager scratch) {
        NDList inputs = TokenizedCompletion.collate(batch, padId, scratch);
        float lossValue;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray hidden = decoder.run(store, inputs.get(0), inputs.get(1), null, null, true, null);
            NDArray loss = CausalLmLoss.mean(decoder.logits(store, hidden, true), inputs.get(2));
            collector.backward(loss);
            lossValue = loss.getFloat();
        }
        Map<String, NDArray> gradients = new LinkedHashMap<>();
        parameters.forEach((name, parameter) -> {
            NDArray gradient = parameter.getGradient();
            gradient.attach(scratch);
            gradients.put(name, gradient);
        });
        AdapterTrainer.clipByGlobalNorm(gradients, maxGradNorm);
        optimizer.step(parameters, gradients, learningRate, scratch);
        gradients.values().forEach(gradient -> gradient.subi(gradient));
        return lossValue;
    }
}
