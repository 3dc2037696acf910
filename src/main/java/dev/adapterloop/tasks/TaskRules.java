package dev.adapterloop.tasks;

import dev.adapterloop.config.TaskProperties;
import dev.adapterloop.config.TasksConfig;
import dev.adapterloop.intake.LabeledDataValidator;
import dev.adapterloop.promotion.FeedbackDatasets;
import dev.adapterloop.promotion.GateSettings;
import dev.adapterloop.promotion.OnlineSettings;
import dev.adapterloop.training.JobSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether settings make a task every stage can run: mapped by the configuration's own mapping
 * ({@link TaskProperties}), then resolved by each stage's own code exactly as it resolves them when it uses them
 * (the job's settings and adapter method, the gate, the online test, feedback datasets, the intake policy). Nothing is
 * checked twice in two ways: a rule lives in its stage, and a definition that passes here is one the stage accepts.
 */
public final class TaskRules {

    private TaskRules() {
    }

    /**
     * The task's settings, resolved.
     *
     * @param settings keys after {@code adapterloop.tasks.<task>.}
     * @throws TaskProperties.InvalidSettingsException every problem, each named by the setting or section it is in
     */
    public static TasksConfig.Task check(String task, Map<String, String> settings) {
        TasksConfig.Task mapped = TaskProperties.map(task, settings);
        List<TaskProperties.Problem> problems = new ArrayList<>();
        check(problems, "", () -> JobSettings.of(mapped)); // labels, base model, adapter.*, training.*
        check(problems, "promotion.gate", () -> GateSettings.of(mapped.promotion().gate()));
        check(problems, "promotion.online", () -> OnlineSettings.of(mapped.promotion().online()));
        check(problems, "promotion", () -> FeedbackDatasets.Settings.of(mapped));
        check(problems, "intake.malformed-lines", () -> LabeledDataValidator.policy(mapped.intake().malformedLines()));
        check(problems, "intake.max-records", () -> {
            if (mapped.intake().maxRecords() < 1) {
                throw new IllegalArgumentException("must be at least 1, got " + mapped.intake().maxRecords());
            }
        });
        if (!problems.isEmpty()) {
            throw new TaskProperties.InvalidSettingsException(problems);
        }
        return mapped;
    }

    private static void check(List<TaskProperties.Problem> problems, String section, Runnable resolve) {
        try {
            resolve.run();
        } catch (RuntimeException e) { // the stages refuse with IllegalArgument- or IllegalStateException
            problems.add(new TaskProperties.Problem(section, String.valueOf(e.getMessage())));
        }
    }
}
