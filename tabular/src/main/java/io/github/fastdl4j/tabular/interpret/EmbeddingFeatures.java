package io.github.fastdl4j.tabular.interpret;

import io.github.fastdl4j.common.data.Splits;
import io.github.fastdl4j.tabular.data.TabularData;
import io.github.fastdl4j.tabular.data.TabularFrame;
import io.github.fastdl4j.tabular.model.Rmspe;
import io.github.fastdl4j.tabular.model.TabularPredictor;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * The Entity Embeddings paper's experiment: simple models fitted on the same rows, once with the
 * categorical columns as one-hot codes and once replaced by the network's learned embeddings (the
 * continuous columns, normalised, are in both). Two simple models: k-nearest neighbours (k = 10,
 * Euclidean; mean log sales of the neighbours) and ridge regression on log sales. Both are fitted
 * on a random sample of the training rows and scored (exp_rmspe) on a random sample of the
 * validation rows, so the comparison is cheap and the same for both encodings.
 */
public final class EmbeddingFeatures {

    static final int K = 10;
    static final double RIDGE = 1.0;
    static final int VALID_SAMPLE = 2000;

    /** exp_rmspe of each simple model with each encoding. */
    public record Report(int trainRows, int validRows, double knnOneHot, double knnEmbeddings,
                         double linearOneHot, double linearEmbeddings) {
        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("train_rows", trainRows);
            m.put("valid_rows", validRows);
            m.put("knn10_one_hot_rmspe", knnOneHot);
            m.put("knn10_embeddings_rmspe", knnEmbeddings);
            m.put("ridge_one_hot_rmspe", linearOneHot);
            m.put("ridge_embeddings_rmspe", linearEmbeddings);
            return m;
        }

