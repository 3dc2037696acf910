package dev.adapterloop.deadletter;

import java.util.List;
import org.apache.kafka.common.header.Header;

/**
 * One record of a dead-letter topic as SmallRye's dead-letter strategy wrote it: the refused record's key, value and
 * headers, plus {@code dead-letter-*} headers saying why and where it came from.
 *
 * @param partition the dead-letter topic's partition
 * @param offset    its offset there
 */
public record DeadLetter(String topic, int partition, long offset, String key, String value, List<Header> headers) {

    public static final String REASON = "dead-letter-reason";
    public static final String SOURCE_TOPIC = "dead-letter-topic";
    public static final String SOURCE_PARTITION = "dead-letter-partition";
    public static final String SOURCE_OFFSET = "dead-letter-offset";
    /** Added to a replayed record: the dead letter it came from ({@code <topic>-<partition>@<offset>}). */
    public static final String REPLAYED_FROM = "adapterloop-replayed-from";

    public DeadLetter {
        headers = List.copyOf(headers);
    }

    public String reason() {
        return header(REASON);
    }

    public String eventId() {
        return header("ce_id");
    }

    /** Where the record was first published: the {@code dead-letter-topic} header, or {@code fallback}. */
    public String sourceTopic(String fallback) {
        String source = header(SOURCE_TOPIC);
        return source == null || source.isBlank() ? fallback : source;
    }

    /** {@code <topic>-<partition>@<offset>}. */
    public String position() {
        return topic + "-" + partition + "@" + offset;
    }

    /** The last value of the header, or null. */
    public String header(String name) {
        String value = null;
        for (Header header : headers) {
            if (header.key().equals(name) && header.value() != null) {
                value = new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return value;
    }

    /** The headers the record had before it was dead-lettered (the {@code dead-letter-*} ones left out). */
    public List<Header> originalHeaders() {
        return headers.stream().filter(header -> !header.key().startsWith("dead-letter-")).toList();
    }
}
