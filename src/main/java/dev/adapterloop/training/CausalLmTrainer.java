package dev.adapterloop.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.adapterloop.adapters.AdaptedLanguageModel;
import dev.adapterloop.dataset.CompletionExample;
import dev.adapterloop.engine.NativeHeap;
import dev.adapterloop.model.TextTokenizer;
import dev.adapterloop.model.decoder.CausalLmLoss;
import dev.adapterloop.model.decoder.DecoderModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
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
     * One training sequence: the prompt's and the completion's ids, and where the completion starts. The loss counts
     * the tokens at positions ≥ {@code completionStart}.
     */
    public record Sequence(long[] ids, int completionStart) {

        public Sequence {
            if (completionStart < 0 || completionStart >= ids.length) {
                throw new IllegalArgumentException("completion start " + completionStart + " outside a sequence of "
                        + ids.length + " tokens");
            }
        }

        /** Labels: the ids from the completion on, −100 before (the model shifts them by one). */
        long[] labels(int length) {
            long[] labels = new long[length];
            Arrays.fill(labels, CausalLmLoss.IGNORE_INDEX);
            // Position 0 predicts nothing (nothing precedes it); the first counted target is the completion's first
            // token, or the second token of a prompt-less text.
            for (int t = Math.max(1, completionStart); t < ids.length; t++) {
                labels[t] = ids[t];
            }
            return labels;
        }
    }

    /**
     * The examples as sequences: the prompt with the tokenizer's special tokens (e.g. BOS), then the completion
     * without them, then {@code endId} (EOS, so the model learns to stop). A sequence over {@code maxLength} loses
     * the end of its completion; a prompt that leaves no room for one completion token is bad data.
     */
    public static List<Sequence> tokenize(TextTokenizer tokenizer, List<CompletionExample> examples, int maxLength,
                                          long endId) {
        List<Sequence> sequences = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            CompletionExample example = examples.get(i);
            long[] prompt = example.prompt().isEmpty() ? new long[0]
                    : tokenizer.encode(List.of(example.prompt())).getFirst().ids();
            long[] completion = tokenizer.encodeWithoutSpecialTokens(example.completion());
            if (prompt.length + 1 >= maxLength) {
                throw new BadDataException("example " + (i + 1) + ": its prompt has " + prompt.length
                        + " tokens, which leaves no room for the completion within " + maxLength + " tokens");
            }
            long[] ids = new long[Math.min(maxLength, prompt.length + completion.length + 1)];
            System.arraycopy(prompt, 0, ids, 0, prompt.length);
            int room = ids.length - prompt.length;
            System.arraycopy(completion, 0, ids, prompt.length, Math.min(completion.length, room));
            if (prompt.length + completion.length < ids.length) {
                ids[ids.length - 1] = endId;
            }
            sequences.add(new Sequence(ids, prompt.length));
        }
        return sequences;
    }

    public TrainingResult train(AdaptedLanguageModel model, List<Sequence> sequences, TrainingConfig config,
                                long padId) {
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
        long started = System.nanoTime();
        long seenExamples = 0;
        long seenTokens = 0;
        int step = 0;
        try (AdamW optimizer = new AdamW(root, config.weightDecay())) {
            for (int epoch = 1; epoch <= config.epochs() && step < totalSteps; epoch++) {
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < sequences.size(); i++) {
                    order.add(i);
                }
                Collections.shuffle(order, shuffler);
                for (int from = 0; from < order.size() && step < totalSteps; from += config.batchSize()) {
                    List<Sequence> batch = order.subList(from, Math.min(order.size(), from + config.batchSize()))
                            .stream().map(sequences::get).toList();
                    step++;
                    Engine.getInstance().setRandomSeed((int) (config.seed() * 1_000_003L + step));
                    double learningRate = schedule.at(step);
                    float loss;
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
                    seenExamples += batch.size();
                    seenTokens += batch.stream().mapToInt(s -> s.ids().length).sum();
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
        return new TrainingResult(step, sequences.size(), lossCurve, duration, seenExamples / seconds,
                seenTokens / seconds, false, 0, Double.NaN);
    }

    private static float trainStep(DecoderModel decoder, ParameterStore store, List<Sequence> batch, long padId,
                                   Map<String, NDArray> parameters, AdamW optimizer, double learningRate,
                                   double maxGradNorm, NDManager scratch) {
        int length = batch.stream().mapToInt(s -> s.ids().length).max().orElseThrow();
        long[] ids = new long[batch.size() * length];
        long[] mask = new long[ids.length];
        long[] labels = new long[ids.length];
        Arrays.fill(ids, padId);
        for (int row = 0; row < batch.size(); row++) {
            Sequence sequence = batch.get(row);
            System.arraycopy(sequence.ids(), 0, ids, row * length, sequence.ids().length);
            Arrays.fill(mask, row * length, row * length + sequence.ids().length, 1L);
            System.arraycopy(sequence.labels(length), 0, labels, row * length, length);
        }
        Shape shape = new Shape(batch.size(), length);
        float lossValue;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray hidden = decoder.run(store, scratch.create(ids, shape), scratch.create(mask, shape), null, null,
                    true, null);
            NDArray loss = CausalLmLoss.mean(decoder.logits(store, hidden, true), scratch.create(labels, shape));
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
