package dev.adapterloop.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.adapterloop.adapters.AdaptedClassifier;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.engine.NativeHeap;
import dev.adapterloop.model.DropoutMasks;
import dev.adapterloop.model.TextTokenizer;
import dev.adapterloop.model.TokenizedText;
import io.quarkus.logging.Log;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains an adapted classifier's adapters and head with cross-entropy, AdamW, warm-up + linear decay and global
 * gradient-norm clipping. Everything a step allocates lives in a per-step manager closed at the end of the step, so
 * memory stays flat however long the run.
 */
public final class AdapterTrainer {

    /** Texts tokenized at once ({@link #tokenize}). */
    private static final int TOKENIZE_CHUNK = 1024;

    private static final double LOSS_SMOOTHING = 0.9;
    private static final int TRIM_EVERY_STEPS = 10;

    private final Consumer<TrainingProgress> progress;

    public AdapterTrainer(Consumer<TrainingProgress> progress) {
        this.progress = progress;
    }

    public TrainingResult train(AdaptedClassifier model, List<LabeledExample> examples, TrainingConfig config) {
        return train(model, examples, config, EarlyStopping.NONE);
    }

    /** Trains, and with a validation set stops early and keeps the factors with the lowest validation loss. */
    public TrainingResult train(AdaptedClassifier model, List<LabeledExample> examples, TrainingConfig config,
                                EarlyStopping stopping) {
        return train(model, examples, config, stopping, Checkpointing.NONE);
    }

    /**
     * Trains as above, saving a checkpoint every {@code checkpointing.everySteps()} steps and first resuming from the
     * newest intact checkpoint of this configuration and data, if there is one: the result is then bit for bit the
     * result of an uninterrupted run.
     */
    public TrainingResult train(AdaptedClassifier model, List<LabeledExample> examples, TrainingConfig config,
                                EarlyStopping stopping, Checkpointing checkpointing) {
        if (examples.isEmpty()) {
            throw new TrainingFailedException("no training examples");
        }
        // Grad mode is per thread and on by default: on a thread other than the one the engine started on, the
        // optimiser's in-place updates of the parameters would fail ("a leaf Variable that requires grad ...").
        JniUtils.setGradMode(false);
        int[] labels = labelIndices(model.labels(), examples);
        List<TokenizedText> texts = tokenize(model.base().tokenizer(), examples, config.maxSequenceLength());
        int totalSteps = config.totalSteps(examples.size());
        LearningRateSchedule schedule = LearningRateSchedule.of(config, totalSteps);
        Random shuffler = new Random(config.seed());

        Map<String, NDArray> parameters = model.trainableParameters();
        ValidationMonitor validation = new ValidationMonitor(model, stopping, config.maxSequenceLength());
        boolean stoppedEarly = false;
        List<Float> lossCurve = new ArrayList<>(totalSteps);
        List<StepRate> stepRates = new ArrayList<>(totalSteps);
        long started = System.nanoTime();
        long seenExamples = 0;
        long seenTokens = 0;
        double smoothedLoss = Double.NaN;
        NDManager root = model.base().manager();
        LossScaler scaler = model.base().backbone().computeType() == DataType.FLOAT16 ? LossScaler.dynamic()
                : LossScaler.NONE;
        CheckpointStore checkpoints = checkpointing.enabled() ? new CheckpointStore(checkpointing.dir(),
                checkpointing.bucket()) : null;
        String fingerprint = checkpoints == null ? "" : RunFingerprint.of(model, examples, config, stopping);
        try (AdamW optimizer = new AdamW(root, config.weightDecay())) {
            int resumedAt = 0;
            if (checkpoints != null) {
                TrainingCheckpoint checkpoint = loadCheckpoint(checkpoints, fingerprint);
                if (checkpoint != null) {
                    resume(checkpoint, parameters, optimizer, validation, scaler);
                    lossCurve.addAll(checkpoint.lossCurve());
                    stepRates.addAll(StepRate.padded(checkpoint.stepRates(), checkpoint.lossCurve().size()));
                    resumedAt = checkpoint.step();
                }
            }
            int step = 0;
            for (int epoch = 1; epoch <= config.epochs() && step < totalSteps && !stoppedEarly; epoch++) {
                List<Integer> order = shuffled(examples.size(), shuffler);
                for (int from = 0; from < order.size() && step < totalSteps && !stoppedEarly;
                     from += config.batchSize()) {
                    List<Integer> rows = order.subList(from, Math.min(order.size(), from + config.batchSize()));
                    step++;
                    if (step <= resumedAt) {
                        continue; // done before the checkpoint; the shuffles above still replay the same order
                    }
                    // Dropout masks are a function of (seed, step), so a resumed run draws the same ones.
                    Engine.getInstance().setRandomSeed((int) (config.seed() * 1_000_003L + step));
                    DropoutMasks.seed(config.seed() * 1_000_003L + step);
                    double learningRate = schedule.at(step);
                    float loss;
                    long tokens;
                    long stepStarted = System.nanoTime();
                    try (NDManager scratch = root.newSubManager()) {
                        NDList batch = TextTokenizer.collate(rows.stream().map(texts::get).toList(), scratch,
                                config.maxSequenceLength());
                        long[] batchLabels = rows.stream().mapToLong(i -> labels[i]).toArray();
                        tokens = batch.get(0).size();
                        loss = trainStep(model, batch, scratch.create(batchLabels), parameters, optimizer,
                                learningRate, config.maxGradNorm(), scaler, scratch);
                    }
                    if (!Float.isFinite(loss)) {
                        throw new TrainingFailedException("loss became " + loss + " at step " + step
                                + " (learning rate " + learningRate + "): training diverged");
                    }
                    if (step % TRIM_EVERY_STEPS == 0) {
                        NativeHeap.trim();
                    }
                    lossCurve.add(loss);
                    stepRates.add(StepRate.of(rows.size(), tokens, System.nanoTime() - stepStarted));
                    seenExamples += rows.size();
                    seenTokens += tokens;
                    smoothedLoss = Double.isNaN(smoothedLoss) ? loss
                            : LOSS_SMOOTHING * smoothedLoss + (1 - LOSS_SMOOTHING) * loss;
                    stoppedEarly = validation.shouldStop(step);
                    if (checkpoints != null && checkpointing.due(step) && step < totalSteps && !stoppedEarly) {
                        saveCheckpoint(checkpoints, fingerprint, step, lossCurve, stepRates, parameters, optimizer,
                                validation, scaler);
                    }
                    progress.accept(snapshot(step, totalSteps, epoch, smoothedLoss, learningRate, started,
                            seenExamples, seenTokens));
                }
            }
            validation.restoreBest();
            Duration duration = Duration.ofNanos(System.nanoTime() - started);
            double seconds = Math.max(1e-9, duration.toNanos() / 1e9);
            return new TrainingResult(step, examples.size(), lossCurve, stepRates, duration, seenExamples / seconds,
                    seenTokens / seconds, stoppedEarly, validation.bestStep(), validation.bestLoss());
        }
    }

