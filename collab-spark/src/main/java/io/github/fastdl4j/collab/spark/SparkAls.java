package io.github.fastdl4j.collab.spark;

import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.collab.model.CollabKind;
import io.github.fastdl4j.collab.model.CollabModel;
import io.github.fastdl4j.collab.model.CollabSpec;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.data.Split;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 *
 * <p><b>Implicit feedback</b> ({@link Implicit}): Hu, Koren and Volinsky's weighted matrix
 * factorisation (2008), MLlib's {@code ALS.setImplicitPrefs(true)}. Every observed (user, movie)
 * is a preference p = 1 held with confidence {@code c = 1 + alpha * r}, every unobserved pair a
 * preference 0 with confidence 1, and ALS fits {@code u . m} to p weighted by c over the whole
 * matrix. No biases: a bias on a 0/1 preference is popularity, which the factors already carry.
 * The model scores, it does not rate; it is saved as collab's implicit scorer kind
 * ({@link CollabKind#BPR}: {@code u . m + b_m}, here with every {@code b_m = 0}), so collab's
 * recommend and similar rank with it unchanged.
 */
public final class SparkAls {

    /**
     * @param rank      latent factors
     * @param reg       ALS regParam (lambda on the factors; MLlib scales it by each row's number of
     *                  ratings or interactions)
     * @param iters     ALS iterations
     * @param biasReg   lambda of the bias averages: b = sum(residual) / (count + biasReg) (explicit only)
     * @param biasIters rounds of user-then-movie bias updates (explicit only)
     * @param seed      ALS seed
     * @param implicit  null: explicit ALS on the ratings with biases; else implicit-feedback ALS
     */
    public record Config(int rank, double reg, int iters, double biasReg, int biasIters, long seed, Implicit implicit) {
        public Config {
            if (rank < 1 || iters < 1 || biasIters < 0 || reg < 0 || biasReg < 0) {
                throw new IllegalArgumentException("rank and iters >= 1, biasIters, reg and biasReg >= 0");
            }
        }

        /** Explicit ALS with biases. */
        public Config(int rank, double reg, int iters, double biasReg, int biasIters, long seed) {
            this(rank, reg, iters, biasReg, biasIters, seed, null);
        }

        public static Config defaults() {
            return new Config(50, 0.12, 10, 3, 3, 42);
        }

        /** Whether this is implicit-feedback ALS (a scorer, not a rater). */
        public boolean isImplicit() {
            return implicit != null;
        }
    }

    /**
     * How ratings become implicit interactions. Which training ratings count, and how much:
     * <ul>
     *   <li>{@code minRating}: ratings below it are dropped (not interactions at all);</li>
     *   <li>{@code graded}: the rating is the strength r in {@code c = 1 + alpha * r} (a 5 is held
     *   with more confidence than a 1); otherwise every kept rating has r = 1.</li>
     * </ul>
     * The default, {@link #of(double)}, keeps every rating, graded: having rated a movie is the
     * implicit signal (the user watched it), a low rating still says "seen" and the stars say how
     * sure. That is Hu et al.'s recipe with the stars as the observation's strength, what gorse's
     * WRMF does with ml-100k (its benchmark, our anchor, feeds every rating as the weight), and the
     * same interactions collab's BPR trains on (every training rating). The implicit library's
     * MovieLens example does the other thing, keeping ratings of 4 or more as binary interactions:
     * {@code new Implicit(alpha, 4, false)} ({@code --min-rating 4 --confidence binary}).
     *
     * @param alpha     confidence per unit of strength ({@code c = 1 + alpha * r}); MLlib's default 1
     * @param minRating the lowest training rating kept as an interaction
     * @param graded    strength = the rating (true) or 1 (false)
     */
    public record Implicit(double alpha, double minRating, boolean graded) {
        public Implicit {
            if (!(alpha >= 0) || Double.isInfinite(alpha) || Double.isNaN(minRating)) {
                throw new IllegalArgumentException("alpha must be a finite number >= 0 and minRating a number");
            }
        }

        /** Every rating an interaction, with confidence from its stars. */
        public static Implicit of(double alpha) {
            return new Implicit(alpha, Double.NEGATIVE_INFINITY, true);
        }

        /** The strength of a training rating, or NaN when it is not an interaction. */
        double strength(float rating) {
            return rating < minRating ? Double.NaN : graded ? rating : 1;
        }
    }

    /**
     * The fitted model and what it scored; {@code als}, {@code userBias} and {@code movieBias}
     * are Spark's own pieces, for predicting on Spark ({@link #predictWithSpark}). An implicit
     * model has no mean, biases or rating error: {@code globalMean} and {@code validMse} are NaN,
     * the bias frames null, and {@code trainRatings} counts the interactions it learnt from.
     */
    public record Result(Config config, CollabModel model, double globalMean, double validMse, long trainRatings,
                         double seconds, ALSModel als, Dataset<Row> userBias, Dataset<Row> movieBias) {

        /**
         * Spark's own predictions for one user index and movie indices: mean + b_u + b_m + ALS
         * (explicit), or ALS's score u . m (implicit).
         */
        public float[] predictWithSpark(SparkSession spark, int user, int[] movies) {
            List<Row> pairs = new ArrayList<>();
            for (int m : movies) {
                pairs.add(RowFactory.create(user, m));
            }
            StructType schema = new StructType().add("user", DataTypes.IntegerType, false)
                    .add("movie", DataTypes.IntegerType, false);
            Dataset<Row> predicted = als.transform(spark.createDataFrame(pairs, schema));
            Dataset<Row> scored = config.isImplicit()
                    ? predicted.select(col("movie"), col("prediction").cast(DataTypes.DoubleType).alias("p"))
                    : predicted.join(userBias, "user").join(movieBias, "movie")
                    .select(col("movie"), col("prediction").plus(globalMean).plus(col("bu")).plus(col("bm")).alias("p"));
            Map<Integer, Float> byMovie = new HashMap<>();
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

    /**
     * Fits on the split's training rows; an explicit model also scores the validation rows
     * (MSE), an implicit one has no ratings to predict.
     */
    public static Result fit(SparkSession spark, Ratings r, Split split, Config c) {
        long t0 = System.nanoTime();
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("fastdl4j-als");
            // the rows travel to Spark as a file: Spark reads it in parallel, the driver holds no Row objects
            Path csv = tmp.resolve("train.csv");
            long rows = 0;
            try (BufferedWriter w = Files.newBufferedWriter(csv)) {
                StringBuilder line = new StringBuilder(32);
                for (int i : split.train()) {
                    double value = c.isImplicit() ? c.implicit().strength(r.rating()[i]) : r.rating()[i];
                    if (Double.isNaN(value)) {
                        continue; // below --min-rating: not an interaction
                    }
                    line.setLength(0);
                    line.append(r.user()[i]).append(',').append(r.movie()[i]).append(',').append((float) value).append('\n');
                    w.append(line);
                    rows++;
                }
            }
            if (rows == 0) {
                throw new BadInputException(r.source() + ": no training ratings"
                        + (c.isImplicit() ? " at or above the minimum rating " + c.implicit().minRating() : "") + " to fit ALS on");
            }
            StructType schema = new StructType().add("user", DataTypes.IntegerType, false)
                    .add("movie", DataTypes.IntegerType, false).add("rating", DataTypes.FloatType, false);
            Dataset<Row> train = spark.read().schema(schema).csv(csv.toString()).cache();
            if (c.isImplicit()) {
                return fitImplicit(spark, train, r, c, rows, t0);
            }
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
                    .setNumBlocks(blocks(spark)).setUserCol("user").setItemCol("movie").setRatingCol("residual")
                    .setColdStartStrategy("drop").fit(residuals);
            List<Row> ub = userBias.collectAsList(), mb = movieBias.collectAsList();
            CollabModel model = export(r, c, mean, ub, mb, als.userFactors().collectAsList(), als.itemFactors().collectAsList());
            double seconds = (System.nanoTime() - t0) / 1e9;
            // the biases as small local frames: nothing downstream re-reads the temporary file
            Dataset<Row> ubLocal = spark.createDataFrame(ub, userBias.schema());
            Dataset<Row> mbLocal = spark.createDataFrame(mb, movieBias.schema());
            train.unpersist();
            double mse = validMse(model, r, split.valid());
            return new Result(c, model, mean, mse, split.train().length, seconds, als, ubLocal, mbLocal);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /**
     * Implicit ALS on the interactions ({@code rating} holds each one's strength r): MLlib turns
     * r into preference 1 and confidence {@code 1 + alpha * r}, and treats every pair not in
     * {@code train} as preference 0 with confidence 1.
     */
    private static Result fitImplicit(SparkSession spark, Dataset<Row> train, Ratings r, Config c, long interactions, long t0) {
        ALSModel als = new ALS().setImplicitPrefs(true).setAlpha(c.implicit().alpha()).setRank(c.rank())
                .setRegParam(c.reg()).setMaxIter(c.iters()).setSeed(c.seed()).setNumBlocks(blocks(spark))
                .setUserCol("user").setItemCol("movie").setRatingCol("rating").setColdStartStrategy("drop")
                .fit(train);
        CollabModel model = exportImplicit(r, c, als.userFactors().collectAsList(), als.itemFactors().collectAsList());
        double seconds = (System.nanoTime() - t0) / 1e9;
        train.unpersist();
        return new Result(c, model, Double.NaN, Double.NaN, interactions, seconds, als, null, null);
    }

    /**
     * The implicit model as collab's scorer kind ({@link CollabKind#BPR}: {@code u . m + b_m}):
     * ALS's factors, every movie bias 0. Users and movies without interactions keep factors 0.
     */
    static CollabModel exportImplicit(Ratings r, Config c, List<Row> userFactors, List<Row> movieFactors) {
        int nu = r.userVocab().size(), nm = r.movieVocab().size(), k = c.rank();
        double[] range = scale(r);
        CollabSpec spec = new CollabSpec(CollabKind.BPR.cliName(), nu, nm, k, range[0], range[1], List.of(), c.seed());
        CollabModel model = CollabModel.create(spec, r);
        model.trainable().weights(CollabModel.USER_FACTORS).assign(factors(userFactors, nu, k));
        model.trainable().weights(CollabModel.MOVIE_FACTORS).assign(factors(movieFactors, nm, k));
        model.trainable().weights(CollabModel.MOVIE_BIAS).assign(0);
        return model;
    }

    /**
     * ALS's user and item blocks: one per task slot of the session. MLlib's default, 10 of each,
     * makes every iteration's shuffles 10 tasks wide whatever the cores; on 2 local cores that is
     * about 4 times slower on ml-100k (10 implicit iterations, rank 20: 9.6 s against 2.3 s).
     */
    private static int blocks(SparkSession spark) {
        return Math.max(1, spark.sparkContext().defaultParallelism());
    }

    /** The lowest and highest rating of the data. */
    private static double[] scale(Ratings r) {
        double low = Double.MAX_VALUE, high = -Double.MAX_VALUE;
        for (float v : r.rating()) {
            low = Math.min(low, v);
            high = Math.max(high, v);
        }
        return new double[]{low, high};
    }

    /** The collab model: factors from ALS, biases (the mean folded into the user bias). */
    static CollabModel export(Ratings r, Config c, double mean, List<Row> userBias, List<Row> movieBias,
                              List<Row> userFactors, List<Row> movieFactors) {
        int nu = r.userVocab().size(), nm = r.movieVocab().size(), k = c.rank();
        // predictions are clipped to the scale of the training ratings (e.g. 1..5 stars)
        double[] range = scale(r);
        CollabSpec spec = new CollabSpec(CollabKind.DOT_LINEAR.cliName(), nu, nm, k, range[0], range[1], List.of(), c.seed());
        CollabModel model = CollabModel.create(spec, r);
        float[] bu = new float[nu], bm = new float[nm];
        // users and movies without training ratings keep bias 0 and factors 0: they predict the mean
        Arrays.fill(bu, (float) mean);
        for (Row row : userBias) {
            bu[row.getInt(0)] = (float) (mean + row.getDouble(1));
        }
        for (Row row : movieBias) {
            bm[row.getInt(0)] = (float) row.getDouble(1);
        }
        // the weights are set in place through the engine-neutral seam
        model.trainable().weights(CollabModel.USER_BIAS).assign(Nd4j.create(bu, new long[]{nu, 1}, DataType.FLOAT));
        model.trainable().weights(CollabModel.MOVIE_BIAS).assign(Nd4j.create(bm, new long[]{nm, 1}, DataType.FLOAT));
        model.trainable().weights(CollabModel.USER_FACTORS).assign(factors(userFactors, nu, k));
        model.trainable().weights(CollabModel.MOVIE_FACTORS).assign(factors(movieFactors, nm, k));
        return model;
    }

    private static INDArray factors(List<Row> rows, int n, int k) {
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
        double rmse = errors(model, r, rows).rmse();
        return rmse * rmse;
    }

    /** Rating errors of a model on rows of the ratings. */
    public record Errors(double rmse, double mae) {
    }

    /** RMSE and MAE of the exported (explicit) model's predictions on rows of the ratings. */
    public static Errors errors(CollabModel model, Ratings r, int[] rows) {
        if (model.kind().implicit()) {
            throw new IllegalArgumentException("an implicit model scores, it does not rate: it has no rating error");
        }
        int[] u = new int[rows.length], m = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            u[i] = r.user()[rows[i]];
            m[i] = r.movie()[rows[i]];
        }
        double ss = 0, sa = 0;
        int batch = 1 << 16;
        for (int from = 0; from < rows.length; from += batch) {
            int to = Math.min(rows.length, from + batch);
            float[] p = model.predict(Arrays.copyOfRange(u, from, to), Arrays.copyOfRange(m, from, to));
            for (int i = from; i < to; i++) {
                double d = p[i - from] - r.rating()[rows[i]];
                ss += d * d;
                sa += Math.abs(d);
            }
        }
        return new Errors(Math.sqrt(ss / rows.length), sa / rows.length);
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
