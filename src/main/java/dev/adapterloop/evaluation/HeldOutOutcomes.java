package dev.adapterloop.evaluation;

import dev.adapterloop.dataset.LabeledExample;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * What one model answered for every example of a held-out set, as label indices in the set's order: the input of a
 * paired test (McNemar) against another model scored on the same examples. {@code heldOutSha256} identifies the
 * examples actually scored (texts and labels, in order, after any cap on their number), so outcomes of two different
 * sets, or of one set in another order, are never paired: {@link #requireSameExamples} refuses them.
 */
public record HeldOutOutcomes(String heldOutSha256, List<String> labels, int[] truth, int[] predicted) {

    public HeldOutOutcomes {
        if (heldOutSha256 == null || !heldOutSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("`heldOutSha256` must be 64 lower-case hex digits, got " + heldOutSha256);
        }
        labels = List.copyOf(labels);
        Objects.requireNonNull(truth, "truth");
        Objects.requireNonNull(predicted, "predicted");
        if (truth.length == 0 || truth.length != predicted.length) {
            throw new IllegalArgumentException("`truth` and `predicted` must be non-empty and of one length, got "
                    + truth.length + " and " + predicted.length);
        }
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] < 0 || truth[i] >= labels.size() || predicted[i] < 0 || predicted[i] >= labels.size()) {
                throw new IllegalArgumentException("example " + i + " has a label index outside 0.."
                        + (labels.size() - 1) + ": truth " + truth[i] + ", predicted " + predicted[i]);
            }
        }
        truth = truth.clone();
        predicted = predicted.clone();
    }

    public int examples() {
        return truth.length;
    }

    public boolean correct(int example) {
        return truth[example] == predicted[example];
    }

    /** Accuracy, macro-F1 and the rest, computed from these outcomes the same way the evaluator does. */
    public EvaluationReport report() {
        return Evaluator.report(labels, truth, predicted, heldOutSha256);
    }

    /**
     * Throws unless {@code other} was scored on the same examples (same digest, labels and truth): pairing outcomes
     * of different sets would make a paired test meaningless.
     */
    public void requireSameExamples(HeldOutOutcomes other) {
        if (!heldOutSha256.equals(other.heldOutSha256)) {
            throw new MismatchedHeldOutException("outcomes were scored on different held-out sets (sha256 "
                    + heldOutSha256 + " vs " + other.heldOutSha256 + "): evaluate both models on the same set");
        }
        if (!labels.equals(other.labels)) {
            throw new MismatchedHeldOutException("outcomes use different label orders (" + labels + " vs "
                    + other.labels + ")");
        }
        if (!Arrays.equals(truth, other.truth)) {
            throw new MismatchedHeldOutException("outcomes on held-out set " + heldOutSha256
                    + " disagree on the true labels: one of them is corrupt");
        }
    }

    /**
     * The identity of a held-out set as scored: SHA-256 over each example's label and text (length-prefixed UTF-8,
     * in order), so a reordered, truncated or edited set gets another digest.
     */
    public static String digestOf(List<LabeledExample> examples) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (LabeledExample example : examples) {
            update(sha, example.label());
            update(sha, example.text());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void update(MessageDigest sha, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
        sha.update(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeldOutOutcomes other && heldOutSha256.equals(other.heldOutSha256)
                && labels.equals(other.labels) && Arrays.equals(truth, other.truth)
                && Arrays.equals(predicted, other.predicted);
    }

    @Override
    public int hashCode() {
        return Objects.hash(heldOutSha256, labels, Arrays.hashCode(truth), Arrays.hashCode(predicted));
    }

    @Override
    public String toString() {
        return "HeldOutOutcomes[" + heldOutSha256.substring(0, 12) + "…, " + truth.length + " examples]";
    }
}
