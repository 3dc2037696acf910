package dev.adapterloop.promotion;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.events.InvalidPredictionIdException;
import dev.adapterloop.events.PredictionId;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Joins a {@code prediction-feedback} event to the prediction that caused it. Prediction ids are self-describing and
 * signed ({@link PredictionId}): the id alone says which task, adapter version and variant answered, and what label
 * they gave, so no lookup is needed and a forged or corrupted id is refused. Data is
 * {@code {"predictionId": "...", "label": "spam"}} (the true label: reward 1 if the prediction had it, else 0) or
 * {@code {"predictionId": "...", "reward": 0.7}} (a reward in [0, 1]). Either may carry {@code "text"}, the request's
 * text, sent back by the client so that labeled feedback can become training data: the prediction log never keeps it.
 * Feedback on a generation carries a {@code reward}, and may correct it: {@code "text"} the prompt and
 * {@code "completion"} what the answer should have been, which becomes a prompt/completion training example.
 */
public final class FeedbackJoin {

    /**
     * The outcome of one prediction, ready for {@link ExperimentState#withOutcome}; {@code label} (the true label, when
     * the feedback gave one) and {@code text} (when the client sent the request's text back) are null otherwise: they
     * are what {@link FeedbackDatasets} needs to turn the feedback into a training example.
     */
    public record Outcome(String task, String version, String variant, double reward, String predictionId,
                          String label, String text, String completion) {

        public Outcome(String task, String version, String variant, double reward, String predictionId) {
            this(task, version, variant, reward, predictionId, null, null, null);
        }

        public Outcome(String task, String version, String variant, double reward, String predictionId,
                       String label, String text) {
            this(task, version, variant, reward, predictionId, label, text, null);
        }
    }

    /**
     * Larger payloads cannot be feedback: refused before parsing. Room for a text of the default
     * {@code feedback-datasets.max-text-chars} even if every character is escaped; the per-task limit is applied later
     * and only keeps the text out of the dataset.
     */
    static final int MAX_PAYLOAD_CHARS = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How long an id takes feedback when none is configured ({@code adapterloop.serving.prediction-id-ttl}). */
    public static final Duration DEFAULT_TTL = Duration.ofDays(30);

    private final String predictionIdKey;
    private final Function<String, Optional<List<String>>> taskLabels;
    private final Duration ttl;
    private final Clock clock;

    /** @param taskLabels the labels of a configured task; empty for a task that is not configured */
    public FeedbackJoin(String predictionIdKey, Function<String, Optional<List<String>>> taskLabels) {
        this(predictionIdKey, taskLabels, DEFAULT_TTL, Clock.systemUTC());
    }

