package dev.adapterloop.adapters;

/**
 * The hyperparameters every adapter method has, checked once with messages that name the field and the value.
 *
 * @param rank    r, the inner dimension of the low-rank factors
 * @param alpha   numerator of the scaling {@code s = alpha / r} (a method may divide by √r instead, e.g. rsLoRA)
 * @param dropout probability of dropping entries of the adapter path's input while training
 * @param targets which linear layers get an adapter (PEFT's {@code target_modules})
 */
public record SharedHyperparameters(int rank, double alpha, double dropout, TargetModules targets) {

    public SharedHyperparameters {
        if (rank <= 0) {
            throw new IllegalArgumentException("rank must be > 0, got " + rank);
        }
        if (!(alpha > 0) || !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("alpha must be > 0, got " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (targets == null) {
            throw new IllegalArgumentException("targets must be set (e.g. query,value)");
        }
    }
}
