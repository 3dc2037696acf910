package dev.adapterloop.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Data of an {@code adapter-promotions} event: an alias change that a promotion decision made, with the decision's
 * evidence (the offline gate's {@code GateEvidence} or the online test's {@code OnlineEvidence}, as JSON).
 * {@code from} is the version the alias held before (null when it held none), {@code to} the one it holds after (null
 * when cleared). {@code generation} is the alias generation the change committed. {@code principal} is who moved
 * the alias, as the alias history records it: {@code system:gate} and {@code system:ab-test} for the automatic
 * decisions, the caller's principal for a move through the HTTP API ({@link #ALIAS_MOVED}, without evidence).
 * Events published before principals were recorded have none.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AdapterPromotionEvent(int schemaVersion, String task, String alias, String from, String to,
                                    long generation, String reason, String principal, Object evidence) {

    public static final int SCHEMA_VERSION = 1;
    public static final String PROMOTED = "adapterloop.adapter.promoted";
    public static final String ROLLED_BACK = "adapterloop.adapter.rolled-back";
    public static final String REJECTED = "adapterloop.adapter.rejected";
    /** Someone with the {@code admin} role moved or cleared an alias through the HTTP API. */
    public static final String ALIAS_MOVED = "adapterloop.adapter.alias-moved";
}
