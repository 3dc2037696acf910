package dev.adapterloop.adapters.milora;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * The SVD initialisation shared by MiLoRA and PiSSA, computed with EJML in double precision: {@code W0 = U·Σ·Vᵀ} with
 * the singular values in descending order, split into an adapter (B, A) made of r chosen components and a frozen
 * residual made of the others ({@code W0 − s·B·A}). DJL has no SVD.
 */
public final class SvdInit {

    private SvdInit() {
    }

    /**
     * A compact SVD {@code W = U·diag(σ)·Vᵀ}, {@code σ} descending.
     *
     * @param u (d_out, m) with orthonormal columns
     * @param singularValues length m = min(d_out, d_in)
     * @param v (d_in, m) with orthonormal columns
     */
    public record Decomposition(DMatrixRMaj u, double[] singularValues, DMatrixRMaj v) {

        public int size() {
            return singularValues.length;
        }
    }

    /**
     * The adapter for r chosen components, as float arrays in row-major order.
     *
     * @param loraA (r, d_in): {@code diag(√(σ_idx / s))·V[:, idx]ᵀ}
     * @param loraB (d_out, r): {@code U[:, idx]·diag(√(σ_idx / s))}
     * @param singularValues the chosen components' singular values, in index order
     */
    public record Split(float[] loraA, float[] loraB, double[] singularValues) {
    }

    /** The descending compact SVD of a row-major (rows, cols) matrix. */
    public static Decomposition decompose(float[] weight, int rows, int cols) {
        if (weight.length != rows * cols) {
            throw new IllegalArgumentException("weight has " + weight.length + " values, expected " + rows + "×"
                    + cols);
        }
        DMatrixRMaj w = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < weight.length; i++) {
            w.data[i] = weight[i];
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd =
                DecompositionFactory_DDRM.svd(rows, cols, true, true, true);
        if (!svd.decompose(w)) {
            throw new IllegalStateException("SVD of a " + rows + "×" + cols + " weight did not converge");
        }
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj sigma = svd.getW(null);
        DMatrixRMaj v = svd.getV(null, false);
        // EJML does not order the singular values.
        SingularOps_DDRM.descendingOrder(u, false, sigma, v, false);
        int m = Math.min(rows, cols);
        double[] values = new double[m];
        for (int i = 0; i < m; i++) {
            values[i] = sigma.get(i, i);
        }
        return new Decomposition(u, values, v);
    }

    /** The adapter for {@code indices} of {@code svd}, with scaling s. */
    public static Split split(Decomposition svd, int[] indices, double scaling) {
        int rows = svd.u().numRows;
        int cols = svd.v().numRows;
        int r = indices.length;
        float[] a = new float[r * cols];
        float[] b = new float[rows * r];
        double[] values = new double[r];
        for (int k = 0; k < r; k++) {
            int idx = indices[k];
            values[k] = svd.singularValues()[idx];
            double root = Math.sqrt(values[k] / scaling);
            for (int i = 0; i < rows; i++) {
                b[i * r + k] = (float) (svd.u().get(i, idx) * root);
            }
            for (int j = 0; j < cols; j++) {
                a[k * cols + j] = (float) (svd.v().get(j, idx) * root);
            }
        }
        return new Split(a, b, values);
    }

    /**
     * The frozen residual {@code W_res = W0 − s·B0·A0} (d_out, d_in), computed in double from the float factors and
     * rounded once. Mathematically it is the sum of the components the adapter did not take; computing it from the
     * stored float factors rather than from U, Σ, V makes it a pure function of W0, B0 and A0, so a layer restored
     * from a file ({@link MiloraLayer#restore}) has bit for bit the residual it was trained with, and
     * {@code W_res + s·B0·A0} meets W0 up to one rounding of W_res.
     *
     * @param weight W0, row-major (rows, cols)
     * @param loraB B0, row-major (rows, r)
     * @param loraA A0, row-major (r, cols)
     */
    public static float[] residual(float[] weight, float[] loraB, float[] loraA, double scaling, int rows, int cols) {
        int r = loraA.length / cols;
        if (weight.length != rows * cols || loraB.length != rows * r || loraA.length != r * cols) {
            throw new IllegalArgumentException("residual: W0 must be " + rows + "×" + cols + ", B0 " + rows + "×r and"
                    + " A0 r×" + cols + "; got " + weight.length + ", " + loraB.length + " and " + loraA.length
                    + " values");
        }
        float[] residual = new float[rows * cols];
        double[] row = new double[cols];
        for (int i = 0; i < rows; i++) {
            Arrays.fill(row, 0);
            for (int k = 0; k < r; k++) {
                double bik = loraB[i * r + k];
                for (int j = 0; j < cols; j++) {
                    row[j] += bik * loraA[k * cols + j];
                }
            }
            for (int j = 0; j < cols; j++) {
                residual[i * cols + j] = (float) (weight[i * cols + j] - scaling * row[j]);
            }
        }
        return residual;
    }
}
