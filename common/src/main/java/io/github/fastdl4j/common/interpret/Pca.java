package io.github.fastdl4j.common.interpret;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * Principal component analysis by singular value decomposition of the centred data (Commons
 * Math), as {@code torch.pca_lowrank} / scikit-learn compute it. Each component's sign is fixed
 * so that its largest-magnitude loading is positive, which makes results reproducible.
 */
public final class Pca {

    private Pca() {
    }

    /**
     * Result of a PCA.
     *
     * @param components     k x d, one unit-length component per row
     * @param explainedVarianceRatio share of total variance per component
     * @param projected      n x k, the data in component coordinates
     * @param mean           the column means subtracted before the SVD
     */
    public record Result(double[][] components, double[] explainedVarianceRatio, double[][] projected, double[] mean) {
    }

    /** The top {@code k} components of {@code data} (n rows x d columns). */
    public static Result fit(double[][] data, int k) {
        int n = data.length;
        int d = data[0].length;
        if (k < 1 || k > Math.min(n, d)) {
            throw new IllegalArgumentException("k must be in 1.." + Math.min(n, d) + ", got " + k);
        }
        double[] mean = new double[d];
        for (double[] row : data) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / n;
            }
        }
        double[][] centred = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                centred[i][j] = data[i][j] - mean[j];
            }
        }
        RealMatrix x = new Array2DRowRealMatrix(centred, false);
        SingularValueDecomposition svd = new SingularValueDecomposition(x);
        double[] s = svd.getSingularValues();
        double total = 0;
        for (double v : s) {
            total += v * v;
        }
        RealMatrix v = svd.getV();
        double[][] comps = new double[k][d];
        double[] ratio = new double[k];
        for (int c = 0; c < k; c++) {
            double[] col = v.getColumn(c);
            int arg = 0;
            for (int j = 1; j < d; j++) {
                if (Math.abs(col[j]) > Math.abs(col[arg])) {
                    arg = j;
                }
            }
            double sign = col[arg] < 0 ? -1 : 1;
            for (int j = 0; j < d; j++) {
                comps[c][j] = sign * col[j];
            }
            ratio[c] = total == 0 ? 0 : s[c] * s[c] / total;
        }
        double[][] proj = x.multiply(new Array2DRowRealMatrix(comps, false).transpose()).getData();
        return new Result(comps, ratio, proj, mean);
    }
}