    private static TrainingCheckpoint loadCheckpoint(CheckpointStore checkpoints, String fingerprint) {
        try {
            return checkpoints.latest(fingerprint).orElse(null);
        } catch (IOException e) {
            throw new TrainingFailedException("cannot read checkpoints: " + e.getMessage());
        }
    }

    private static void resume(TrainingCheckpoint checkpoint, Map<String, NDArray> parameters, AdamW optimizer,
                               ValidationMonitor validation, LossScaler scaler) {
        if (!checkpoint.parameters().keySet().equals(parameters.keySet())) {
            throw new TrainingFailedException("checkpoint at step " + checkpoint.step() + " holds parameters "
                    + checkpoint.parameters().keySet() + ", the model has " + parameters.keySet());
        }
        parameters.forEach((name, array) -> {
            float[] values = checkpoint.parameters().get(name);
            if (values.length != array.size()) {
                throw new TrainingFailedException("checkpoint parameter '" + name + "' has " + values.length
                        + " values, the model's has " + array.size());
            }
            array.set(values);
        });
        optimizer.restore(checkpoint.optimizerSteps(), checkpoint.firstMoments(), checkpoint.secondMoments(),
                parameters);
        validation.restore(checkpoint.bestLoss(), checkpoint.bestStep(), checkpoint.sinceBest(),
                checkpoint.bestParameters());
        scaler.restore(checkpoint.lossScale(), checkpoint.cleanScaledSteps(), checkpoint.skippedScaledSteps());
        Log.infof("resumed training from the checkpoint at step %d", checkpoint.step());
    }

