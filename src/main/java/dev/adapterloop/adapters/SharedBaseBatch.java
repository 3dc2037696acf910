package dev.adapterloop.adapters;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import dev.adapterloop.model.AdapterRouting;
import java.util.ArrayList;
import java.util.List;

/**
 * One inference pass over a batch whose rows belong to different versions served on one shared base: the base runs
 * once for every row, each row through its own version's adapters ({@link AdapterRouting}), and each version's head
 * reads its own rows' features. The versions must be {@link AdaptedClassifier#detach() detached} from the same loaded
 * base.
 */
public final class SharedBaseBatch {

    /** {@code rows} consecutive rows of the batch that {@code model} answers. */
    public record Rows(AdaptedClassifier model, int rows) {
    }

    private SharedBaseBatch() {
    }

    /**
     * @param batch (input ids, attention mask, token type ids) with the segments' rows in order
     * @return each segment's logits, (rows, its labels), in segment order
     */
    public static List<NDArray> logits(List<Rows> segments, NDList batch) {
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("no rows");
        }
        AdaptedClassifier first = segments.getFirst().model();
        List<AdapterRouting.Segment> routing = new ArrayList<>(segments.size());
        long total = 0;
        for (Rows segment : segments) {
            if (!segment.model().isDetached()) {
                throw new IllegalArgumentException(segment.model().method().name()
                        + " model is installed on its base: only detached models share a batch");
            }
            if (segment.model().base() != first.base()) {
                throw new IllegalArgumentException("every model of a shared batch must sit on the same loaded base");
            }
            routing.add(segment.model().segment(segment.rows()));
            total += segment.rows();
        }
        if (total != batch.get(0).getShape().get(0)) {
            throw new IllegalArgumentException("segments hold " + total + " rows, the batch "
                    + batch.get(0).getShape().get(0));
        }
        NDArray features = AdapterRouting.apply(routing, () -> first.routedFeatures(batch));
        List<NDArray> logits = new ArrayList<>(segments.size());
        long start = 0;
        for (Rows segment : segments) {
            long end = start + segment.rows();
            logits.add(segment.model().headLogits(features.get(new NDIndex("{}:{}", start, end))));
            start = end;
        }
        return logits;
    }
}
