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
