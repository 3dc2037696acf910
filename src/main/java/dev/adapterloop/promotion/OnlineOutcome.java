package dev.adapterloop.promotion;

import com.fasterxml.jackson.annotation.JsonValue;

/** What the online decision says after an observation. */
public enum OnlineOutcome {
    /** Not decided yet: keep the traffic split. */
    CONTINUE("continue"),
    /** The challenger is better (always-valid p ≤ α) and passes the guardrails: make it champion. */
    PROMOTE("promote"),
    /** Worse, vetoed by a guardrail, or inconclusive at the maximum samples or duration: drop the challenger. */
    REJECT("reject"),
    /** The newly promoted champion is worse than the previous one, or breaks a guardrail: put the previous back. */
    ROLL_BACK("roll-back"),
    /** Monitoring after a promotion ended without a regression: the previous champion's hold-back ends. */
    KEEP("keep");

    private final String wireName;

    OnlineOutcome(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public boolean decided() {
        return this != CONTINUE;
    }
}
