package dev.adapterloop.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.adapterloop.events.PredictionId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Feedback joined to its prediction through the signed id; every kind of bad feedback refused with its reason. */
class FeedbackJoinTest {

    private static final String KEY = "feedback-test-key-0123456789";
    private static final Map<String, List<String>> TASKS = Map.of("spam", List.of("ham", "spam"));
    private final FeedbackJoin join = new FeedbackJoin(KEY, task -> Optional.ofNullable(TASKS.get(task)));
    private final String id = PredictionId.issue(KEY, "spam", "v-challenger", "challenger", "spam",
            Instant.now());

    @Test
    void aTrueLabelBecomesRightOrWrongForTheVersionAndVariantThatAnswered() {
        FeedbackJoin.Outcome right = join.join("{\"predictionId\":\"" + id + "\",\"label\":\"spam\"}", "spam");
        assertThat(right).isEqualTo(new FeedbackJoin.Outcome("spam", "v-challenger", "challenger", 1, id, "spam",
                null));
        assertThat(join.join("{\"predictionId\":\"" + id + "\",\"label\":\"ham\"}", null).reward()).isZero();
    }

    @Test
    void aRewardIsTakenAsIs() {
        assertThat(join.join("{\"predictionId\":\"" + id + "\",\"reward\":0.7}", "spam").reward()).isEqualTo(0.7);
    }

    @Test
    void feedbackOnAGenerationTakesARewardAndMayCorrectTheCompletionButNeverALabel() {
        FeedbackJoin generation = new FeedbackJoin(KEY, task -> Optional.of(List.of()));
        String generated = PredictionId.issue(KEY, "writer", "v1", "champion", "completion", Instant.now(),
                "Summarise: x");
        FeedbackJoin.Outcome corrected = generation.join("{\"predictionId\":\"" + generated
                + "\",\"reward\":0,\"text\":\"Summarise: x\",\"completion\":\" X.\"}", "writer");
        assertThat(corrected).isEqualTo(new FeedbackJoin.Outcome("writer", "v1", "champion", 0, generated, null,
                "Summarise: x", " X."));
        assertThatThrownBy(() -> generation.join("{\"predictionId\":\"" + generated + "\",\"label\":\"spam\"}",
                null)).isInstanceOf(InvalidFeedbackException.class).hasMessageContaining("send a `reward`");
        assertThatThrownBy(() -> generation.join("{\"predictionId\":\"" + generated
                + "\",\"reward\":1,\"completion\":\"  \"}", null)).isInstanceOf(InvalidFeedbackException.class)
                .hasMessageContaining("non-empty string");
        // A classification task's feedback cannot carry a completion.
        refused("{\"predictionId\":\"" + id + "\",\"reward\":1,\"completion\":\"x\"}",
                InvalidFeedbackException.Reason.MALFORMED, "`completion` is for generation tasks");
    }

