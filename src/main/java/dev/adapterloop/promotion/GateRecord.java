package dev.adapterloop.promotion;

/**
 * The offline gate's evidence kept with the version it judged ({@code tasks/<task>/evaluations/<version>/gate.json}),
 * so the console shows it (McNemar b, c, p; or the paired loss test) after the {@code adapter-evaluations} event is
 * long gone. {@code kind}: {@code classification} ({@link GateEvidence}) or {@code generation}
 * ({@link CompletionGateEvidence}); {@code applied}: how the verdict went onto the aliases
 * ({@link PromotionService.Status}, lower case).
 */
public record GateRecord(int schemaVersion, String kind, String applied, Object evidence) {

    public static final int SCHEMA_VERSION = 1;
}
