package dev.adapterloop.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Which adapter each row of a batch goes through, for one forward pass of a frozen base that many adapters share.
 * The batch is cut into consecutive segments, one per adapter set (a served version: layer path to adapter); every
 * {@link AdaptableLinear} of the base consults the routing of the thread running the pass instead of an installed
 * adapter, so the base's weights are only read and passes for different adapters can run at once on different
 * threads.
 *
 * <p>A layer computes the frozen product {@code W0·x + b0} once for the whole batch when every segment's adapter on it
 * is an {@link AdditiveAdapter} (LoRA form) and adds each segment's own low-rank term; other adapters (DoRA's
 * normalisation, LoRMA_π's rotation) run their own forward on their segment's rows. A layer no segment adapts is a
 * plain product. A single segment takes exactly the path an installed adapter takes, so serving one version on a
 * shared base computes what serving it on a copy of its own computes.
 */
public final class AdapterRouting {

    /**
     * {@code items} consecutive rows of the batch (texts or sequences, not tokens) and the adapters they go through,
     * keyed by layer path; a path that is missing leaves that layer plain for these rows.
     */
    public record Segment(int items, Map<String, ? extends LinearAdapter> adapters) {
        public Segment {
            if (items < 1) {
                throw new IllegalArgumentException("a segment has at least one row, got " + items);
            }
            Objects.requireNonNull(adapters, "adapters");
        }
    }

    private static final ThreadLocal<AdapterRouting> CURRENT = new ThreadLocal<>();

    private final List<Segment> segments;
    private final int items;

