package dev.adapterloop.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * Renders a decoder benchmark report as the Markdown of BENCHMARKS.md: the parity check, then one row per figure
 * and thread count with ours, the peer's and their ratio. Every figure is a median within one process (of the timed
 * steps, of the timed generations); there is one process per side, case and thread count.
 */
final class DecoderTables {

    private final JsonNode report;
    private final DecoderShape shape;

    DecoderTables(JsonNode report, DecoderShape shape) {
        this.report = report;
        this.shape = shape;
    }

    String render() {
        StringBuilder md = new StringBuilder();
        JsonNode settings = report.path("settings");
        int batch = settings.path("batch").asInt();
        int seq = settings.path("seq").asInt();
        double gflop = shape.loraStepFlops(batch, seq, settings.path("rank").asInt()) / 1e9;
        md.append(String.format(Locale.ROOT, "Model: %s, %,d parameters (%,d in the layers' projections), LoRA r %d"
                + " on q_proj, v_proj (%,d trainable); batch %d × seq %d; %.1f GFLOP per LoRA step.%n%n",
                shape.key(), shape.parameters(), settings.path("projection_parameters").asLong(),
                settings.path("rank").asInt(), settings.path("lora_parameters").asLong(), batch, seq, gflop));
        JsonNode check = report.path("peer_check");
        if (!check.isMissingNode()) {
            md.append(String.format(Locale.ROOT, "Parity (same weights, same ids): logits of the first row max |Δ|"
                    + " %.2e (largest |logit| %.3f), first batch's loss ours %.6f, peer %.6f (|Δ| %.2e); greedy"
                    + " tokens equal to ours for the first %d of %d (cached) and %d (uncached).%n%n",
                    check.path("max_abs_logit_diff").asDouble(), check.path("max_abs_logit").asDouble(),
                    report.path("reference").path("loss").asDouble(), check.path("loss").asDouble(),
                    check.path("loss_diff").asDouble(), check.path("greedy_cached_tokens_equal_to_ours").asInt(),
                    settings.path("new_tokens").asInt(), check.path("greedy_uncached_tokens_equal_to_ours").asInt()));
        }
        md.append("| figure | threads | ours | peer | ours ÷ peer |\n| --- | ---: | ---: | ---: | ---: |\n");
        for (int t : threadCounts()) {
            row(md, "LoRA step, s (median)", t, "train", m -> m.path("median_s").asDouble(), "%.3f");
            row(md, "LoRA step, CPU s (median; user + system, all threads)", t, "train",
                    m -> m.path("cpu_s_median").asDouble(), "%.2f");
            row(md, "training tokens/s", t, "train", m -> m.path("tokens_per_s").asDouble(), "%.0f");
            row(md, "achieved GFLOP/s", t, "train", m -> gflop / m.path("median_s").asDouble(), "%.1f");
            row(md, "GEMM peak on this machine, GFLOP/s", t, "matmul", m -> m.path("peak_gflops").asDouble(), "%.1f");
            double oursPeak = value("ours", "matmul", t, m -> m.path("peak_gflops").asDouble());
            double peerPeak = value("peer", "matmul", t, m -> m.path("peak_gflops").asDouble());
            row(md, "MFU (achieved ÷ own GEMM peak)", t, "train", m -> gflop / m.path("median_s").asDouble()
                    / (m.path("side").asText().equals("ours") ? oursPeak : peerPeak), "%.2f");
            row(md, "peak RSS of the training process, MiB", t, "train", m -> m.path("peak_rss_mib").asDouble(),
                    "%.0f");
            row(md, "greedy tokens/s, KV cache", t, "generate",
                    m -> m.path("cached").path("tokens_per_s").asDouble(), "%.1f");
            row(md, "greedy tokens/s, no cache", t, "generate",
                    m -> m.path("uncached").path("tokens_per_s").asDouble(), "%.1f");
            row(md, "greedy, CPU s per token, KV cache", t, "generate",
                    m -> m.path("cached").path("cpu_s_median").asDouble() / m.path("new_tokens").asDouble(), "%.4f");
            row(md, "greedy, CPU s per token, no cache", t, "generate",
                    m -> m.path("uncached").path("cpu_s_median").asDouble() / m.path("new_tokens").asDouble(), "%.4f");
            row(md, "KV cache speed-up (×)", t, "generate", m -> m.path("cached").path("tokens_per_s").asDouble()
                    / m.path("uncached").path("tokens_per_s").asDouble(), "%.2f");
        }
        return md.toString();
    }

    private void row(StringBuilder md, String label, int threads, String benchmarkCase,
                     ToDoubleFunction<JsonNode> figure, String format) {
        double ours = value("ours", benchmarkCase, threads, figure);
        double peer = value("peer", benchmarkCase, threads, figure);
        String ratio = Double.isNaN(peer) || Double.isNaN(ours) ? "" : String.format(Locale.ROOT, "%.2f×",
                ours / peer);
        md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s |%n", label, threads, text(format, ours),
                text(format, peer), ratio));
    }

    private double value(String side, String benchmarkCase, int threads, ToDoubleFunction<JsonNode> figure) {
        for (JsonNode m : report.path("measurements")) {
            if (m.path("side").asText().equals(side) && m.path("case").asText().equals(benchmarkCase)
                    && m.path("threads").asInt() == threads) {
                return figure.applyAsDouble(m);
            }
        }
        return Double.NaN;
    }

    private List<Integer> threadCounts() {
        TreeSet<Integer> counts = new TreeSet<>();
        report.path("measurements").forEach(m -> counts.add(m.path("threads").asInt()));
        return new ArrayList<>(counts);
    }

    private static String text(String format, double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, format, value);
    }
}
