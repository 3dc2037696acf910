package dev.adapterloop.adapters.milora;

import ai.djl.ndarray.NDArray;
import dev.adapterloop.adapters.TargetModules;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/** Shared configs and double-precision helpers for the MiLoRA/PiSSA tests. */
final class MiloraTesting {

    /** Query, value and the FFN up-projection of every layer: 18 targets, 384×384 and 1536×384. */
    static final TargetModules TARGETS = TargetModules.parse("re:.*(query|value|intermediate\\.dense)");

    /**
     * The same kinds of layer in encoder layers 0 and 5 only (6 targets): an SVD init costs ~0.15 s for a 384×384
     * and ~0.5 s for a 1536×384 weight, so all 18 targets take ~5 s per adapter on the build machines.
     */
    static final TargetModules FIRST_AND_LAST = TargetModules.parse(
            "re:encoder\\.layer\\.[05]\\..*(query|value|intermediate\\.dense)");

    /** Query, value and FFN of encoder layer 0 (3 targets). */
    static final TargetModules FIRST = TargetModules.parse(
            "re:encoder\\.layer\\.0\\..*(query|value|intermediate\\.dense)");

    private MiloraTesting() {
    }

    static MiloraConfig config(Components components, double alpha) {
        return config(components, alpha, TARGETS);
    }

    static MiloraConfig config(Components components, double alpha, TargetModules targets) {
        return new MiloraConfig(components, 8, alpha, 0.0, targets, false);
    }

    static DMatrixRMaj matrix(NDArray array) {
        float[] values = array.toFloatArray();
        DMatrixRMaj m = new DMatrixRMaj((int) array.getShape().get(0), (int) array.getShape().get(1));
        for (int i = 0; i < values.length; i++) {
            m.data[i] = values[i];
        }
        return m;
    }

    static double maxAbs(DMatrixRMaj m) {
        double max = 0;
        for (int i = 0; i < m.getNumElements(); i++) {
            max = Math.max(max, Math.abs(m.data[i]));
        }
        return max;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }

    /** Singular values above {@code relative·σ_max}. */
    static int numericalRank(DMatrixRMaj m, double relative) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd =
                DecompositionFactory_DDRM.svd(m.numRows, m.numCols, false, false, true);
        if (!svd.decompose(m.copy())) {
            throw new IllegalStateException("SVD did not converge");
        }
        double[] values = svd.getSingularValues();
        double max = 0;
        for (double v : values) {
            max = Math.max(max, v);
        }
        int rank = 0;
        for (double v : values) {
            if (v > relative * max) {
                rank++;
            }
        }
        return rank;
    }

    /** Adds Gaussian noise of standard deviation {@code scale} to {@code array} in place. */
    static void perturb(NDArray array, Random random, double scale) {
        float[] values = array.toFloatArray();
        for (int i = 0; i < values.length; i++) {
            values[i] += (float) (random.nextGaussian() * scale);
        }
        array.set(values);
    }
}
