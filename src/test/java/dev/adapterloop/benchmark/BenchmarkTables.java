package dev.adapterloop.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

/**
 * Renders a benchmark report as the Markdown tables of BENCHMARKS.md. Timing figures are medians over rounds; ratios
 * are taken within a round first (ours and the peer's, each method and LoRA), then their median, so that a slow spell
 * on a shared machine cancels out of the ratio.
 */
final class BenchmarkTables {

    /** Smoothed training loss (EMA 0.9) that counts as "converged" for steps-to-target. */
    static final double TARGET_LOSS = 0.3;
    private static final double SMOOTHING = 0.9;

    private final List<JsonNode> measurements = new ArrayList<>();
    private final StepFlops flops;

    BenchmarkTables(JsonNode report, StepFlops flops) {
        report.path("measurements").forEach(measurements::add);
        this.flops = flops;
    }

    String render() {
        StringBuilder md = new StringBuilder();
        if (measurements.stream().anyMatch(kind("train"))) {
            timing(md);
        }
        if (measurements.stream().anyMatch(kind("kernels-train"))) {
            kernels(md);
        }
        if (measurements.stream().anyMatch(kind("setting-train"))) {
            settings(md);
        }
        if (measurements.stream().anyMatch(kind("profile"))) {
            profiles(md);
        }
        if (measurements.stream().anyMatch(kind("converge"))) {
            convergence(md);
        }
        return md.toString();
    }

    private void timing(StringBuilder md) {
        Set<Integer> threads = threadsOf("train");
        Set<String> methods = valuesOf("train", "method");
        md.append("| case | threads | step, s (median) | steps/s | tokens/s | GFLOP/step | GFLOP/s | MFU | × LoRA step"
                + " | peak RSS, MiB | init, s |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (int t : threads) {
            double peak = median(select("matmul", null, t), m -> m.path("peak_gflops").asDouble());
            double peerPeak = median(select("peer-matmul", null, t), m -> m.path("peak_gflops").asDouble());
            md.append(String.format(Locale.ROOT, "| GEMM peak, ours (libtorch) | %d | | | | | %.1f | | | | |%n", t, peak));
            if (!Double.isNaN(peerPeak)) {
                md.append(String.format(Locale.ROOT, "| GEMM peak, peer (PyTorch) | %d | | | | | %.1f | | | | |%n",
                        t, peerPeak));
            }
            for (String method : methods) {
                List<JsonNode> runs = select("train", method, t);
                double step = median(runs, m -> m.path("median_s").asDouble());
                double gflop = flops.trainingStep(method) / 1e9;
                double relative = medianRatio("train", method, "train", "lora", t);
                md.append(String.format(Locale.ROOT,
                        "| %s | %d | %.3f | %.2f | %.0f | %.2f | %.1f | %.2f | %.2f | %.0f | %.2f |%n", method, t, step,
                        1 / step, flops.tokens() / step, gflop, gflop / step, gflop / step / peak, relative,
                        max(runs, m -> m.path("peak_rss_mib").asDouble()), median(runs, m -> m.path("init_s").asDouble())));
            }
            List<JsonNode> peerRuns = select("peer-train", "lora", t);
            if (!peerRuns.isEmpty()) {
                double step = median(peerRuns, m -> m.path("median_s").asDouble());
                double gflop = flops.trainingStep("lora") / 1e9;
                md.append(String.format(Locale.ROOT,
                        "| peer: PyTorch LoRA | %d | %.3f | %.2f | %.0f | %.2f | %.1f | %.2f | | %.0f | |%n", t, step,
                        1 / step, flops.tokens() / step, gflop, gflop / step, gflop / step / peerPeak,
                        max(peerRuns, m -> m.path("peak_rss_mib").asDouble())));
                md.append(String.format(Locale.ROOT, "| **ours ÷ peer, LoRA step time** | %d | **%.2f×** | | | | | | | | |%n",
                        t, medianRatio("train", "lora", "peer-train", "lora", t)));
            }
        }
        md.append("\nMFU: achieved GFLOP/s over the GEMM peak measured in the same run at the same thread count (ours"
                + " over ours, the peer's over its own). Ratios are medians of per-round ratios.\n\n");
    }

