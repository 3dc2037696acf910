package dev.adapterloop.promotion;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Why the offline gate decided what it did: every threshold with its observed value and result, and the McNemar test
 * (null when there was no champion). Goes into the {@code adapter-evaluations} event as {@code evidence}.
 *
 * @param candidateMetrics accuracy and macro-F1 of the candidate on the held-out set; {@code championMetrics} the same
 *                         for the champion on the same examples (null without a champion)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GateEvidence(int schemaVersion, GateVerdict verdict, String candidate, String champion,
                           String heldOutSha256, int examples, Metrics candidateMetrics, Metrics championMetrics,
                           List<Check> checks, Significance significance, List<String> failed) {

    public static final int SCHEMA_VERSION = 1;

    public record Metrics(double accuracy, double macroF1, double majorityBaseline) {
    }

    /**
     * One threshold. {@code kind}: {@code value} (observed ≥ threshold), {@code change-absolute} (observed is
     * candidate − champion), {@code change-relative} (observed is (candidate − champion) / champion),
     * {@code sample-size} (observed is n), {@code significance} (observed is the p-value, passes when ≤ threshold).
     */
    public record Check(String name, String kind, String metric, double observed, double threshold, boolean passed) {
    }

    /** The exact McNemar test: b = candidate right and champion wrong, c = the reverse. */
    public record Significance(String test, String alternative, int n, int b, int c, double pValue, double alpha,
                               boolean significant) {
    }

    public boolean passed() {
        return verdict != GateVerdict.REJECT;
    }
}
