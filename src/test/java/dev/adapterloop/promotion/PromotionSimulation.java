package dev.adapterloop.promotion;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Simulated A/B experiments through the real {@link OnlineDecider}: seeded synthetic traffic (one request a second, a
 * share of it on the challenger), feedback on every prediction (correct with the serving version's accuracy), latency
 * and errors for the guardrails, a decision after every observation. A case that promotes goes on into monitoring,
 * where the new champion may regress. Run as a command ({@code ./mvnw -Ppromotion-simulation verify}) it prints the
 * table that docs/promotion.md quotes; {@code PromotionSimulationTest} asserts on the same figures.
 */
public final class PromotionSimulation {

    /**
     * @param championAccuracy     the champion's accuracy during the experiment
     * @param challengerAccuracy   the challenger's accuracy during the experiment
     * @param afterPromotion       the promoted challenger's accuracy once it is champion (a regression when lower)
     * @param challengerErrorRate  share of the challenger's requests that fail (guardrail)
     * @param scoreSpread          0: each feedback is right or wrong (reward 1 with the accuracy's probability, else
     *                             0); above 0: each is a score in [0, 1], drawn around the "accuracy" (its mean
     *                             reward) with this standard deviation and clipped, as ratings of generations are
     */
    public record Case(String name, double championAccuracy, double challengerAccuracy, double afterPromotion,
                       double challengerErrorRate, double scoreSpread) {

        public Case(String name, double championAccuracy, double challengerAccuracy, double afterPromotion,
                    double challengerErrorRate) {
            this(name, championAccuracy, challengerAccuracy, afterPromotion, challengerErrorRate, 0);
        }
    }

    /** Generation feedback: scores in [0, 1] (spread 0.25) instead of right/wrong; the means play the accuracies. */
    public static final List<Case> SCORE_CASES = List.of(
            new Case("scores equal (0.60 vs 0.60)", 0.60, 0.60, 0.60, 0, 0.25),
            new Case("scores worse (0.60 vs 0.57)", 0.60, 0.57, 0.57, 0, 0.25),
            new Case("scores better (0.60 vs 0.65)", 0.60, 0.65, 0.65, 0, 0.25),
            new Case("scores better, regress to 0.55 once promoted", 0.60, 0.65, 0.55, 0, 0.25));

    /** Counts over the runs of one case; samples are the challenger arm's feedback count when the test stopped. */
    public record Result(Case scenario, int runs, int promoted, int rejected, int rolledBack, int kept,
                         double medianExperimentSamples, double medianMonitoringSamples) {
        public double promotionRate() {
            return (double) promoted / runs;
        }

        /** Of the promoted runs, the share rolled back during monitoring. */
        public double rollbackRate() {
            return promoted == 0 ? 0 : (double) rolledBack / promoted;
        }
    }

    public static final double EXPERIMENT_SHARE = 0.5;
    public static final double HOLDBACK_SHARE = 0.2;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    public static final List<Case> CASES = List.of(
            new Case("challenger equal (0.90 vs 0.90)", 0.90, 0.90, 0.90, 0),
            new Case("challenger worse (0.90 vs 0.88)", 0.90, 0.88, 0.88, 0),
            new Case("challenger better (0.90 vs 0.93)", 0.90, 0.93, 0.93, 0),
            new Case("better, regresses to 0.86 once promoted", 0.90, 0.93, 0.86, 0),
            new Case("better, but 10% of its requests fail", 0.90, 0.93, 0.93, 0.10));

    /** Only in the command's table: how power falls with the effect, and how a regression that is small is seen. */
    public static final List<Case> MORE_CASES = List.of(
            new Case("challenger better by 1 point (0.90 vs 0.91)", 0.90, 0.91, 0.91, 0),
            new Case("challenger better by 2 points (0.90 vs 0.92)", 0.90, 0.92, 0.92, 0),
            new Case("better, regresses to 0.88 once promoted", 0.90, 0.93, 0.88, 0));

    private final OnlineSettings settings;

    public PromotionSimulation(OnlineSettings settings) {
        this.settings = settings;
    }

    public Result run(Case scenario, int runs, long seed) {
        int promoted = 0;
        int rejected = 0;
        int rolledBack = 0;
        int kept = 0;
        List<Long> experimentSamples = new ArrayList<>();
        List<Long> monitoringSamples = new ArrayList<>();
        OnlineDecider decider = new OnlineDecider(settings);
        for (int i = 0; i < runs; i++) {
            SplittableRandom random = new SplittableRandom(seed * 1_000_003L + i);
            ExperimentState state = ExperimentState.start("sim", "v-champion", "v-challenger", T0);
            OnlineDecider.Decision decision = drive(decider, state, scenario.championAccuracy(),
                    scenario.challengerAccuracy(), 0, scenario.challengerErrorRate(), EXPERIMENT_SHARE, random, 0,
                    scenario.scoreSpread());
            experimentSamples.add(decision.evidence().challengerArm().samples());
            if (decision.outcome() != OnlineOutcome.PROMOTE) {
                rejected++;
                continue;
            }
            promoted++;
            // Now the promoted version is champion (arm 1) and the previous champion the hold-back (arm 2).
            long elapsed = Duration.between(T0, decision.next().startedAt()).toSeconds();
            OnlineDecider.Decision after = drive(decider, decision.next(), scenario.afterPromotion(),
                    scenario.championAccuracy(), scenario.challengerErrorRate(), 0, HOLDBACK_SHARE, random, elapsed,
                    scenario.scoreSpread());
            monitoringSamples.add(after.evidence().challengerArm().samples());
            if (after.outcome() == OnlineOutcome.ROLL_BACK) {
                rolledBack++;
            } else {
                kept++;
            }
        }
        return new Result(scenario, runs, promoted, rejected, rolledBack, kept, median(experimentSamples),
                median(monitoringSamples));
    }

    /** One request a second until the decider stops; arm 1 is the champion share, arm 2 the challenger share. */
    private static OnlineDecider.Decision drive(OnlineDecider decider, ExperimentState start, double accuracy1,
                                                double accuracy2, double errorRate1, double errorRate2,
                                                double share2, SplittableRandom random, long startSecond,
                                                double scoreSpread) {
        ExperimentState state = start;
        for (long second = startSecond + 1; ; second++) {
            boolean two = random.nextDouble() < share2;
            String variant = two ? "challenger" : "champion";
            String version = two ? state.challenger() : state.champion();
            double latency = 20 * Math.exp(0.3 * random.nextGaussian());
            boolean error = random.nextDouble() < (two ? errorRate2 : errorRate1);
            state = state.withRequest(variant, version, latency, error);
            if (!error) {
                double mean = two ? accuracy2 : accuracy1;
                double reward = scoreSpread > 0 ? Math.clamp(mean + scoreSpread * gaussian(random), 0, 1)
                        : random.nextDouble() < mean ? 1 : 0;
                state = state.withOutcome(variant, version, reward);
            }
            OnlineDecider.Decision decision = decider.decide(state, T0.plusSeconds(second));
            if (decision.outcome().decided()) {
                return decision;
            }
            state = decision.next();
        }
    }

    /** A standard normal draw (Box–Muller), from the run's own generator. */
    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static double median(List<Long> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }

    public static String table(List<Result> results) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "| case | runs | promoted | rejected | rolled back (of promoted) | median challenger samples "
                        + "at decision | median hold-back samples at end of monitoring |%n|---|---|---|---|---|---|---|%n"));
        for (Result r : results) {
            out.append(String.format(Locale.ROOT, "| %s | %d | %.1f %% | %.1f %% | %s | %.0f | %s |%n",
                    r.scenario().name(), r.runs(), 100.0 * r.promoted() / r.runs(), 100.0 * r.rejected() / r.runs(),
                    r.promoted() == 0 ? "-" : String.format(Locale.ROOT, "%.1f %% (%d of %d)",
                            100 * r.rollbackRate(), r.rolledBack(), r.promoted()),
                    r.medianExperimentSamples(), Double.isNaN(r.medianMonitoringSamples()) ? "-"
                            : String.format(Locale.ROOT, "%.0f", r.medianMonitoringSamples())));
        }
        return out.toString();
    }

    /** {@code [runs] [seed]}: prints the table for every case with the default settings. */
    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        OnlineSettings settings = OnlineSettings.DEFAULTS;
        System.out.println("Online A/B simulation: " + runs + " runs per case, seed " + seed + ", " + settings);
        System.out.println("traffic: challenger share " + EXPERIMENT_SHARE + " during the experiment, previous "
                + "champion hold-back share " + HOLDBACK_SHARE + " while monitoring; feedback on every prediction");
        long started = System.nanoTime();
        List<Result> results = java.util.stream.Stream.of(CASES, MORE_CASES, SCORE_CASES).flatMap(List::stream)
                .map(c -> new PromotionSimulation(settings).run(c, runs, seed)).toList();
        System.out.print(table(results));
        System.out.printf(Locale.ROOT, "%.1f s%n", (System.nanoTime() - started) / 1e9);
    }
}