        public void print() {
            System.out.printf(Locale.ROOT, "Simple models on %,d training rows, scored on %,d validation rows (exp_rmspe):%n",
                    trainRows, validRows);
            System.out.printf(Locale.ROOT, "  %-22s %10s %12s%n", "model", "one-hot", "embeddings");
            System.out.printf(Locale.ROOT, "  %-22s %10.4f %12.4f%n", "k-NN (k=10)", knnOneHot, knnEmbeddings);
            System.out.printf(Locale.ROOT, "  %-22s %10.4f %12.4f%n", "ridge regression", linearOneHot, linearEmbeddings);
        }
    }

    private EmbeddingFeatures() {
    }

    /** Runs the comparison on {@code sample} training rows and up to 2,000 validation rows of {@code frame}. */
    public static Report compare(TabularPredictor m, TabularFrame frame, int[] trainRows, int[] validRows, int sample,
                                 long seed) {
        Random r = new Random(seed);
        int[] tr = take(trainRows, sample, r);
        int[] va = take(validRows, VALID_SAMPLE, r);
        TabularData t = m.pipeline().transform(frame.rows(tr));
        TabularData v = m.pipeline().transform(frame.rows(va));
        double[] actual = new double[v.rows()];
        for (int i = 0; i < actual.length; i++) {
            actual[i] = Math.exp(v.y()[i]);
        }
        float[] et = embed(m, t), ev = embed(m, v);
        int width = et.length / t.rows();
        double knnOne = Rmspe.of(actual, exp(knnOneHot(t, v)));
        double knnEmb = Rmspe.of(actual, exp(knnDense(et, ev, width, t.y())));
        int[] offsets = offsets(m);
        double linOne = Rmspe.of(actual, exp(ridgeOneHot(t, v, offsets)));
        double linEmb = Rmspe.of(actual, exp(ridgeDense(et, ev, width, t.y())));
        return new Report(t.rows(), v.rows(), knnOne, knnEmb, linOne, linEmb);
    }

    private static int[] take(int[] rows, int n, Random r) {
        int[] a = rows.clone();
        if (n >= a.length) {
            return a;
        }
        Splits.shuffle(a, r);
        int[] out = Arrays.copyOf(a, n);
        Arrays.sort(out);
        return out;
    }

    private static double[] exp(double[] logs) {
        return Arrays.stream(logs).map(Math::exp).toArray();
    }

    private static int[] offsets(TabularPredictor m) {
        int[] o = new int[m.spec().cardinalities().size() + 1];
        for (int j = 0; j < o.length - 1; j++) {
            o[j + 1] = o[j] + m.spec().cardinalities().get(j);
        }
        return o;
    }

    /** Rows as [embedding of each categorical column..., continuous values...]. */
    static float[] embed(TabularPredictor m, TabularData d) {
        int nc = d.nCat();
        float[][] tables = new float[nc][];
        int[] widths = new int[nc];
        int width = d.nCont();
        for (int j = 0; j < nc; j++) {
            INDArray w = m.embedding(m.spec().catNames().get(j));
            tables[j] = w.dup('c').data().asFloat();
            widths[j] = (int) w.columns();
            width += widths[j];
        }
        float[] out = new float[d.rows() * width];
        for (int i = 0; i < d.rows(); i++) {
            int p = i * width;
            for (int j = 0; j < nc; j++) {
                int code = d.cats()[i * nc + j];
                System.arraycopy(tables[j], code * widths[j], out, p, widths[j]);
                p += widths[j];
            }
            System.arraycopy(d.conts(), i * d.nCont(), out, p, d.nCont());
        }
        return out;
    }

    /** k-NN on one-hot codes: squared distance = 2 x (differing categories) + squared continuous distance. */
    static double[] knnOneHot(TabularData t, TabularData v) {
        int nc = t.nCat(), nk = t.nCont();
        double[] out = new double[v.rows()];
        double[] d = new double[t.rows()];
        for (int i = 0; i < v.rows(); i++) {
            for (int j = 0; j < t.rows(); j++) {
                int diff = 0;
                for (int c = 0; c < nc; c++) {
                    diff += v.cats()[i * nc + c] != t.cats()[j * nc + c] ? 1 : 0;
                }
                double s = 2.0 * diff;
                for (int c = 0; c < nk; c++) {
                    double e = v.conts()[i * nk + c] - t.conts()[j * nk + c];
                    s += e * e;
                }
                d[j] = s;
            }
            out[i] = meanOfNearest(d, t.y());
        }
        return out;
    }

    /** k-NN on dense rows, distances by one matrix product per chunk of validation rows. */
    static double[] knnDense(float[] train, float[] valid, int width, float[] y) {
        int nt = train.length / width, nv = valid.length / width;
        INDArray t = Nd4j.create(train, new long[]{nt, width}, DataType.FLOAT);
        INDArray tNorm = t.mul(t).sum(1).reshape(1, nt);
        double[] out = new double[nv];
        int chunk = 256;
        for (int from = 0; from < nv; from += chunk) {
            int to = Math.min(nv, from + chunk);
            INDArray v = Nd4j.create(Arrays.copyOfRange(valid, from * width, to * width), new long[]{to - from, width},
                    DataType.FLOAT);
            INDArray d = Nd4j.gemm(v, t, false, true).muli(-2).addiRowVector(tNorm)
                    .addiColumnVector(v.mul(v).sum(1).reshape(to - from, 1));
            for (int i = from; i < to; i++) {
                out[i] = meanOfNearest(d.getRow(i - from).toDoubleVector(), y);
            }
        }
        return out;
    }

    private static double meanOfNearest(double[] d, float[] y) {
        // max-heap of the K smallest distances
        PriorityQueue<Integer> heap = new PriorityQueue<>((a, b) -> Double.compare(d[b], d[a]));
        for (int j = 0; j < d.length; j++) {
            if (heap.size() < K) {
                heap.add(j);
            } else if (d[j] < d[heap.peek()]) {
                heap.poll();
                heap.add(j);
            }
        }
        double s = 0;
        for (int j : heap) {
            s += y[j];
        }
        return s / heap.size();
    }

    /** Ridge regression with one-hot codes: X'X accumulated sparsely, solved by Cholesky. */
    static double[] ridgeOneHot(TabularData t, TabularData v, int[] offsets) {
        int nc = t.nCat(), nk = t.nCont();
        int dim = offsets[nc] + nk + 1;
        double[][] xtx = new double[dim][dim];
        double[] xty = new double[dim];
        int[] idx = new int[nc];
        for (int i = 0; i < t.rows(); i++) {
            for (int c = 0; c < nc; c++) {
                idx[c] = offsets[c] + t.cats()[i * nc + c];
            }
            double y = t.y()[i];
            for (int a = 0; a < nc; a++) {
                for (int b = 0; b < nc; b++) {
                    xtx[idx[a]][idx[b]] += 1;
                }
                xty[idx[a]] += y;
            }
            for (int a = 0; a <= nk; a++) {
                double xa = a == nk ? 1 : t.conts()[i * nk + a];
                int ia = offsets[nc] + a;
                for (int b = 0; b <= nk; b++) {
                    double xb = b == nk ? 1 : t.conts()[i * nk + b];
                    xtx[ia][offsets[nc] + b] += xa * xb;
                }
                for (int c = 0; c < nc; c++) {
                    xtx[ia][idx[c]] += xa;
                    xtx[idx[c]][ia] += xa;
                }
                xty[ia] += xa * y;
            }
        }
        double[] w = solve(xtx, xty);
        double[] out = new double[v.rows()];
        for (int i = 0; i < v.rows(); i++) {
            double s = w[dim - 1];
            for (int c = 0; c < nc; c++) {
                s += w[offsets[c] + v.cats()[i * nc + c]];
            }
            for (int a = 0; a < nk; a++) {
                s += w[offsets[nc] + a] * v.conts()[i * nk + a];
            }
            out[i] = s;
        }
        return out;
    }

    /** Ridge regression on dense rows (plus an intercept). */
    static double[] ridgeDense(float[] train, float[] valid, int width, float[] y) {
        int nt = train.length / width, dim = width + 1;
        INDArray x = Nd4j.hstack(Nd4j.create(train, new long[]{nt, width}, DataType.FLOAT),
                Nd4j.ones(DataType.FLOAT, nt, 1)).castTo(DataType.DOUBLE);
        INDArray yv = Nd4j.create(y, new long[]{nt, 1}, DataType.FLOAT).castTo(DataType.DOUBLE);
        double[][] xtx = Nd4j.gemm(x, x, true, false).toDoubleMatrix();
        double[] xty = Nd4j.gemm(x, yv, true, false).reshape(dim).toDoubleVector();
        double[] w = solve(xtx, xty);
        int nv = valid.length / width;
        double[] out = new double[nv];
        for (int i = 0; i < nv; i++) {
            double s = w[width];
            for (int a = 0; a < width; a++) {
                s += w[a] * valid[i * width + a];
            }
            out[i] = s;
        }
        return out;
    }

    private static double[] solve(double[][] xtx, double[] xty) {
        for (int a = 0; a < xtx.length - 1; a++) {
            xtx[a][a] += RIDGE; // the intercept (last) is not penalised
        }
        xtx[xtx.length - 1][xtx.length - 1] += 1e-9;
        RealMatrix m = new Array2DRowRealMatrix(xtx, false);
        return new CholeskyDecomposition(m, 1e-10, 1e-12).getSolver().solve(new ArrayRealVector(xty, false)).toArray();
    }
}