    private AdapterRouting(List<Segment> segments) {
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("no segments");
        }
        this.segments = List.copyOf(segments);
        this.items = segments.stream().mapToInt(Segment::items).sum();
    }

    /** All rows of every pass {@code pass} makes through {@code adapters}, however many rows each pass has. */
    public static <T> T apply(Map<String, ? extends LinearAdapter> adapters, Supplier<T> pass) {
        return apply(List.of(new Segment(1, adapters)), pass);
    }

    /**
     * Runs {@code pass} (one forward pass over a batch of {@code segments}' rows, in order) on this thread with the
     * rows routed through their adapters; the routing in force before, if any, is restored afterwards.
     */
    public static <T> T apply(List<Segment> segments, Supplier<T> pass) {
        AdapterRouting previous = CURRENT.get();
        CURRENT.set(new AdapterRouting(segments));
        try {
            return pass.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** The routing of the pass running on this thread, or null. */
    static AdapterRouting current() {
        return CURRENT.get();
    }

    /**
     * The layer's output for {@code rows}, the batch flattened to (items × tokens per item, d_in).
     *
     * @param weight the frozen weight, already in the input's compute type
     * @param bias the frozen bias, or null
     */
    NDArray forward(String path, NDArray rows, NDArray weight, NDArray bias, boolean training) {
        if (segments.size() == 1) { // all rows one version's, however many: exactly an installed adapter's path
            LinearAdapter adapter = segments.getFirst().adapters().get(path);
            return adapter != null ? adapter.forward(rows, weight, bias, training)
                    : Linear.linear(rows, weight, bias).singletonOrThrow();
        }
        long total = rows.getShape().get(0);
        if (total % items != 0) {
            throw new IllegalStateException(path + ": " + total + " rows do not split into the routed batch's "
                    + items + " items");
        }
        long perItem = total / items;
        List<LinearAdapter> adapters = new ArrayList<>(segments.size());
        boolean anyAdapter = false;
        boolean allAdditive = true;
        for (Segment segment : segments) {
            LinearAdapter adapter = segment.adapters().get(path);
            adapters.add(adapter);
            anyAdapter |= adapter != null;
            allAdditive &= adapter == null || adapter instanceof AdditiveAdapter;
        }
        if (!anyAdapter) {
            return Linear.linear(rows, weight, bias).singletonOrThrow();
        }
        if (allAdditive && !training) {
            return sharedProduct(rows, weight, bias, adapters, perItem);
        }
        return perSegment(rows, weight, bias, adapters, perItem, training);
    }

    /** {@code W0·x} once for every row, each segment's {@code Δ} added to its rows, then the bias. */
    private NDArray sharedProduct(NDArray rows, NDArray weight, NDArray bias, List<LinearAdapter> adapters,
            long perItem) {
        NDArray frozen = Linear.linear(rows, weight).singletonOrThrow();
        List<AdditiveAdapter.LowRank> forms = lowRankForms(adapters);
        if (forms != null) {
            NDArray out = frozen.addi(batchedLowRank(rows, forms, perItem));
            return bias == null ? out : out.addi(bias);
        }
        NDList pieces = new NDList(segments.size());
        long start = 0;
        for (int i = 0; i < segments.size(); i++) {
            long end = start + segments.get(i).items() * perItem;
            NDIndex slice = new NDIndex("{}:{}", start, end);
            NDArray own = frozen.get(slice);
            if (adapters.get(i) instanceof AdditiveAdapter additive) {
                own = own.add(additive.delta(rows.get(slice), weight, own));
            }
            pieces.add(own);
            start = end;
        }
        NDArray out = NDArrays.concat(pieces, 0);
        return bias == null ? out : out.addi(bias);
    }

    /**
     * Every segment's {@code scaling·B·A} on the layer's input, or null unless all adapters have that form with one
     * rank. A segment without an adapter borrows another's factors with scaling 0.
     */
    private static List<AdditiveAdapter.LowRank> lowRankForms(List<LinearAdapter> adapters) {
        List<AdditiveAdapter.LowRank> forms = new ArrayList<>(adapters.size());
        AdditiveAdapter.LowRank any = null;
        for (LinearAdapter adapter : adapters) {
            AdditiveAdapter.LowRank form = null;
            if (adapter != null) {
                form = adapter instanceof AdditiveAdapter additive ? additive.onInput().orElse(null) : null;
                if (form == null || (any != null && form.rank() != any.rank())) {
                    return null;
                }
                any = form;
            }
            forms.add(form);
        }
        for (int i = 0; i < forms.size(); i++) {
            if (forms.get(i) == null) {
                forms.set(i, new AdditiveAdapter.LowRank(any.a(), any.b(), 0f));
            }
        }
        return forms;
    }

    /**
     * The low-rank terms of all rows in two batched products, as Punica's gathered kernels do: each item (text) gets
     * its segment's factors, {@code down = x_item·A_itemᵀ} (items, tokens, r), {@code up = down·B_itemᵀ} (items,
     * tokens, d_out), scaled per item. The number of operations does not grow with the number of versions.
     */
    private NDArray batchedLowRank(NDArray rows, List<AdditiveAdapter.LowRank> forms, long perItem) {
        NDList a = new NDList(items);
        NDList b = new NDList(items);
        float[] scaling = new float[items];
        int item = 0;
        for (int s = 0; s < segments.size(); s++) {
            AdditiveAdapter.LowRank form = forms.get(s);
            for (int i = 0; i < segments.get(s).items(); i++, item++) {
                a.add(form.a());
                b.add(form.b());
                scaling[item] = form.scaling();
            }
        }
        NDArray x = rows.reshape(items, perItem, rows.getShape().get(1));
        // A stack's result belongs to its first operand's manager, an adapter's: move it to the pass's.
        NDArray stackedA = NDArrays.stack(a, 0);
        stackedA.attach(x.getManager());
        NDArray stackedB = NDArrays.stack(b, 0);
        stackedB.attach(x.getManager());
        NDArray down = x.matMul(ComputeTypes.castLike(stackedA, x).transpose(0, 2, 1));
        NDArray up = down.matMul(ComputeTypes.castLike(stackedB, x).transpose(0, 2, 1));
        NDArray scale = ComputeTypes.castLike(x.getManager().create(scaling).reshape(items, 1, 1), x);
        return up.muli(scale).reshape(rows.getShape().get(0), -1);
    }

    /** Each segment's rows through its own adapter's forward (or the plain layer): adapters that are not additive. */
    private NDArray perSegment(NDArray rows, NDArray weight, NDArray bias, List<LinearAdapter> adapters,
            long perItem, boolean training) {
        NDList pieces = new NDList(segments.size());
        long start = 0;
        for (int i = 0; i < segments.size(); i++) {
            long end = start + segments.get(i).items() * perItem;
            NDArray own = rows.get(new NDIndex("{}:{}", start, end));
            LinearAdapter adapter = adapters.get(i);
            pieces.add(adapter == null ? Linear.linear(own, weight, bias).singletonOrThrow()
                    : adapter.forward(own, weight, bias, training));
            start = end;
        }
        return NDArrays.concat(pieces, 0);
    }
}
