package dev.adapterloop.promotion;

import com.fasterxml.jackson.annotation.JsonValue;

/** What the offline gate decided for a candidate. */
public enum GateVerdict {
    /** The task had no champion and the candidate passed the value thresholds. */
    PROMOTE_TO_CHAMPION("promote-to-champion"),
    /** Passed every threshold and the significance test against the champion: it may go into an A/B test. */
    PROMOTE_TO_CHALLENGER("promote-to-challenger"),
    REJECT("reject");

    private final String wireName;

    GateVerdict(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
