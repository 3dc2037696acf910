package dev.adapterloop.promotion;

/**
 * The mixture sequential probability ratio test (mSPRT) for the difference of two means, with a normal mixture
 * N(0, τ²) over the effect, as in Johari, Pekelis &amp; Walsh, "Always Valid Inference" (2017): with
 * {@code Δ = mean(challenger) − mean(champion)} and {@code σ² = v₁/n₁ + v₂/n₂},
 * <pre>
 *   Λ = sqrt(σ² / (σ² + τ²)) · exp( τ² Δ² / (2 σ² (σ² + τ²)) )
 * </pre>
 * and the always-valid p-value is the running minimum of {@code min(1, 1/Λ)}: stopping the first time it falls below
 * α, after any number of looks, keeps the false-positive rate at most α (asymptotically, by the normal approximation of
 * the means; the simulation harness measures it).
 */
public final class MixtureSprt {

    private MixtureSprt() {
    }

    /** {@code log Λ} for the arms' current statistics. */
    public static double logLikelihoodRatio(ArmStats champion, ArmStats challenger, double tau) {
        double sigma2 = champion.variance() / champion.outcomes() + challenger.variance() / challenger.outcomes();
        double tau2 = tau * tau;
        double delta = challenger.mean() - champion.mean();
        return 0.5 * Math.log(sigma2 / (sigma2 + tau2)) + tau2 * delta * delta / (2 * sigma2 * (sigma2 + tau2));
    }

    /** The next always-valid p-value: {@code min(previous, 1/Λ)}. */
    public static double nextPValue(double previous, ArmStats champion, ArmStats challenger, double tau) {
        double p = Math.exp(-logLikelihoodRatio(champion, challenger, tau));
        return Math.min(previous, Math.min(1.0, p));
    }
}
