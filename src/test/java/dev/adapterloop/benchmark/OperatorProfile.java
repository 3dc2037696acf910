package dev.adapterloop.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a training step's time goes, by operator family, from PyTorch's profiler trace (Chrome trace JSON, as
 * {@code BenchmarkWorker --profile} writes it). Each operator counts its self time (its duration less its children's),
 * so nothing is counted twice; an operator run inside an attention kernel (the zeroed gradient buffers of its backward)
 * counts as attention. Time between operators (Java, JNI, the optimizer's bookkeeping outside libtorch) is its own
 * row, so the rows add up to the profiled wall time.
 */
final class OperatorProfile {

    /** The families, in the order the tables list them. */
    enum Family {
        DENSE_PRODUCTS("dense products (mm, addmm)"),
        ATTENTION("attention (fused kernel, or bmm + softmax)"),
        COPIES("copies (bias into addmm, layouts, casts)"),
        GELU("GELU and its backward"),
        LAYER_NORM("LayerNorm and its backward"),
        ELEMENTWISE("elementwise (residuals, scales, gradient sums, AdamW)"),
        FILLS("fills and zeros"),
        DROPOUT_MASKS("dropout masks drawn by libtorch (bernoulli_)"),
        REDUCTIONS("reductions (sums, norms)"),
        EMBEDDING_AND_LOSS("embedding, pooling, loss"),
        BOOKKEEPING("views, allocation, autograd nodes"),
        OUTSIDE_OPERATORS("outside operators (Java, JNI)");

        final String label;

        Family(String label) {
            this.label = label;
        }
    }

    private static final Set<String> DENSE = Set.of("aten::mm", "aten::addmm");
    private static final Set<String> ATTENTION_OPERATORS = Set.of("aten::bmm", "aten::baddbmm", "aten::_softmax",
            "aten::_softmax_backward_data");
    private static final Set<String> COPY = Set.of("aten::copy_", "aten::clone", "aten::_to_copy", "aten::contiguous");
    private static final Set<String> ELEMENTWISE_OPERATORS = Set.of("aten::add", "aten::add_", "aten::mul",
            "aten::mul_", "aten::div", "aten::div_", "aten::sub", "aten::sub_", "aten::sqrt", "aten::pow",
            "aten::addcmul_", "aten::addcdiv_", "aten::lerp_", "aten::neg", "aten::exp", "aten::rsqrt",
            "aten::square", "aten::where", "aten::clamp", "aten::clamp_min", "aten::maximum", "aten::eq");
    private static final Set<String> FILL = Set.of("aten::fill_", "aten::zero_");
    private static final Set<String> DROPOUT = Set.of("aten::bernoulli_", "aten::bernoulli", "aten::native_dropout");
    private static final Set<String> REDUCTION = Set.of("aten::sum", "aten::mean", "aten::norm",
            "aten::linalg_vector_norm", "aten::max", "aten::min", "aten::argmax");
    private static final Set<String> EMBEDDING_LOSS = Set.of("aten::index_select", "aten::embedding",
            "aten::embedding_dense_backward", "aten::log_softmax", "aten::_log_softmax",
            "aten::_log_softmax_backward_data", "aten::nll_loss_forward", "aten::nll_loss_backward", "aten::one_hot",
            "aten::index", "aten::scatter_", "aten::gather");

    private final Map<Family, Double> secondsPerStep;
    private final Map<String, Double> topOperators;

    private OperatorProfile(Map<Family, Double> secondsPerStep, Map<String, Double> topOperators) {
        this.secondsPerStep = secondsPerStep;
        this.topOperators = topOperators;
    }

    /** Reads a trace of {@code steps} profiled training steps. */
    static OperatorProfile read(Path trace, int steps) throws IOException {
        JsonNode root = new ObjectMapper().readTree(trace.toFile());
        JsonNode events = root.has("traceEvents") ? root.get("traceEvents") : root;
        Map<Long, List<Span>> byThread = new LinkedHashMap<>();
        for (JsonNode event : events) {
            if ("X".equals(event.path("ph").asText()) && event.has("dur")) {
                byThread.computeIfAbsent(event.path("tid").asLong(), t -> new ArrayList<>())
                        .add(new Span(event.path("name").asText(), event.path("ts").asDouble(),
                                event.path("dur").asDouble()));
            }
        }
        Map<Family, Double> micros = new LinkedHashMap<>();
        for (Family family : Family.values()) {
            micros.put(family, 0.0);
        }
        Map<String, Double> operators = new LinkedHashMap<>();
        double wall = 0;
        double covered = 0;
        for (List<Span> spans : byThread.values()) {
            spans.sort(Comparator.<Span>comparingDouble(span -> span.start)
                    .thenComparing(Comparator.<Span>comparingDouble(span -> span.duration).reversed()));
            double lastEnd = spans.stream().mapToDouble(Span::end).max().orElseThrow();
            wall = Math.max(wall, lastEnd - spans.getFirst().start);
            Deque<Span> open = new ArrayDeque<>();
            double coveredUntil = Double.NEGATIVE_INFINITY;
            for (Span span : spans) {
                while (!open.isEmpty() && open.peek().end() <= span.start) {
                    open.pop();
                }
                if (open.isEmpty()) {
                    covered += Math.max(0, span.end() - Math.max(span.start, coveredUntil));
                    coveredUntil = Math.max(coveredUntil, span.end());
                }
                span.insideAttention = !open.isEmpty() && (open.peek().insideAttention
                        || familyOf(open.peek().name) == Family.ATTENTION);
                if (!open.isEmpty()) {
                    open.peek().childTime += span.duration;
                }
                open.push(span);
            }
            for (Span span : spans) {
                double self = Math.max(0, span.duration - span.childTime);
                Family family = span.insideAttention ? Family.ATTENTION : familyOf(span.name);
                micros.merge(family, self, Double::sum);
                operators.merge(span.name, self, Double::sum);
            }
        }
        micros.put(Family.OUTSIDE_OPERATORS, Math.max(0, wall - covered));
        Map<Family, Double> perStep = new LinkedHashMap<>();
        micros.forEach((family, us) -> perStep.put(family, us / 1e6 / steps));
        Map<String, Double> top = new LinkedHashMap<>();
        operators.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(12)
                .forEach(entry -> top.put(entry.getKey(), entry.getValue() / 1e6 / steps));
        return new OperatorProfile(perStep, top);
    }

    static Family familyOf(String operator) {
        if (DENSE.contains(operator)) {
            return Family.DENSE_PRODUCTS;
        }
        if (ATTENTION_OPERATORS.contains(operator) || operator.contains("scaled_dot_product")) {
            return Family.ATTENTION;
        }
        if (COPY.contains(operator)) {
            return Family.COPIES;
        }
        if (operator.startsWith("aten::gelu")) {
            return Family.GELU;
        }
        if (operator.contains("layer_norm")) {
            return Family.LAYER_NORM;
        }
        if (ELEMENTWISE_OPERATORS.contains(operator)) {
            return Family.ELEMENTWISE;
        }
        if (FILL.contains(operator)) {
            return Family.FILLS;
        }
        if (DROPOUT.contains(operator)) {
            return Family.DROPOUT_MASKS;
        }
        if (REDUCTION.contains(operator)) {
            return Family.REDUCTIONS;
        }
        if (EMBEDDING_LOSS.contains(operator)) {
            return Family.EMBEDDING_AND_LOSS;
        }
        return Family.BOOKKEEPING;
    }

    /** Seconds per step by family, every family present (0 where it took nothing). */
    Map<Family, Double> secondsPerStep() {
        return secondsPerStep;
    }

    /** The 12 operators with the most self time, seconds per step. */
    Map<String, Double> topOperators() {
        return topOperators;
    }

    /** For the worker's JSON: family label to seconds per step, then the top operators. */
    Map<String, Object> toJson() {
        Map<String, Object> families = new LinkedHashMap<>();
        secondsPerStep.forEach((family, s) -> families.put(family.name(), s));
        return Map.of("families_s_per_step", families, "top_operators_s_per_step", topOperators);
    }

    /** One profiled operator call; self time is its duration less {@code childTime}. */
    private static final class Span {
        final String name;
        final double start;
        final double duration;
        double childTime;
        boolean insideAttention;

        Span(String name, double start, double duration) {
            this.name = name;
            this.start = start;
            this.duration = duration;
        }

        double end() {
            return start + duration;
        }
    }
}
