package dev.adapterloop.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.adapterloop.events.InvalidPredictionIdException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class PredictionIdTest {
    private static final String KEY = "test-key-0123456789abcdef";
    private static final Instant AT = Instant.parse("2026-11-23T17:00:00.123Z");

    @Test
    void roundTripsEveryField() {
        String id = PredictionId.issue(KEY, "spam", "v-20261123-abc", "challenger", "ham/ünïcode \"x\"", AT);

        PredictionId parsed = PredictionId.parse(KEY, id);

        assertThat(parsed.task()).isEqualTo("spam");
        assertThat(parsed.version()).isEqualTo("v-20261123-abc");
        assertThat(parsed.variant()).isEqualTo("challenger");
        assertThat(parsed.label()).isEqualTo("ham/ünïcode \"x\"");
        assertThat(parsed.issuedAt()).isEqualTo(AT);
        assertThat(id).matches("[A-Za-z0-9_.-]+"); // URL-safe, no padding
    }

    @Test
    void twoIdsForTheSamePredictionDifferByNonce() {
        String a = PredictionId.issue(KEY, "spam", "v1", "champion", "spam", AT);
        String b = PredictionId.issue(KEY, "spam", "v1", "champion", "spam", AT);
        assertThat(a).isNotEqualTo(b);
        assertThat(PredictionId.parse(KEY, a).nonce()).isNotEqualTo(PredictionId.parse(KEY, b).nonce());
    }

    @Test
    void wrongKeyIsABadSignature() {
        String id = PredictionId.issue(KEY, "spam", "v1", "champion", "spam", AT);
        assertReason(() -> PredictionId.parse("another-key-0123456789", id), Reason.BAD_SIGNATURE);
    }

    @Test
    void alteredClaimsAreABadSignature() {
        String id = PredictionId.issue(KEY, "spam", "v1", "champion", "spam", AT);
        String[] parts = id.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String altered = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.replace("\"spam\",\"i\"", "\"ham\",\"i\"").getBytes(StandardCharsets.UTF_8));
        assertThat(altered).isNotEqualTo(parts[1]);

        assertReason(() -> PredictionId.parse(KEY, parts[0] + "." + altered + "." + parts[2]), Reason.BAD_SIGNATURE);
    }

    @Test
    void forgedIdWithoutTheKeyIsABadSignature() {
        String claims = "{\"t\":\"spam\",\"v\":\"v9\",\"a\":\"champion\",\"l\":\"spam\",\"i\":1,\"n\":\"x\"}";
        String forged = "p1." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
        assertReason(() -> PredictionId.parse(KEY, forged), Reason.BAD_SIGNATURE);
    }

    @Test
    void truncatedIdIsRefused() {
        String id = PredictionId.issue(KEY, "spam", "v1", "champion", "spam", AT);
        assertReason(() -> PredictionId.parse(KEY, id.substring(0, id.length() - 5)), Reason.BAD_SIGNATURE);
        assertReason(() -> PredictionId.parse(KEY, id.substring(0, id.lastIndexOf('.'))), Reason.MALFORMED);
        assertReason(() -> PredictionId.parse(KEY, id.substring(0, 10)), Reason.MALFORMED);
    }

    @Test
    void garbageIsMalformed() {
        assertReason(() -> PredictionId.parse(KEY, ""), Reason.MALFORMED);
        assertReason(() -> PredictionId.parse(KEY, null), Reason.MALFORMED);
        assertReason(() -> PredictionId.parse(KEY, "not-an-id"), Reason.MALFORMED);
        assertReason(() -> PredictionId.parse(KEY, "p1.abc.!!!"), Reason.MALFORMED);
    }

    @Test
    void overlongIdIsRefusedBeforeDecoding() {
        assertReason(() -> PredictionId.parse(KEY, "p1." + "a".repeat(PredictionId.MAX_LENGTH)), Reason.TOO_LONG);
    }

    @Test
    void messagesNeverHoldTheKey() {
        String id = PredictionId.issue(KEY, "spam", "v1", "champion", "spam", AT);
        assertThatThrownBy(() -> PredictionId.parse("another-key-0123456789", id))
                .message().doesNotContain(KEY).doesNotContain("another-key");
    }

    @Test
    void refusesWeakKeysAndUnknownVariants() {
        assertThatThrownBy(() -> PredictionId.issue("short", "spam", "v1", "champion", "spam", AT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 16 bytes");
        assertThatThrownBy(() -> PredictionId.issue(KEY, "spam", "v1", "canary", "spam", AT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("`variant`");
    }

    private static void assertReason(ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidPredictionIdException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @org.junit.jupiter.api.Test
    void anIdBoundToItsTextRecognisesThatTextOnlyAndDoesNotRevealIt() {
        String text = "Cheap meds, no prescription needed";
        String id = PredictionId.issue(KEY, "spam", "v1", "champion", "spam", AT, text);
        PredictionId parsed = PredictionId.parse(KEY, id);
        assertThat(parsed.isBoundTo(KEY, text)).isTrue();
        assertThat(parsed.isBoundTo(KEY, text + " ")).isFalse();
        assertThat(parsed.isBoundTo("another-key-0123456789", text)).isFalse();
        assertThat(PredictionId.parse(KEY, PredictionId.issue(KEY, "spam", "v1", "champion", "spam", AT))
                .isBoundTo(KEY, text)).isFalse();
        String claims = new String(java.util.Base64.getUrlDecoder().decode(id.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(claims).contains("\"h\":").doesNotContain("meds");
    }
}