    private static void saveCheckpoint(CheckpointStore checkpoints, String fingerprint, int step,
                                       List<Float> lossCurve, List<StepRate> stepRates,
                                       Map<String, NDArray> parameters, AdamW optimizer,
                                       ValidationMonitor validation, LossScaler scaler) {
        Map<String, float[]> values = new LinkedHashMap<>();
        parameters.forEach((name, array) -> values.put(name, array.toFloatArray()));
        TrainingCheckpoint checkpoint = new TrainingCheckpoint(fingerprint, step, List.copyOf(lossCurve),
                optimizer.steps(), values, optimizer.moments(true), optimizer.moments(false),
                validation.bestParameters(), validation.bestLossSoFar(), validation.bestStep(),
                validation.sinceBest(), scaler.currentScale(), scaler.cleanSteps(), scaler.skippedSteps(),
                StepRate.padded(stepRates, lossCurve.size()));
        try {
            checkpoints.write(checkpoint);
        } catch (IOException e) {
            // A failed checkpoint costs only the ability to resume from this step; the run itself is fine.
            Log.warnf("could not write the checkpoint at step %d: %s", step, e.getMessage());
        }
    }

    private static float trainStep(AdaptedClassifier model, NDList batch, NDArray labels,
                                   Map<String, NDArray> parameters, AdamW optimizer, double learningRate,
                                   double maxGradNorm, LossScaler scaler, NDManager scratch) {
        float lossValue;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray logits = model.logits(batch, true);
            NDArray loss = crossEntropy(logits, labels);
            collector.backward(scaler.scale(loss));
            lossValue = loss.getFloat();
        }
        Map<String, NDArray> gradients = new LinkedHashMap<>();
        parameters.forEach((name, parameter) -> {
            NDArray gradient = parameter.getGradient();
            gradient.attach(scratch);
            gradients.put(name, gradient);
        });
        // An fp16 overflow skips the update (the scaler lowers its factor); the loss itself was computed in fp32.
        if (scaler.unscale(gradients)) {
            clipByGlobalNorm(gradients, maxGradNorm);
            optimizer.step(parameters, gradients, learningRate, scratch);
        }
        // Gradients accumulate across backward passes: reset them in place for the next step.
        gradients.values().forEach(gradient -> gradient.subi(gradient));
        return lossValue;
    }

    static NDArray crossEntropy(NDArray logits, NDArray labels) {
        NDArray logProbabilities = logits.logSoftmax(1);
        NDArray picked = logProbabilities.mul(labels.oneHot((int) logits.getShape().get(1), logits.getDataType()));
        return picked.sum(new int[] {1}).mean().neg();
    }

    static void clipByGlobalNorm(Map<String, NDArray> gradients, double maxNorm) {
        double squared = 0;
        for (NDArray gradient : gradients.values()) {
            squared += gradient.square().sum().getFloat();
        }
        double norm = Math.sqrt(squared);
        if (norm > maxNorm) {
            double factor = maxNorm / (norm + 1e-6);
            gradients.values().forEach(gradient -> gradient.muli(factor));
        }
    }

    static int[] labelIndices(List<String> labels, List<LabeledExample> examples) {
        int[] indices = new int[examples.size()];
        for (int i = 0; i < examples.size(); i++) {
            indices[i] = labels.indexOf(examples.get(i).label());
            if (indices[i] < 0) {
                throw new BadDataException("example " + (i + 1) + " has label '" + examples.get(i).label()
                        + "', which is not one of the task's labels " + labels);
            }
        }
        return indices;
    }

    /**
     * The examples' token ids, truncated to {@code maxLength}. In chunks: the tokenizer returns each text's full,
     * untruncated encoding, and a whole job's at once would hold them all (as much again as the texts) at one time.
     */
    static List<TokenizedText> tokenize(TextTokenizer tokenizer, List<LabeledExample> examples, int maxLength) {
        List<TokenizedText> out = new ArrayList<>(examples.size());
        for (int from = 0; from < examples.size(); from += TOKENIZE_CHUNK) {
            List<String> texts = examples.subList(from, Math.min(examples.size(), from + TOKENIZE_CHUNK)).stream()
                    .map(LabeledExample::text).toList();
            for (TokenizedText text : tokenizer.encode(texts)) {
                out.add(text.truncate(maxLength));
            }
        }
        return out;
    }


    static List<Integer> shuffled(int size, Random random) {
        List<Integer> order = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        return order;
    }

    private static TrainingProgress snapshot(int step, int totalSteps, int epoch, double loss, double learningRate,
                                             long started, long examples, long tokens) {
        long elapsedNanos = System.nanoTime() - started;
        double seconds = Math.max(1e-9, elapsedNanos / 1e9);
        Duration eta = Duration.ofNanos((long) ((double) elapsedNanos / step * (totalSteps - step)));
        return new TrainingProgress(step, totalSteps, epoch, loss, learningRate, examples / seconds,
                tokens / seconds, Duration.ofNanos(elapsedNanos), eta);
    }
}
