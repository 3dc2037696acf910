package dev.adapterloop.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Per-task settings: {@code adapterloop.tasks.<task>.*}. The same mapping reads the task definitions kept in the
 * bucket ({@link TaskProperties}); a task neither configured here nor defined there is unknown, and its events go to
 * the dead-letter topic. Stages read tasks through {@link TaskCatalogue}, which sees both.
 */
@ConfigMapping(prefix = "adapterloop.tasks")
public interface TasksConfig {

    @WithParentName
    Map<String, Task> tasks();

    interface Task {
        /**
         * What the task's adapters learn: {@code classification} (labeled texts, a head over the base model; the
         * default) or {@code generation} (prompt → completion or chat records, the decoder's own language-model head,
         * docs/generation.md).
         */
        @WithDefault(TaskKind.CLASSIFICATION_NAME)
        TaskKind kind();

        /** Class labels in a fixed order (classification): the head's output index i is labels[i]. */
        @WithName("labels")
        Optional<List<String>> labelList();

        /** The labels, or none for a generation task (a classification task without labels fails its jobs). */
        default List<String> labels() {
            return labelList().orElse(List.of());
        }

        /** Base model id: its files live under {@code models/<id>/} in the bucket. */
        @WithDefault("all-minilm-l6-v2")
        String baseModel();

        /** Held-out JSONL key used when an event names none; versions of a task are compared on it. */
        Optional<String> heldOutKey();

        Adapter adapter();

        Training training();

        Intake intake();

        /** The offline gate and the online A/B test (docs/promotion.md). */
        PromotionConfig promotion();

        /** Generation tasks only: evaluation and serving defaults. */
        Generation generation();
    }

    /** How a generation task is evaluated and served (docs/generation.md). */
    interface Generation {
        /**
         * Also measure exact match on the held-out set: greedy decoding of each prompt, compared with its reference
         * completion (both trimmed). One decoding loop per example batch: off by default because it costs far more
         * than the loss.
         */
        @WithDefault("false")
        boolean exactMatch();

        /** {@code max_tokens} of a generation request that gives none. */
        @WithDefault("64")
        int defaultMaxTokens();

        /** The most {@code max_tokens} a request may ask for. */
        @WithDefault("512")
        int maxTokens();

        /** A prompt longer than this (characters, before tokenizing) is refused with 413. */
        @WithDefault("16000")
        int maxPromptChars();
    }

    /** When accepted data becomes a training job, and what happens to records that are not valid examples. */
    interface Intake {
        /** A job starts once this many new valid records have accumulated... */
        @WithDefault("1")
        long minNewExamples();

        /** ...or when the oldest accumulated data has waited this long, however few records there are. */
        @WithDefault("PT1H")
        java.time.Duration maxWait();

        /** skip: drop malformed lines and unknown labels with a count in the log; reject: refuse the dataset. */
        @WithDefault("skip")
        String malformedLines();

        /**
         * A dataset with more non-blank lines (records, valid or not) than this is refused while intake streams it,
         * before anything is kept: the training job holds a dataset's examples in memory, and a cap on records
         * (together with {@code training.max-data-memory}) is what keeps millions of tiny lines from exhausting it.
         */
        @WithDefault("1000000")
        long maxRecords();

        /** A dataset object larger than this is refused before it is read (512 MiB). */
        @WithDefault("536870912")
        long maxDatasetBytes();

        /**
         * Whether an event's {@code heldOut} may name another dataset than {@code held-out-key}. Off by default: the
         * held-out set decides the gate, so whoever may publish an event should not be able to choose it.
         */
        @WithDefault("false")
        boolean allowEventHeldOut();
    }

    interface Adapter {
        /** A registered adapter method: lora, lorma-plus, lorma-pi, milora, pissa, dora (AdapterMethods.names()). */
        @WithDefault("lora")
        String method();

        @WithDefault("8")
        int rank();

        @WithDefault("16")
        double alpha();

        @WithDefault("0.1")
        double dropout();

        /** PEFT target_modules: names ({@code query,value}) or {@code re:<regex>} over module paths. */
        @WithName("target-modules")
        @WithDefault("query,value")
        String targetModules();

        /**
         * The method's own options, {@code adapter.options.<name>=<value>} (e.g. {@code use-rslora=true} for lora,
         * milora, pissa and dora; {@code placement=post} for lorma-plus and lorma-pi); each method lists its own and
         * refuses the others' (docs/methods.md).
         */
        Map<String, String> options();
    }

    interface Training {
        @WithDefault("1")
        int epochs();

        @WithDefault("16")
        int batchSize();

        @WithDefault("128")
        int maxSequenceLength();

        @WithDefault("5e-4")
        double learningRate();

        @WithDefault("0.01")
        double weightDecay();

        @WithDefault("0.06")
        double warmupRatio();

        @WithDefault("1.0")
        double maxGradNorm();

        /** Learning-rate decay after warm-up: linear or cosine. */
        @WithDefault("linear")
        String decay();

        /** 0: as many steps as the epochs give. */
        @WithDefault("0")
        int maxSteps();

        @WithDefault("42")
        long seed();

        /** Share of the training data held back for early stopping (0: no early stopping). */
        @WithDefault("0")
        double validationFraction();

        @WithDefault("50")
        int evaluateEverySteps();

        @WithDefault("3")
        int earlyStoppingPatience();

        /**
         * Steps between checkpoints in the engine's work folder (0: none). A job that runs again with the same
         * configuration and data resumes from its last checkpoint instead of starting over.
         */
        @WithDefault("50")
        int checkpointEverySteps();

        /** Caps the examples read from the held-out set (0: all), to bound evaluation time. */
        @WithDefault("0")
        int maxHeldOutExamples();

        /**
         * Incremental training: start from the task's champion adapter ({@code WarmStart}) when it was built for the
         * same method, rank, alpha, method options, targets, labels and base model; otherwise, or when false, start cold.
         */
        @WithDefault("true")
        boolean warmStart();

        /**
         * Earlier examples replayed per new example whenever a job builds on a champion (see {@code ReplaySample}),
         * also when the warm start is off or impossible: the job trains on the new data plus
         * {@code min(ceil(ratio × new), replay-max-examples, available)} examples sampled from the datasets of the
         * champion's lineage. 0 disables replay.
         */
        @WithDefault("0.5")
        double replayRatio();

        /** Cap on the replayed earlier examples per job; 0 disables replay. */
        @WithDefault("5000")
        int replayMaxExamples();
    }
}
