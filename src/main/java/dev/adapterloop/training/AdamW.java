package dev.adapterloop.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov & Hutter) with decoupled weight decay, updating parameters in place. Moments live in the
 * optimiser's own manager, so nothing grows on the model's manager step after step.
 */
final class AdamW implements AutoCloseable {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    private final NDManager manager;
    private final double weightDecay;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private int step;

    AdamW(NDManager parent, double weightDecay) {
        this.manager = parent.newSubManager();
        this.weightDecay = weightDecay;
    }

    /**
     * One update of every parameter from its gradient. Temporaries attach to {@code scratch}, which the caller closes
     * after the step. Must run outside a gradient collector (in-place updates of leaves).
     */
    void step(Map<String, NDArray> parameters, Map<String, NDArray> gradients, double learningRate,
              NDManager scratch) {
        step++;
        double correction1 = 1 - Math.pow(BETA1, step);
        double correction2 = 1 - Math.pow(BETA2, step);
        double stepSize = learningRate / correction1;
        for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
            String name = entry.getKey();
            NDArray parameter = entry.getValue();
            NDArray gradient = gradients.get(name);
            NDArray m = firstMoments.computeIfAbsent(name, k -> manager.zeros(parameter.getShape()));
            NDArray v = secondMoments.computeIfAbsent(name, k -> manager.zeros(parameter.getShape()));
            m.muli(BETA1).addi(gradient.mul(1 - BETA1));
            v.muli(BETA2).addi(gradient.square().muli(1 - BETA2));
            // Results attach to their first operand's manager: move those of m and v to the scratch manager.
            NDArray denominator = scratch(v.div(correction2), scratch).sqrt().addi(EPS);
            if (weightDecay > 0) {
                parameter.muli(1 - learningRate * weightDecay);
            }
            parameter.subi(scratch(m.div(denominator), scratch).muli(stepSize));
        }
    }

    private static NDArray scratch(NDArray temporary, NDManager scratch) {
        temporary.attach(scratch);
        return temporary;
    }

    int steps() {
        return step;
    }

    /** The first (m) or second (v) moments as flat arrays, for a checkpoint. */
    Map<String, float[]> moments(boolean first) {
        Map<String, float[]> values = new LinkedHashMap<>();
        (first ? firstMoments : secondMoments).forEach((name, array) -> values.put(name, array.toFloatArray()));
        return values;
    }

    /** Puts a checkpoint's moments and step count back; the arrays are allocated by PyTorch and filled by copy. */
    void restore(int steps, Map<String, float[]> first, Map<String, float[]> second, Map<String, NDArray> parameters) {
        this.step = steps;
        restoreInto(firstMoments, first, parameters);
        restoreInto(secondMoments, second, parameters);
    }

    private void restoreInto(Map<String, NDArray> moments, Map<String, float[]> values,
                             Map<String, NDArray> parameters) {
        moments.values().forEach(NDArray::close);
        moments.clear();
        values.forEach((name, flat) -> {
            NDArray parameter = parameters.get(name);
            if (parameter == null || parameter.size() != flat.length) {
                throw new TrainingFailedException("checkpoint has optimizer state for '" + name + "' that does not"
                        + " fit the model");
            }
            NDArray moment = manager.zeros(parameter.getShape());
            moment.set(flat);
            moments.put(name, moment);
        });
    }

    @Override
    public void close() {
        manager.close();
    }
}
