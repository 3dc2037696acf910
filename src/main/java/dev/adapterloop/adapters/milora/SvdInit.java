package dev.adapterloop.adapters.milora;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * The SVD initialisation shared by MiLoRA and PiSSA, computed with EJML in double precision: {@code W0 = U·Σ·Vᵀ} with
 * the singular values in descending order, split into an adapter (B, A) made of r chosen components and a frozen
 * residual made of the others. DJL has no SVD.
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
     * The adapter and residual for r chosen components, as float arrays in row-major order.
     *
     * @param loraA (r, d_in): {@code diag(√(σ_idx / s))·V[:, idx]ᵀ}
     * @param loraB (d_out, r): {@code U[:, idx]·diag(√(σ_idx / s))}
     * @param residual (d_out, d_in): {@code Σ_{i ∉ idx} σ_i·u_i·v_iᵀ}, so {@code residual + s·B·A = W0}
     * @param singularValues the chosen components' singular values, in index order
     */
    public record Split(float[] loraA, float[] loraB, float[] residual, double[] singularValues) {
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

    /** Splits {@code svd} into the adapter for {@code indices} (with scaling s) and the residual of the rest. */
    public static Split split(Decomposition svd, int[] indices, double scaling) {
        int rows = svd.u().numRows;
        int cols = svd.v().numRows;
        int m = svd.size();
        int r = indices.length;
        boolean[] chosen = new boolean[m];
        float[] a = new float[r * cols];
        float[] b = new float[rows * r];
        double[] values = new double[r];
        for (int k = 0; k < r; k++) {
            int idx = indices[k];
            chosen[idx] = true;
            values[k] = svd.singularValues()[idx];
            double root = Math.sqrt(values[k] / scaling);
            for (int i = 0; i < rows; i++) {
                b[i * r + k] = (float) (svd.u().get(i, idx) * root);
            }
            for (int j = 0; j < cols; j++) {
                a[k * cols + j] = (float) (svd.v().get(j, idx) * root);
            }
        }
        // residual = U_rest·diag(σ_rest)·V_restᵀ, in double.
        int rest = m - r;
        DMatrixRMaj scaledU = new DMatrixRMaj(rows, rest);
        DMatrixRMaj restV = new DMatrixRMaj(cols, rest);
        int c = 0;
        for (int idx = 0; idx < m; idx++) {
            if (chosen[idx]) {
                continue;
            }
            double sigma = svd.singularValues()[idx];
            for (int i = 0; i < rows; i++) {
                scaledU.set(i, c, svd.u().get(i, idx) * sigma);
            }
            for (int j = 0; j < cols; j++) {
                restV.set(j, c, svd.v().get(j, idx));
            }
            c++;
        }
        DMatrixRMaj residual = new DMatrixRMaj(rows, cols);
        CommonOps_DDRM.multTransB(scaledU, restV, residual);
        float[] res = new float[rows * cols];
        for (int i = 0; i < res.length; i++) {
            res[i] = (float) residual.data[i];
        }
        return new Split(a, b, res, values);
    }
}
