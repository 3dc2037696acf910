package dev.adapterloop.training;

import dev.adapterloop.adapters.AdapterMethod;
import dev.adapterloop.config.AdapterSettings;
import dev.adapterloop.config.TaskKind;
import dev.adapterloop.config.TasksConfig;
import java.util.List;

/**
 * Everything a job trains with, resolved and validated before it starts: the task's labels and base model, the
 * adapter method, the optimisation settings, and how the job builds on earlier versions. The service resolves them
 * from the task's configuration ({@link #of}); the command line starts from the same and replaces what its options
 * name, so that no one rewrites configuration to pass a setting.
 *
 * @param labels              the head's classes, in output order
 * @param baseModel           the base model's id ({@code models/<id>/} in the bucket)
 * @param method              the adapter method with its hyperparameters
 * @param training            epochs, batch, sequence length, optimiser, schedule, seed
 * @param validationFraction  share of the training data held back for early stopping (0: none)
 * @param evaluateEverySteps  steps between early-stopping evaluations
 * @param earlyStoppingPatience evaluations without improvement before stopping
 * @param checkpointEverySteps steps between checkpoints (0: none)
 * @param maxHeldOutExamples  cap on the held-out examples read (0: all)
 * @param warmStart           start from the champion's adapter when it is compatible
 * @param replayRatio         earlier examples replayed per new example
 * @param replayMaxExamples   cap on the replayed examples
 * @param kind                classification or generation
 * @param exactMatch          generation: also measure exact match on the held-out set
 */
public record JobSettings(List<String> labels, String baseModel, AdapterMethod method, TrainingConfig training,
                          double validationFraction, int evaluateEverySteps, int earlyStoppingPatience,
                          int checkpointEverySteps, int maxHeldOutExamples, boolean warmStart, double replayRatio,
                          int replayMaxExamples, TaskKind kind, boolean exactMatch) {

    public JobSettings {
        labels = List.copyOf(labels);
        if (kind == TaskKind.CLASSIFICATION && labels.size() < 2) {
            throw new IllegalArgumentException("a classification task needs at least 2 labels (labels=a,b,...), got "
                    + labels);
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation-fraction must be in [0, 1), got " + validationFraction);
        }
    }

    /**
     * A task's configuration, resolved.
     *
     * @throws IllegalArgumentException a setting that makes no method or no training run; the message names it
     */
    public static JobSettings of(TasksConfig.Task task) {
        TasksConfig.Training t = task.training();
        return new JobSettings(task.labels(), task.baseModel(), AdapterSettings.method(task.adapter()),
                trainingConfig(t), t.validationFraction(), t.evaluateEverySteps(), t.earlyStoppingPatience(),
                t.checkpointEverySteps(), t.maxHeldOutExamples(), t.warmStart(), t.replayRatio(),
                t.replayMaxExamples(), task.kind(), task.generation().exactMatch());
    }

    static TrainingConfig trainingConfig(TasksConfig.Training t) {
        return new TrainingConfig(t.epochs(), t.batchSize(), t.maxSequenceLength(), t.learningRate(),
                t.weightDecay(), t.warmupRatio(), t.maxGradNorm(), t.maxSteps(), t.seed(),
                TrainingConfig.Decay.parse(t.decay()));
    }

    /** The same settings with another adapter method. */
    public JobSettings withMethod(AdapterMethod other) {
        return new JobSettings(labels, baseModel, other, training, validationFraction, evaluateEverySteps,
                earlyStoppingPatience, checkpointEverySteps, maxHeldOutExamples, warmStart, replayRatio,
                replayMaxExamples, kind, exactMatch);
    }

    /** The same settings with other optimisation settings. */
    public JobSettings withTraining(TrainingConfig other) {
        return new JobSettings(labels, baseModel, method, other, validationFraction, evaluateEverySteps,
                earlyStoppingPatience, checkpointEverySteps, maxHeldOutExamples, warmStart, replayRatio,
                replayMaxExamples, kind, exactMatch);
    }
}