    @Test
    void aTextMustBeTheOneTheIdWasIssuedForAndAnIdExpires() {
        Instant now = Instant.parse("2026-03-01T00:00:00Z");
        FeedbackJoin strict = new FeedbackJoin(KEY, task -> Optional.ofNullable(TASKS.get(task)),
                java.time.Duration.ofDays(30), java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));
        String bound = PredictionId.issue(KEY, "spam", "v1", "champion", "spam", now.minusSeconds(60), "win a prize");
        assertThat(strict.join("{\"predictionId\":\"" + bound + "\",\"label\":\"spam\",\"text\":\"win a prize\"}",
                null).text()).isEqualTo("win a prize");
        assertThatThrownBy(() -> strict.join("{\"predictionId\":\"" + bound
                + "\",\"label\":\"ham\",\"text\":\"lunch at noon\"}", null))
                .isInstanceOf(InvalidFeedbackException.class).hasMessageContaining("text mismatch")
                .hasMessageContaining("not the text this prediction id was issued for");
        String unbound = PredictionId.issue(KEY, "spam", "v1", "champion", "spam", now.minusSeconds(60));
        assertThatThrownBy(() -> strict.join("{\"predictionId\":\"" + unbound
                + "\",\"label\":\"ham\",\"text\":\"anything\"}", null))
                .isInstanceOf(InvalidFeedbackException.class).hasMessageContaining("carries no text binding");
        // Without a text the binding does not matter: the outcome still counts for the A/B test.
        assertThat(strict.join("{\"predictionId\":\"" + unbound + "\",\"reward\":1}", null).reward()).isEqualTo(1);
        String old = PredictionId.issue(KEY, "spam", "v1", "champion", "spam", now.minus(java.time.Duration.ofDays(31)));
        assertThatThrownBy(() -> strict.join("{\"predictionId\":\"" + old + "\",\"reward\":1}", null))
                .isInstanceOf(InvalidFeedbackException.class).hasMessageContaining("expired")
                .hasMessageContaining("older than PT720H");
    }

    @Test
    void malformedJson() {
        refused("{\"predictionId\":", InvalidFeedbackException.Reason.MALFORMED, "not JSON");
        refused("[1,2]", InvalidFeedbackException.Reason.MALFORMED, "JSON object");
        refused("", InvalidFeedbackException.Reason.MALFORMED, "empty payload");
        refused("{\"label\":\"spam\"}", InvalidFeedbackException.Reason.MALFORMED, "`predictionId` must be a string");
        refused("{\"predictionId\":\"" + id + "\"}", InvalidFeedbackException.Reason.MALFORMED, "exactly one of");
        refused("{\"predictionId\":\"" + id + "\",\"label\":\"spam\",\"reward\":1}",
                InvalidFeedbackException.Reason.MALFORMED, "exactly one of");
        refused("{\"predictionId\":\"" + "x".repeat(300_000) + "\"}", InvalidFeedbackException.Reason.MALFORMED,
                "at most 262144");
        refused("{\"predictionId\":\"" + id + "\",\"label\":\"spam\",\"text\":42}",
                InvalidFeedbackException.Reason.MALFORMED, "`text` must be a string");
    }

    @Test
    void theTextSentBackWithTheFeedbackIsKeptForTheDataset() {
        String text = "Cheap meds \\u00e9 " + "y".repeat(10_000);
        String decoded = "Cheap meds \u00e9 " + "y".repeat(10_000);
        String bound = PredictionId.issue(KEY, "spam", "v-challenger", "challenger", "spam", Instant.now(), decoded);
        FeedbackJoin.Outcome labeled = join.join("{\"predictionId\":\"" + bound + "\",\"label\":\"ham\",\"text\":\""
                + text + "\"}", "spam");
        assertThat(labeled.label()).isEqualTo("ham");
        assertThat(labeled.text()).startsWith("Cheap meds \u00e9 ").hasSize(text.length() - 5);
        assertThat(labeled.reward()).isZero();
        String hi = PredictionId.issue(KEY, "spam", "v-challenger", "challenger", "spam", Instant.now(), "hi");
        FeedbackJoin.Outcome rewarded = join.join("{\"predictionId\":\"" + hi + "\",\"reward\":0.5,\"text\":\"hi\"}",
                null);
        assertThat(rewarded.label()).isNull();
        assertThat(rewarded.text()).isEqualTo("hi");
    }

    @Test
    void aForgedOrCorruptedIdIsRefused() {
        String forged = PredictionId.issue("someone-elses-key-0123456789", "spam", "v-challenger", "challenger",
                "spam", Instant.now());
        refused("{\"predictionId\":\"" + forged + "\",\"label\":\"spam\"}",
                InvalidFeedbackException.Reason.BAD_PREDICTION_ID, "signature");
        char[] chars = id.toCharArray();
        chars[10] = chars[10] == 'A' ? 'B' : 'A';
        refused("{\"predictionId\":\"" + new String(chars) + "\",\"label\":\"spam\"}",
                InvalidFeedbackException.Reason.BAD_PREDICTION_ID, "invalid prediction id");
        refused("{\"predictionId\":\"not-an-id\",\"label\":\"spam\"}",
                InvalidFeedbackException.Reason.BAD_PREDICTION_ID, "malformed");
    }

    @Test
    void anUnknownLabelIsRefused() {
        refused("{\"predictionId\":\"" + id + "\",\"label\":\"phishing\"}",
                InvalidFeedbackException.Reason.UNKNOWN_LABEL, "[ham, spam]");
        refused("{\"predictionId\":\"" + id + "\",\"label\":1}", InvalidFeedbackException.Reason.UNKNOWN_LABEL,
                "not one of");
    }

    @Test
    void feedbackSentForAnotherTaskIsRefused() {
        assertThatThrownBy(() -> join.join("{\"predictionId\":\"" + id + "\",\"label\":\"spam\"}", "sentiment"))
                .isInstanceOf(InvalidFeedbackException.class)
                .satisfies(e -> assertThat(((InvalidFeedbackException) e).reason())
                        .isEqualTo(InvalidFeedbackException.Reason.FOREIGN_TASK))
                .hasMessageContaining("'sentiment'");
    }

    @Test
    void anIdOfATaskThatIsNotConfiguredIsRefused() {
        String other = PredictionId.issue(KEY, "retired", "v1", "champion", "a", Instant.now());
        refused("{\"predictionId\":\"" + other + "\",\"label\":\"a\"}", InvalidFeedbackException.Reason.UNKNOWN_TASK,
                "'retired' is not configured");
    }

    @Test
    void aRewardOutsideZeroToOneIsRefused() {
        refused("{\"predictionId\":\"" + id + "\",\"reward\":1.5}", InvalidFeedbackException.Reason.BAD_REWARD, "1.5");
        refused("{\"predictionId\":\"" + id + "\",\"reward\":\"high\"}", InvalidFeedbackException.Reason.BAD_REWARD,
                "number");
    }

    private void refused(String payload, InvalidFeedbackException.Reason reason, String message) {
        assertThatThrownBy(() -> join.join(payload, null)).isInstanceOf(InvalidFeedbackException.class)
                .satisfies(e -> assertThat(((InvalidFeedbackException) e).reason()).isEqualTo(reason))
                .hasMessageContaining(message);
    }
}
