package io.github.fastdl4j.collab.spark;

import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.collab.model.CollabKind;
import io.github.fastdl4j.collab.model.CollabModel;
import io.github.fastdl4j.collab.model.CollabSpec;
import io.github.fastdl4j.common.data.Split;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

/**
 * Matrix factorisation with biases on Apache Spark: the global mean and the user and movie biases
 * are fitted first (a few rounds of regularised alternating averages, as DataFrame aggregations),
 * then MLlib's ALS (explicit feedback) factorises what they leave, the residuals. A prediction is
 * {@code mean + b_u + b_m + u . m}, the dot-product model of the lesson without sigmoid_range.
 * Why biases first: MLlib's ALS has no bias terms, and folding them into the factors would make
 * them pay the factors' regularisation; fitting them first is the classic baseline-plus-factors
 * recipe (Koren, Bell and Volinsky, 2009).
 *
 * <p>The ratings come from the collab module's loader and split, so the validation rows are the
 * same as {@code collab train}'s; the result is a {@link CollabModel} of kind
 * {@link CollabKind#DOT_LINEAR} (the mean folded into the user biases; predictions clipped to the
 * ratings' scale), so collab's interpret, similar and recommend work on it unchanged.
 */
public final class SparkAls {

    /**
     * @param rank      latent factors
     * @param reg       ALS regParam (lambda on the factors)
     * @param iters     ALS iterations
     * @param biasReg   lambda of the bias averages: b = sum(residual) / (count + biasReg)
     * @param biasIters rounds of user-then-movie bias updates
     * @param seed      ALS seed
     */
    public record Config(int rank, double reg, int iters, double biasReg, int biasIters, long seed) {
        public Config {
            if (rank < 1 || iters < 1 || biasIters < 0 || reg < 0 || biasReg < 0) {
                throw new IllegalArgumentException("rank and iters >= 1, biasIters, reg and biasReg >= 0");
            }
        }

        public static Config defaults() {
            return new Config(50, 0.12, 10, 3, 3, 42);
        }
    }

    /**
     * The fitted model and what it scored; {@code als}, {@code userBias} and {@code movieBias}
     * are Spark's own pieces, for predicting on Spark ({@link #predictWithSpark}).
     */
    public record Result(CollabModel model, double globalMean, double validMse, long trainRatings, double seconds,
                         ALSModel als, Dataset<Row> userBias, Dataset<Row> movieBias) {

        /** Spark's own predictions, mean + b_u + b_m + ALS, for one user index and movie indices. */
        public float[] predictWithSpark(SparkSession spark, int user, int[] movies) {
            List<Row> pairs = new java.util.ArrayList<>();
            for (int m : movies) {
                pairs.add(org.apache.spark.sql.RowFactory.create(user, m));
            }
            StructType schema = new StructType().add("user", DataTypes.IntegerType, false)
                    .add("movie", DataTypes.IntegerType, false);
            Dataset<Row> scored = als.transform(spark.createDataFrame(pairs, schema))
                    .join(userBias, "user").join(movieBias, "movie")
                    .select(col("movie"), col("prediction").plus(globalMean).plus(col("bu")).plus(col("bm")).alias("p"));
            java.util.Map<Integer, Float> byMovie = new java.util.HashMap<>();
            for (Row row : scored.collectAsList()) {
                byMovie.put(row.getInt(0), (float) row.getDouble(1));
            }
            float[] out = new float[movies.length];
            for (int i = 0; i < movies.length; i++) {
                out[i] = byMovie.getOrDefault(movies[i], Float.NaN);
            }
            return out;
        }
    }

    private SparkAls() {
    }

