package dev.adapterloop.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A self-describing, signed prediction id: the serving side issues one with every prediction, and whoever sends
 * feedback hands it back, so the feedback join needs no lookup to know which task, adapter version and variant
 * answered, and cannot be fooled by an id it did not issue.
 * <pre>
 * p1.&lt;base64url(JSON claims)&gt;.&lt;base64url(HMAC-SHA256 over "p1." + base64url(JSON claims))&gt;
 * claims: {"t": task, "v": version, "a": variant, "l": label, "i": issued at (epoch ms), "n": nonce,
 *          "h": text binding (optional)}
 * </pre>
 * URL-safe (no padding). The key ({@code adapterloop.serving.prediction-id-key}) must never be logged. The text
 * binding is a keyed hash (HMAC with the same key, truncated to 128 bits) of the text the id answered (a
 * classification's text, a generation's prompt): feedback that brings a text back, to become training data, must
 * bring that text, and the id does not reveal it to anyone without the key (ids travel in the prediction log).
 */
public record PredictionId(String task, String version, String variant, String label, Instant issuedAt,
        String nonce, String textBinding) {

    public static final String CHAMPION = "champion";
    public static final String CHALLENGER = "challenger";
    /**
     * A version the request named explicitly: its feedback becomes training data like any other, but it counts in
     * no A/B arm (the request chose the version; the experiment's routing did not).
     */
    public static final String REQUESTED = "requested";
    public static final Set<String> VARIANTS = Set.of(CHAMPION, CHALLENGER, REQUESTED);
    /** Longer ids are refused before any decoding: they cannot be ours, and decoding them costs. */
    public static final int MAX_LENGTH = 1024;
    /** Shorter keys make the signature guessable. */
    public static final int MIN_KEY_BYTES = 16;
    /** The development default of {@code adapterloop.serving.prediction-id-key}, shared by serving and feedback. */
    public static final String DEV_KEY = "adapterloop-dev-prediction-id-key-change-me";

    private static final String PREFIX = "p1.";
    private static final String HMAC = "HmacSHA256";
    private static final int NONCE_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();

    public PredictionId {
        requireText("task", task);
        requireText("version", version);
        requireText("label", label);
        requireText("nonce", nonce);
        Objects.requireNonNull(issuedAt, "issuedAt");
        if (!VARIANTS.contains(variant)) {
            throw new IllegalArgumentException("`variant` must be champion, challenger or requested, got " + variant);
        }
    }

    /** An id without a text binding (feedback on it cannot carry a text). */
    public PredictionId(String task, String version, String variant, String label, Instant issuedAt, String nonce) {
        this(task, version, variant, label, issuedAt, nonce, null);
    }

    /** Issues a new id with a fresh random nonce and no text binding. */
    public static String issue(String key, String task, String version, String variant, String label,
            Instant issuedAt) {
        return issue(key, task, version, variant, label, issuedAt, null);
    }

    /** Issues a new id with a fresh random nonce, bound to {@code text} (null: unbound). */
    public static String issue(String key, String task, String version, String variant, String label,
            Instant issuedAt, String text) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return new PredictionId(task, version, variant, label, issuedAt, B64.encodeToString(nonce),
                text == null ? null : binding(key, text)).encode(key);
    }

    /** Whether {@code text} is the text this id was issued for; false for an id issued without one. */
    public boolean isBoundTo(String key, String text) {
        return textBinding != null && MessageDigest.isEqual(textBinding.getBytes(StandardCharsets.US_ASCII),
                binding(key, text).getBytes(StandardCharsets.US_ASCII));
    }

    private static String binding(String key, String text) {
        byte[] mac = sign(key, "text:" + B64.encodeToString(text.getBytes(StandardCharsets.UTF_8)));
        return B64.encodeToString(java.util.Arrays.copyOf(mac, 16));
    }

    /** This id's text, signed with {@code key}. */
    public String encode(String key) {
        Claims claims = new Claims(task, version, variant, label, issuedAt.toEpochMilli(), nonce, textBinding);
        String body;
        try {
            body = PREFIX + B64.encodeToString(JSON.writeValueAsBytes(claims));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise prediction id claims", e);
        }
        String id = body + "." + B64.encodeToString(sign(key, body));
        if (id.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("prediction id would be " + id.length() + " characters (max "
                    + MAX_LENGTH + "): task, version or label too long");
        }
        return id;
    }

    /**
     * Checks the signature first, then decodes the claims.
     *
     * @throws InvalidPredictionIdException with reason TOO_LONG, MALFORMED or BAD_SIGNATURE
     */
    public static PredictionId parse(String key, String id) {
        if (id == null || id.isEmpty()) {
            throw new InvalidPredictionIdException(InvalidPredictionIdException.Reason.MALFORMED, "empty");
        }
        if (id.length() > MAX_LENGTH) {
            throw new InvalidPredictionIdException(InvalidPredictionIdException.Reason.TOO_LONG,
                    id.length() + " characters, at most " + MAX_LENGTH + " allowed");
        }
        int dot = id.lastIndexOf('.');
        if (!id.startsWith(PREFIX) || dot <= PREFIX.length()) {
            throw new InvalidPredictionIdException(InvalidPredictionIdException.Reason.MALFORMED,
                    "expected p1.<claims>.<signature>");
        }
        String body = id.substring(0, dot);
        byte[] signature = decode(id.substring(dot + 1), "signature");
        if (!MessageDigest.isEqual(signature, sign(key, body))) { // constant time: no timing oracle
            throw new InvalidPredictionIdException(InvalidPredictionIdException.Reason.BAD_SIGNATURE,
                    "signature does not match the content (altered, or issued with another key)");
        }
        try {
            Claims c = JSON.readValue(decode(body.substring(PREFIX.length()), "claims"), Claims.class);
            return new PredictionId(c.task, c.version, c.variant, c.label, Instant.ofEpochMilli(c.issuedAt),
                    c.nonce, c.textBinding);
        } catch (java.io.IOException | IllegalArgumentException | NullPointerException e) {
            // signed by us yet unreadable: only possible across incompatible versions of this class
            throw new InvalidPredictionIdException(InvalidPredictionIdException.Reason.MALFORMED,
                    "claims unreadable: " + e.getMessage());
        }
    }

    private static byte[] decode(String part, String what) {
        try {
            return B64_DECODE.decode(part);
        } catch (IllegalArgumentException e) {
            throw new InvalidPredictionIdException(InvalidPredictionIdException.Reason.MALFORMED,
                    what + " is not base64url");
        }
    }

    private static byte[] sign(String key, String body) {
        byte[] keyBytes = Objects.requireNonNull(key, "prediction id key").getBytes(StandardCharsets.UTF_8);
        if (keyBytes.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("prediction id key must be at least " + MIN_KEY_BYTES
                    + " bytes, got " + keyBytes.length);
        }
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(keyBytes, HMAC));
            return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("`" + field + "` must not be blank, got " + value);
        }
    }

    /** The signed JSON, with one-letter names to keep ids short. */
    private record Claims(@JsonProperty("t") String task, @JsonProperty("v") String version,
            @JsonProperty("a") String variant, @JsonProperty("l") String label,
            @JsonProperty("i") long issuedAt, @JsonProperty("n") String nonce,
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("h") String textBinding) {
    }
}