    /** LoRA's step and the GEMM peak under each CPU kernel mode, against the default (FAST) of the same round. */
    private void kernels(StringBuilder md) {
        Set<Integer> threads = threadsOf("kernels-train");
        Set<String> modes = valuesOf("kernels-train", "kernels");
        md.append("| CPU kernels | threads | MKL code path | GEMM peak, GFLOP/s | LoRA step, s (median) | × FAST step"
                + " | ÷ peer step | peak RSS, MiB |\n");
        md.append("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (int t : threads) {
            List<JsonNode> fast = select("train", "lora", t);
            md.append(String.format(Locale.ROOT, "| FAST (default) | %d | %s | %.1f | %.3f | 1.00 | %.2f | %.0f |%n", t,
                    codePath(fast), median(select("matmul", null, t), m -> m.path("peak_gflops").asDouble()),
                    median(fast, m -> m.path("median_s").asDouble()),
                    medianRatio("train", "lora", "peer-train", "lora", t),
                    max(fast, m -> m.path("peak_rss_mib").asDouble())));
            for (String mode : modes) {
                Predicate<JsonNode> inMode = m -> m.path("kernels").asText().equals(mode);
                List<JsonNode> runs = select("kernels-train", "lora", t).stream().filter(inMode).toList();
                md.append(String.format(Locale.ROOT, "| %s | %d | %s | %.1f | %.3f | %.2f | %.2f | %.0f |%n", mode, t,
                        codePath(runs), median(select("kernels-matmul", null, t).stream().filter(inMode).toList(),
                                m -> m.path("peak_gflops").asDouble()),
                        median(runs, m -> m.path("median_s").asDouble()),
                        medianRatio(runs, select("train", "lora", t)),
                        medianRatio(runs, select("peer-train", "lora", t)),
                        max(runs, m -> m.path("peak_rss_mib").asDouble())));
            }
        }
        md.append("\nMKL code path: the branch MKL chose for this CPU (`AUTO`: none of its own, as on AMD when its"
                + " vendor check stands). Ratios are medians of per-round ratios.\n\n");
    }

