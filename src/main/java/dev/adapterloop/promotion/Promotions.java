package dev.adapterloop.promotion;

import dev.adapterloop.registry.AliasStore;
import dev.adapterloop.registry.ObjectStore;
import dev.adapterloop.registry.PromotionRecords;
import dev.adapterloop.training.TasksConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The promotion stage's parts for the application, per task settings from {@code adapterloop.tasks.<task>.promotion}:
 * what the training job runner calls after an evaluation ({@link #offline}), and what the feedback consumers feed
 * ({@link #experiments}).
 */
@ApplicationScoped
public class Promotions {

    private final TasksConfig tasks;
    private final PromotionRecords records;
    private final PromotionService service;
    private final OnlineExperiments experiments;

    public Promotions(TasksConfig tasks, ObjectStore store, AliasStore aliases, PromotionEvents events) {
        this.tasks = tasks;
        this.records = new PromotionRecords(store);
        this.service = new PromotionService(aliases, events);
        this.experiments = new OnlineExperiments(records, task -> new OnlineDecider(onlineSettings(task)), service,
                Clock.systemUTC());
    }

    /** The offline gate of {@code task}, judging against the champion's stored held-out outcomes. */
    public OfflinePromotion offline(String task) {
        return new OfflinePromotion(new OfflineGate(GateSettings.of(task(task).promotion().gate())),
                ChampionOutcomes.stored(records), service);
    }

    public OnlineSettings onlineSettings(String task) {
        return OnlineSettings.of(task(task).promotion().online());
    }

    public Optional<List<String>> labels(String task) {
        return Optional.ofNullable(tasks.tasks().get(task)).map(TasksConfig.Task::labels);
    }

    public PromotionRecords records() {
        return records;
    }

    public PromotionService service() {
        return service;
    }

    public OnlineExperiments experiments() {
        return experiments;
    }

    private TasksConfig.Task task(String task) {
        TasksConfig.Task config = tasks.tasks().get(task);
        if (config == null) {
            throw new IllegalArgumentException("task '" + task + "' is not configured");
        }
        return config;
    }
}