    /** Fits on the split's training rows and scores the validation rows. */
    public static Result fit(SparkSession spark, Ratings r, Split split, Config c) {
        long t0 = System.nanoTime();
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("fastdl4j-als");
            // the rows travel to Spark as a file: Spark reads it in parallel, the driver holds no Row objects
            Path csv = tmp.resolve("train.csv");
            try (BufferedWriter w = Files.newBufferedWriter(csv)) {
                StringBuilder line = new StringBuilder(32);
                for (int i : split.train()) {
                    line.setLength(0);
                    line.append(r.user()[i]).append(',').append(r.movie()[i]).append(',').append(r.rating()[i]).append('\n');
                    w.append(line);
                }
            }
            StructType schema = new StructType().add("user", DataTypes.IntegerType, false)
                    .add("movie", DataTypes.IntegerType, false).add("rating", DataTypes.FloatType, false);
            Dataset<Row> train = spark.read().schema(schema).csv(csv.toString()).cache();
            double mean = train.agg(avg("rating")).first().getDouble(0);
            Dataset<Row> userBias = train.select("user").distinct().withColumn("bu", lit(0.0));
            Dataset<Row> movieBias = train.select("movie").distinct().withColumn("bm", lit(0.0));
            for (int it = 0; it < c.biasIters(); it++) {
                userBias = train.join(movieBias, "movie")
                        .groupBy("user").agg(sum(col("rating").minus(mean).minus(col("bm"))).alias("s"), count(lit(1)).alias("n"))
                        .select(col("user"), col("s").divide(col("n").plus(c.biasReg())).alias("bu")).cache();
                movieBias = train.join(userBias, "user")
                        .groupBy("movie").agg(sum(col("rating").minus(mean).minus(col("bu"))).alias("s"), count(lit(1)).alias("n"))
                        .select(col("movie"), col("s").divide(col("n").plus(c.biasReg())).alias("bm")).cache();
            }
            Dataset<Row> residuals = train.join(userBias, "user").join(movieBias, "movie")
                    .withColumn("residual", col("rating").minus(mean).minus(col("bu")).minus(col("bm")));
            ALSModel als = new ALS().setRank(c.rank()).setRegParam(c.reg()).setMaxIter(c.iters()).setSeed(c.seed())
                    .setUserCol("user").setItemCol("movie").setRatingCol("residual").setColdStartStrategy("drop")
                    .fit(residuals);
            List<Row> ub = userBias.collectAsList(), mb = movieBias.collectAsList();
            CollabModel model = export(r, c, mean, ub, mb, als.userFactors().collectAsList(), als.itemFactors().collectAsList());
            double seconds = (System.nanoTime() - t0) / 1e9;
            // the biases as small local frames: nothing downstream re-reads the temporary file
            Dataset<Row> ubLocal = spark.createDataFrame(ub, userBias.schema());
            Dataset<Row> mbLocal = spark.createDataFrame(mb, movieBias.schema());
            train.unpersist();
            double mse = validMse(model, r, split.valid());
            return new Result(model, mean, mse, split.train().length, seconds, als, ubLocal, mbLocal);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** The collab model: factors from ALS, biases (the mean folded into the user bias). */
    static CollabModel export(Ratings r, Config c, double mean, List<Row> userBias, List<Row> movieBias,
                              List<Row> userFactors, List<Row> movieFactors) {
        int nu = r.users().size(), nm = r.movies().size(), k = c.rank();
        // predictions are clipped to the scale of the training ratings (e.g. 1..5 stars)
        double low = Double.MAX_VALUE, high = -Double.MAX_VALUE;
        for (float v : r.rating()) {
            low = Math.min(low, v);
            high = Math.max(high, v);
        }
        CollabSpec spec = new CollabSpec(CollabKind.DOT_LINEAR.cliName(), nu, nm, k, low, high, List.of(), c.seed());
        CollabModel model = CollabModel.create(spec, r);
        CollabKind kind = CollabKind.DOT_LINEAR;
        float[] bu = new float[nu], bm = new float[nm];
        // users and movies without training ratings keep bias 0 and factors 0: they predict the mean
        java.util.Arrays.fill(bu, (float) mean);
        for (Row row : userBias) {
            bu[row.getInt(0)] = (float) (mean + row.getDouble(1));
        }
        for (Row row : movieBias) {
            bm[row.getInt(0)] = (float) row.getDouble(1);
        }
        // the weights are set in place through the engine-neutral seam
        model.trainable().weights(kind.userBias()).assign(Nd4j.create(bu, new long[]{nu, 1}, DataType.FLOAT));
        model.trainable().weights(kind.movieBias()).assign(Nd4j.create(bm, new long[]{nm, 1}, DataType.FLOAT));
        model.trainable().weights(kind.userFactors()).assign(factors(userFactors, nu, k));
        model.trainable().weights(kind.movieFactors()).assign(factors(movieFactors, nm, k));
        return model;
    }

    private static org.nd4j.linalg.api.ndarray.INDArray factors(List<Row> rows, int n, int k) {
        float[] f = new float[n * k];
        for (Row row : rows) {
            int id = row.getInt(0);
            List<Float> v = row.getList(1);
            for (int j = 0; j < k; j++) {
                f[id * k + j] = v.get(j);
            }
        }
        return Nd4j.create(f, new long[]{n, k}, DataType.FLOAT);
    }

    /** MSE of the exported model on rows of the ratings. */
    public static double validMse(CollabModel model, Ratings r, int[] rows) {
        int[] u = new int[rows.length], m = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            u[i] = r.user()[rows[i]];
            m[i] = r.movie()[rows[i]];
        }
        double ss = 0;
        int batch = 1 << 16;
        for (int from = 0; from < rows.length; from += batch) {
            int to = Math.min(rows.length, from + batch);
            float[] p = model.predict(java.util.Arrays.copyOfRange(u, from, to), java.util.Arrays.copyOfRange(m, from, to));
            for (int i = from; i < to; i++) {
                double d = p[i - from] - r.rating()[rows[i]];
                ss += d * d;
            }
        }
        return ss / rows.length;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
