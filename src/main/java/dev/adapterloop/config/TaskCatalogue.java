package dev.adapterloop.config;

import java.util.Map;

/**
 * The tasks as they are now, for every stage that needs a task's settings (intake, training, promotion, serving).
 * In the service these are the bucket's task definitions over the configured ones, re-read while it runs, so that a
 * task created or changed through the API reaches every replica without a restart; outside it (tests, tools) the
 * configuration alone ({@link #of}). Read {@link #tasks()} each time: the map is a snapshot that a change replaces.
 */
@FunctionalInterface
public interface TaskCatalogue {

    /** Every known task's settings by name: an immutable snapshot. */
    Map<String, TasksConfig.Task> tasks();

    /** The configured tasks and nothing else: for code that runs without a bucket. */
    static TaskCatalogue of(TasksConfig config) {
        return config::tasks;
    }
}
