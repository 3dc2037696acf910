package dev.adapterloop.cli;

import dev.adapterloop.deadletter.DeadLetter;
import dev.adapterloop.deadletter.DeadLetterReplay;
import dev.adapterloop.deadletter.DeadLetterSelection;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.eclipse.microprofile.config.ConfigProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Publishes chosen records of {@code labeled-data-dlq} again to {@code labeled-data}, once the cause that sent them
 * there is fixed (a dataset uploaded, a task configured, a bug deployed away). Intake takes an event id or a dataset
 * digest in once, so replaying a record twice trains it once; a record whose cause is not fixed goes back to the
 * dead-letter topic with its reason.
 */
@Dependent
@Unremovable
@Command(name = ReplayDlqCommand.NAME, sortOptions = false,
        description = {"Re-publishes chosen dead-lettered labeled-data events to the topic they came from, with their "
                + "key, value and headers (the CloudEvent id among them). Safe to repeat: intake takes an event id "
                + "in once.",
                "Without a criterion every dead letter is chosen; --list shows the choice and publishes nothing."})
public class ReplayDlqCommand implements Callable<Integer> {

    static final String NAME = "replay-dlq";
    static final String DLQ_TOPIC = "labeled-data-dlq";

    @Mixin
    HelpOption help = new HelpOption();

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = DLQ_TOPIC,
            description = "Dead-letter topic to read (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--partition", paramLabel = "N", description = "Only this partition of the dead-letter topic.")
    Integer partition;

    @Option(names = "--from-offset", paramLabel = "OFFSET", description = "Only offsets at or after this one.")
    Long fromOffset;

    @Option(names = "--to-offset", paramLabel = "OFFSET", description = "Only offsets at or before this one.")
    Long toOffset;

    @Option(names = "--task", paramLabel = "TASK", description = "Only events of this task (the record key).")
    String task;

    @Option(names = "--reason", paramLabel = "TEXT",
            description = "Only records whose dead-letter-reason contains TEXT (ignoring case), e.g. crash-loop.")
    String reason;

    @Option(names = "--event", paramLabel = "CE_ID", split = ",", description = "Only these CloudEvent ids.")
    Set<String> eventIds;

    @Option(names = "--list", description = "Show the chosen records, publish nothing.")
    boolean listOnly;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT30S",
            description = "How long to wait for Kafka (ISO-8601, default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
        DeadLetterSelection selection;
        try {
            selection = new DeadLetterSelection(partition, fromOffset, toOffset, task, reason, eventIds);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage());
        }
        String bootstrapServers = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (DeadLetterReplay replay = new DeadLetterReplay(bootstrapServers, timeout)) {
            List<DeadLetter> chosen = replay.list(topic, selection);
            for (DeadLetter letter : chosen) {
                String line = letter.position() + " task=" + letter.key() + " event=" + letter.eventId()
                        + " reason=" + letter.reason();
                System.out.println(listOnly ? line : line + " -> " + replay.replay(letter, "labeled-data"));
            }
            System.err.printf("%d dead letter(s) of %s %s%n", chosen.size(), topic, listOnly ? "chosen" : "replayed");
        }
        return ExitCodes.OK;
    }
}