    /** @param ttl how long after it was issued an id still takes feedback */
    public FeedbackJoin(String predictionIdKey, Function<String, Optional<List<String>>> taskLabels, Duration ttl,
                        Clock clock) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("adapterloop.serving.prediction-id-ttl must be positive, got " + ttl);
        }
        this.predictionIdKey = predictionIdKey;
        this.taskLabels = taskLabels;
        this.ttl = ttl;
        this.clock = clock;
    }

    /**
     * @param subject the event's task, from its Kafka key or CloudEvents subject (null when it names none)
     * @throws InvalidFeedbackException with a reason the DLQ record carries
     */
    public Outcome join(String payload, String subject) {
        JsonNode data = parse(payload);
        JsonNode idNode = data.get("predictionId");
        if (idNode == null || !idNode.isTextual()) {
            throw new InvalidFeedbackException(InvalidFeedbackException.Reason.MALFORMED,
                    "`predictionId` must be a string");
        }
        PredictionId id;
        try {
            id = PredictionId.parse(predictionIdKey, idNode.asText());
        } catch (InvalidPredictionIdException e) {
            throw new InvalidFeedbackException(InvalidFeedbackException.Reason.BAD_PREDICTION_ID, e.getMessage());
        }
        if (id.issuedAt().plus(ttl).isBefore(clock.instant())) {
            throw new InvalidFeedbackException(InvalidFeedbackException.Reason.EXPIRED, "prediction "
                    + id.issuedAt() + " is older than " + ttl + " (adapterloop.serving.prediction-id-ttl)");
        }
        if (subject != null && !subject.equals(id.task())) {
            throw new InvalidFeedbackException(InvalidFeedbackException.Reason.FOREIGN_TASK, "the event is for task '"
                    + subject + "', the prediction was made for task '" + id.task() + "'");
        }
        List<String> labels = taskLabels.apply(id.task()).orElseThrow(() -> new InvalidFeedbackException(
                InvalidFeedbackException.Reason.UNKNOWN_TASK, "task '" + id.task() + "' is not configured"));
        JsonNode label = data.get("label");
        JsonNode reward = data.get("reward");
        if ((label == null) == (reward == null)) {
            throw new InvalidFeedbackException(InvalidFeedbackException.Reason.MALFORMED,
                    "exactly one of `label` and `reward` is required");
        }
        double value;
        if (label != null) {
            if (labels.isEmpty()) {
                throw new InvalidFeedbackException(InvalidFeedbackException.Reason.UNKNOWN_LABEL, "task " + id.task()
                        + " generates text and has no labels: send a `reward` in [0, 1]");
            }
            if (!label.isTextual() || !labels.contains(label.asText())) {
                throw new InvalidFeedbackException(InvalidFeedbackException.Reason.UNKNOWN_LABEL, "label "
                        + abbreviate(label.toString()) + " is not one of task " + id.task() + "'s labels " + labels);
            }
            value = label.asText().equals(id.label()) ? 1 : 0;
        } else {
            if (!reward.isNumber() || !(reward.asDouble() >= 0 && reward.asDouble() <= 1)) {
                throw new InvalidFeedbackException(InvalidFeedbackException.Reason.BAD_REWARD,
                        "`reward` must be a number in [0, 1], got " + abbreviate(reward.toString()));
            }
            value = reward.asDouble();
        }
        JsonNode text = data.get("text");
        if (text != null && !text.isNull() && !text.isTextual()) {
            throw new InvalidFeedbackException(InvalidFeedbackException.Reason.MALFORMED,
                    "`text` must be a string when present");
        }
        // A text becomes training data: it must be the one the id answered, or anyone holding an id could attach
        // any text to the label the model gave.
        if (text != null && text.isTextual() && !id.isBoundTo(predictionIdKey, text.asText())) {
            throw new InvalidFeedbackException(InvalidFeedbackException.Reason.TEXT_MISMATCH, "`text` is not the"
                    + " text this prediction id was issued for" + (id.textBinding() == null
                    ? " (the id carries no text binding: it was issued before ids were bound to their text)" : ""));
        }
        JsonNode completion = data.get("completion");
        if (completion != null && !completion.isNull()) {
            if (!labels.isEmpty()) {
                throw new InvalidFeedbackException(InvalidFeedbackException.Reason.MALFORMED, "task " + id.task()
                        + " classifies: `completion` is for generation tasks (send the true `label`)");
            }
            if (!completion.isTextual() || completion.asText().isBlank()) {
                throw new InvalidFeedbackException(InvalidFeedbackException.Reason.MALFORMED,
                        "`completion` must be a non-empty string when present");
            }
        }
        return new Outcome(id.task(), id.version(), id.variant(), value, idNode.asText(),
                label == null ? null : label.asText(), text == null || text.isNull() ? null : text.asText(),
                completion == null || completion.isNull() ? null : completion.asText());
    }

    private static JsonNode parse(String payload) {
        if (payload == null || payload.isBlank()) {
            throw new InvalidFeedbackException(InvalidFeedbackException.Reason.MALFORMED, "empty payload");
        }
        if (payload.length() > MAX_PAYLOAD_CHARS) {
            throw new InvalidFeedbackException(InvalidFeedbackException.Reason.MALFORMED, "payload of "
                    + payload.length() + " characters, at most " + MAX_PAYLOAD_CHARS + " allowed");
        }
        try {
            JsonNode data = JSON.readTree(payload);
            if (data == null || !data.isObject()) {
                throw new InvalidFeedbackException(InvalidFeedbackException.Reason.MALFORMED,
                        "data must be a JSON object");
            }
            return data;
        } catch (JsonProcessingException e) {
            throw new InvalidFeedbackException(InvalidFeedbackException.Reason.MALFORMED, "not JSON: "
                    + e.getOriginalMessage());
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }
}
