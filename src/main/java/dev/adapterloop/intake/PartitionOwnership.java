package dev.adapterloop.intake;

import dev.adapterloop.training.TrainingScheduler;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Tells the scheduler which {@code labeled-data} partitions this replica owns. Kafka's group protocol is the only
 * coordination between replicas: a replica that dies loses its partitions after the session timeout, and whoever
 * gets them picks up its unfinished jobs from their records.
 */
@ApplicationScoped
@Identifier(PartitionOwnership.NAME)
public class PartitionOwnership implements KafkaConsumerRebalanceListener {

    public static final String NAME = "labeled-data-partitions";

    private final TrainingScheduler scheduler;
    // The scan reads the bucket: off the polling thread, so a slow bucket never delays a poll.
    private final ExecutorService scans = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "adapterloop-partition-scan");
        thread.setDaemon(true);
        return thread;
    });

    public PartitionOwnership(TrainingScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        List<Integer> numbers = numbers(partitions);
        Log.infof("labeled-data partitions assigned: %s", numbers);
        scans.submit(() -> {
            try {
                scheduler.partitionsAssigned(numbers);
            } catch (RuntimeException e) {
                Log.errorf(e, "could not look for unfinished jobs on partitions %s", numbers);
            }
        });
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        List<Integer> numbers = numbers(partitions);
        Log.infof("labeled-data partitions revoked: %s", numbers);
        scheduler.partitionsRevoked(numbers);
    }

    private static List<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).sorted().toList();
    }

    @PreDestroy
    void stop() {
        scans.shutdownNow();
    }
}