    /** LoRA's step time and memory under other engine settings, against the defaults in the same round. */
    private void settings(StringBuilder md) {
        Set<Integer> threads = threadsOf("setting-train");
        Set<String> settings = valuesOf("setting-train", "setting");
        md.append("| engine setting | threads | LoRA step, s (median) | × default step | peak RSS, MiB (max) |"
                + " RSS after the last step, MiB (median) |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
        ToDoubleFunction<JsonNode> lastRss = m -> m.path("rss_after_step_mib").path(
                m.path("rss_after_step_mib").size() - 1).asDouble(Double.NaN);
        for (int t : threads) {
            List<JsonNode> defaults = select("train", "lora", t);
            md.append(String.format(Locale.ROOT, "| defaults | %d | %.3f | 1.00 | %.0f | %.0f |%n", t,
                    median(defaults, m -> m.path("median_s").asDouble()),
                    max(defaults, m -> m.path("peak_rss_mib").asDouble()), median(defaults, lastRss)));
            for (String setting : settings) {
                List<JsonNode> runs = select("setting-train", "lora", t).stream()
                        .filter(m -> m.path("setting").asText().equals(setting)).toList();
                md.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.2f | %.0f | %.0f |%n", setting, t,
                        median(runs, m -> m.path("median_s").asDouble()), medianRatio(runs, defaults),
                        max(runs, m -> m.path("peak_rss_mib").asDouble()), median(runs, lastRss)));
            }
        }
        md.append("\nDefaults: FAST kernels, CACHING allocator (the project's CPU block cache, src/main/c/cpu_block_cache.c),"
                + " UNFUSED attention (matmul, softmax, matmul). SYSTEM: glibc malloc, which the trainer trims every 10"
                + " steps; FUSED: libtorch's scaled_dot_product_attention (src/main/c/fused_attention.cpp, opt-in)."
                + " Each row changes one setting. Ratios are medians of per-round ratios.\n\n");
    }

    /** Where a step's time goes, by operator family: one table per thread count, a column per method. */
    private void profiles(StringBuilder md) {
        Set<String> methods = valuesOf("profile", "method");
        for (int t : threadsOf("profile")) {
            md.append("Profiled step at ").append(t).append(t == 1 ? " thread" : " threads")
                    .append(", ms per step (share of the profiled step):\n\n| operator family |");
            methods.forEach(method -> md.append(' ').append(method).append(" |"));
            md.append("\n| --- |").append(" ---: |".repeat(methods.size())).append('\n');
            Map<String, JsonNode> byMethod = new LinkedHashMap<>();
            methods.forEach(method -> byMethod.put(method, select("profile", method, t).getFirst()
                    .path("profile").path("families_s_per_step")));
            for (OperatorProfile.Family family : OperatorProfile.Family.values()) {
                md.append("| ").append(family.label).append(" |");
                byMethod.values().forEach(families -> md.append(String.format(Locale.ROOT, " %.1f (%.0f %%) |",
                        families.path(family.name()).asDouble() * 1e3,
                        100 * families.path(family.name()).asDouble() / total(families))));
                md.append('\n');
            }
            md.append("| profiled step |");
            byMethod.values().forEach(families -> md.append(String.format(Locale.ROOT, " %.1f |",
                    total(families) * 1e3)));
            md.append("\n\n");
        }
        md.append("Self time of each operator (its time less its children's) in PyTorch's profiler, over the profiled"
                + " steps; an operator inside an attention kernel counts as attention. The profiler slows the step:"
                + " compare shares, and take step times from the unprofiled rounds above.\n\n");
    }

    private static double total(JsonNode families) {
        double sum = 0;
        for (JsonNode seconds : families) {
            sum += seconds.asDouble();
        }
        return sum;
    }

    /** The thread counts the measurements of {@code kind} ran at, in the order first seen. */
    private Set<Integer> threadsOf(String kind) {
        Set<Integer> threads = new LinkedHashSet<>();
        measurements.stream().filter(kind(kind)).forEach(m -> threads.add(m.path("threads").asInt()));
        return threads;
    }

    /** The values of {@code field} among the measurements of {@code kind}, in the order first seen. */
    private Set<String> valuesOf(String kind, String field) {
        Set<String> values = new LinkedHashSet<>();
        measurements.stream().filter(kind(kind)).forEach(m -> values.add(m.path(field).asText()));
        return values;
    }

    private static String codePath(List<JsonNode> runs) {
        return runs.stream().map(m -> m.path("mkl_code_path").asText("?")).distinct()
                .reduce((a, b) -> a + "/" + b).orElse("?");
    }

    private void convergence(StringBuilder md) {
        Set<String> methods = valuesOf("converge", "method");
        md.append(String.format(Locale.ROOT, "| method | seeds | loss AUC (mean loss/step) | AUC ÷ LoRA | steps to"
                + " smoothed loss ≤ %.1f | ÷ LoRA | held-out accuracy, mean (min–max) | macro-F1 |%n", TARGET_LOSS));
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (String method : methods) {
            List<JsonNode> runs = measurements.stream().filter(kind("converge"))
                    .filter(m -> m.path("method").asText().equals(method)).toList();
            DescriptiveStatistics auc = stats(runs, BenchmarkTables::lossArea);
            DescriptiveStatistics toTarget = stats(runs, BenchmarkTables::stepsToTarget);
            DescriptiveStatistics accuracy = stats(runs, m -> m.path("held_out_accuracy").asDouble());
            long reached = runs.stream().filter(m -> !Double.isNaN(stepsToTarget(m))).count();
            md.append(String.format(Locale.ROOT, "| %s | %d | %.4f ± %.4f | %.3f | %s | %s | %.4f (%.4f–%.4f) | %.4f |%n",
                    method, runs.size(), auc.getMean(), auc.getStandardDeviation(),
                    seedRatio(method, BenchmarkTables::lossArea),
                    reached == runs.size() ? String.format(Locale.ROOT, "%.0f", toTarget.getPercentile(50))
                            : reached + "/" + runs.size() + " reached",
                    reached == runs.size() ? String.format(Locale.ROOT, "%.2f", seedRatio(method,
                            BenchmarkTables::stepsToTarget)) : "–",
                    accuracy.getMean(), accuracy.getMin(), accuracy.getMax(),
                    stats(runs, m -> m.path("held_out_macro_f1").asDouble()).getMean()));
        }
        md.append("\nAUC: mean training loss over all steps (lower is faster learning). Ratios to LoRA are taken per"
                + " seed, then averaged.\n");
    }

    /** Mean of per-seed ratios of this method's figure to LoRA's with the same seed. */
    private double seedRatio(String method, ToDoubleFunction<JsonNode> figure) {
        DescriptiveStatistics ratios = new DescriptiveStatistics();
        measurements.stream().filter(kind("converge")).filter(m -> m.path("method").asText().equals(method))
                .forEach(m -> measurements.stream().filter(kind("converge"))
                        .filter(l -> l.path("method").asText().equals("lora"))
                        .filter(l -> l.path("seed").asInt() == m.path("seed").asInt())
                        .findFirst().ifPresent(l -> ratios.addValue(figure.applyAsDouble(m) / figure.applyAsDouble(l))));
        return ratios.getN() == 0 ? Double.NaN : ratios.getMean();
    }

    static double lossArea(JsonNode run) {
        DescriptiveStatistics losses = new DescriptiveStatistics();
        run.path("loss_curve").forEach(loss -> losses.addValue(loss.asDouble()));
        return losses.getMean();
    }

    static double stepsToTarget(JsonNode run) {
        double smoothed = Double.NaN;
        int step = 0;
        for (JsonNode loss : run.path("loss_curve")) {
            step++;
            smoothed = Double.isNaN(smoothed) ? loss.asDouble() : SMOOTHING * smoothed + (1 - SMOOTHING) * loss.asDouble();
            if (smoothed <= TARGET_LOSS) {
                return step;
            }
        }
        return Double.NaN;
    }

    /** Median over rounds of (figure of case a) ÷ (figure of case b) within the same round. */
    private double medianRatio(String kindA, String methodA, String kindB, String methodB, int threads) {
        return medianRatio(select(kindA, methodA, threads), select(kindB, methodB, threads));
    }

    private static double medianRatio(List<JsonNode> as, List<JsonNode> bs) {
        DescriptiveStatistics ratios = new DescriptiveStatistics();
        for (JsonNode a : as) {
            bs.stream().filter(b -> b.path("round").asInt() == a.path("round").asInt())
                    .findFirst().ifPresent(b -> ratios.addValue(a.path("median_s").asDouble()
                            / b.path("median_s").asDouble()));
        }
        return ratios.getN() == 0 ? Double.NaN : ratios.getPercentile(50);
    }

    private List<JsonNode> select(String kind, String method, int threads) {
        return measurements.stream().filter(kind(kind)).filter(m -> m.path("threads").asInt() == threads)
                .filter(m -> method == null || m.path("method").asText().equals(method)).toList();
    }

    private static Predicate<JsonNode> kind(String kind) {
        return m -> m.path("kind").asText().equals(kind);
    }

    private static DescriptiveStatistics stats(List<JsonNode> runs, ToDoubleFunction<JsonNode> figure) {
        DescriptiveStatistics stats = new DescriptiveStatistics();
        runs.forEach(run -> stats.addValue(figure.applyAsDouble(run)));
        return stats;
    }

    private static double median(List<JsonNode> runs, ToDoubleFunction<JsonNode> figure) {
        return runs.isEmpty() ? Double.NaN : stats(runs, figure).getPercentile(50);
    }

    private static double max(List<JsonNode> runs, ToDoubleFunction<JsonNode> figure) {
        return runs.isEmpty() ? Double.NaN : stats(runs, figure).getMax();
    }
}
