package io.github.fastdl4j.collab.model;

import com.fasterxml.jackson.core.type.TypeReference;
import io.github.fastdl4j.collab.data.IdVocab;
import io.github.fastdl4j.collab.data.MetaFeatures;
import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.module.AdamW;
import io.github.fastdl4j.common.train.Losses;
import io.github.fastdl4j.common.train.ModelArchive;
import io.github.fastdl4j.common.train.ModuleModel;
import io.github.fastdl4j.common.dl4j.NetworkModel;
import io.github.fastdl4j.common.train.Provenance;
import io.github.fastdl4j.common.train.Trainable;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * A collaborative-filtering model with what it needs to answer questions from raw ids: the
 * vocabularies, titles, rating counts, which movies each user has seen, and (hybrid) the
 * metadata tables. Saved as one zip (see {@link ModelArchive}).
 */
public final class CollabModel {

    private final CollabSpec spec;
    private final Trainable trainable;
    private final IdVocab users;
    private final IdVocab movies;
    private final List<String> titles;
    private final int[] movieCounts;
    // read from the model zip on first use: a 10M-rating model's seen.json is 65 MB of JSON that
    // similar and interpret never need
    private final Supplier<int[][]> seenSource;
    private int[][] seen;
    private final MetaFeatures meta;
    /** The lowest and highest rating of the training data's scale; null for a model saved before it was recorded. */
    private final double[] ratingScale;

    private CollabModel(CollabSpec spec, Trainable trainable, IdVocab users, IdVocab movies, List<String> titles,
                        int[] movieCounts, int[][] seen, MetaFeatures meta, double[] ratingScale) {
        this(spec, trainable, users, movies, titles, movieCounts, () -> seen, meta, ratingScale);
    }

    private CollabModel(CollabSpec spec, Trainable trainable, IdVocab users, IdVocab movies, List<String> titles,
                        int[] movieCounts, Supplier<int[][]> seen, MetaFeatures meta, double[] ratingScale) {
        this.spec = spec;
        this.trainable = trainable;
        this.users = users;
        this.movies = movies;
        this.titles = titles;
        this.movieCounts = movieCounts;
        this.seenSource = seen;
        this.meta = meta;
        this.ratingScale = ratingScale;
    }

    /** A freshly initialised model for these ratings (dense AdamW, as fastai). */
    public static CollabModel create(CollabSpec spec, Ratings r) {
        return create(spec, r, AdamW.Mode.DENSE);
    }

    /**
     * A freshly initialised model; {@code adam} LAZY makes the from-scratch dot models update
     * only the batch's rows (see {@link AdamW.Mode}), which is what makes millions of users
     * and movies trainable on one machine. DL4J-layer models ignore it.
     */
    public static CollabModel create(CollabSpec spec, Ratings r, AdamW.Mode adam) {
        return create(spec, r, adam, null);
    }

    /**
     * As {@link #create(CollabSpec, Ratings, AdamW.Mode)}, training on {@code trainRows} of the
     * ratings (an implicit model samples its negatives among the movies a user did not rate in them).
     */
    public static CollabModel create(CollabSpec spec, Ratings r, AdamW.Mode adam, int[] trainRows) {
        List<String> titles = new ArrayList<>();
        for (int i = 0; i < r.movieVocab().size(); i++) {
            titles.add(i == 0 ? IdVocab.NA : r.title(i));
        }
        int[] counts = new int[r.movieVocab().size()];
        int[] perUser = new int[r.userVocab().size()];
        for (int i = 0; i < r.size(); i++) {
            counts[r.movie()[i]]++;
            perUser[r.user()[i]]++;
        }
        // each user's movies as an int array (sorted): no boxed Integer per rating, which at 10M
        // ratings was a quarter of a gigabyte of garbage
        int[][] seen = new int[perUser.length][];
        for (int v = 0; v < seen.length; v++) {
            seen[v] = new int[perUser[v]];
        }
        int[] fill = new int[perUser.length];
        for (int i = 0; i < r.size(); i++) {
            int v = r.user()[i];
            seen[v][fill[v]++] = r.movie()[i];
        }
        for (int[] s : seen) {
            Arrays.sort(s);
        }
        MetaFeatures meta = spec.kindEnum().usesMetadata() ? MetaFeatures.of(r) : null;
        int[][] positives = null;
        if (spec.kindEnum().implicit()) {
            List<TreeSet<Integer>> byUserTrain = new ArrayList<>();
            for (int i = 0; i < r.userVocab().size(); i++) {
                byUserTrain.add(new TreeSet<>());
            }
            for (int row : trainRows != null ? trainRows : IntStream.range(0, r.size()).toArray()) {
                byUserTrain.get(r.user()[row]).add(r.movie()[row]);
            }
            positives = byUserTrain.stream().map(t -> t.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
        }
        return new CollabModel(spec, spec.kindEnum().create(spec, meta, adam, positives), r.userVocab(), r.movieVocab(), titles, counts,
                seen, meta, new double[]{r.minRating(), r.maxRating()});
    }

    public CollabSpec spec() {
        return spec;
    }

    public CollabKind kind() {
        return spec.kindEnum();
    }

    public Trainable trainable() {
        return trainable;
    }

    public IdVocab users() {
        return users;
    }

    public IdVocab movies() {
        return movies;
    }

    /** Title of a movie index. */
    public String title(int movieIndex) {
        return titles.get(movieIndex);
    }

    /** Number of ratings of each movie index. */
    public int[] movieCounts() {
        return movieCounts.clone();
    }

    /** Movie indices a user index has rated. */
    public int[] seen(int userIndex) {
        return seen()[userIndex].clone();
    }

    private synchronized int[][] seen() {
        if (seen == null) {
            seen = seenSource.get();
        }
        return seen;
    }

    /** The model's input arrays for (user index, movie index) pairs. */
    public INDArray[] features(int[] userIdx, int[] movieIdx) {
        INDArray u = column(userIdx);
        INDArray m = column(movieIdx);
        if (meta == null) {
            return new INDArray[]{u, m};
        }
        return new INDArray[]{u, m,
                Nd4j.create(meta.users(userIdx), new long[]{userIdx.length, meta.userWidth()}, 'c'),
                Nd4j.create(meta.movies(movieIdx), new long[]{movieIdx.length, meta.movieWidth()}, 'c')};
    }

    private static INDArray column(int[] idx) {
        float[] f = new float[idx.length];
        for (int i = 0; i < idx.length; i++) {
            f[i] = idx[i];
        }
        return Nd4j.create(f, new long[]{idx.length, 1}, 'c');
    }

    /** Predicted ratings for (user index, movie index) pairs. */
    public float[] predict(int[] userIdx, int[] movieIdx) {
        return trainable.predict(features(userIdx, movieIdx)).reshape(userIdx.length).toFloatVector();
    }

    /** Metadata tables (hybrid only), else null. */
    /**
     * The lowest and highest rating of the scale the model was trained on (1 and 5 for ml-100k),
     * or, for a model saved before the scale was recorded, its y range.
     */
    public double[] ratingScale() {
        return ratingScale != null ? ratingScale.clone() : new double[]{spec.low(), spec.high()};
    }

    public MetaFeatures meta() {
        return meta;
    }

    /** Plain names of the weights every kind that has them gives them, whichever engine runs it. */
    public static final String MOVIE_FACTORS = "movie_factors";
    public static final String USER_FACTORS = "user_factors";
    public static final String MOVIE_BIAS = "movie_bias";
    public static final String USER_BIAS = "user_bias";
    public static final String MOVIE_EMBEDDING = "movie_embedding";
    public static final String USER_EMBEDDING = "user_embedding";

    /** The movie factors [movies, k] of the dot product (or, where there is none, the movie embedding of nn models). */
    public double[][] movieFactors() {
        return matrix(factors(MOVIE_FACTORS, MOVIE_EMBEDDING));
    }

    /** The user factors [users, k] (or, where there is none, the user embedding of nn models). */
    public double[][] userFactors() {
        return matrix(factors(USER_FACTORS, USER_EMBEDDING));
    }

    /** Movie biases, or null for models without biases. */
    public double[] movieBias() {
        return kind().hasBiases() ? column(MOVIE_BIAS) : null;
    }

    /** User biases, or null for models without biases. */
    public double[] userBias() {
        return kind().hasBiases() ? column(USER_BIAS) : null;
    }

    /** The dot product's factors where the model has them, else its embedding (the nn models'). */
    private String factors(String dot, String embedding) {
        return trainable.weightNames().contains(dot) ? dot : embedding;
    }

    private double[][] matrix(String weights) {
        // one bulk copy of the values, then rows: ND4J's toDoubleMatrix() goes row by row through
        // the native side and took 13-20 s for the 100k user biases of a 10M-rating model
        INDArray w = trainable.weights(weights);
        long[] shape = w.shape();
        int rows = (int) shape[0];
        int cols = w.rank() == 1 ? 1 : (int) (w.length() / Math.max(1, rows));
        double[] flat = w.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[][] out = new double[rows][];
        for (int i = 0; i < rows; i++) {
            out[i] = Arrays.copyOfRange(flat, i * cols, (i + 1) * cols);
        }
        return out;
    }

    private double[] column(String weights) {
        INDArray w = trainable.weights(weights);
        int rows = (int) w.shape()[0];
        int cols = w.rank() == 1 ? 1 : (int) (w.length() / Math.max(1, rows));
        double[] flat = w.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] out = new double[rows];
        for (int i = 0; i < rows; i++) {
            out[i] = flat[i * cols];
        }
        return out;
    }

    /** Saves the model zip with its provenance. */
    public void save(Path file, Provenance provenance) throws IOException {
        Map<String, Object> entries = new LinkedHashMap<>();
        entries.put("collab", spec);
        entries.put("users", users.ids());
        entries.put("movies", movies.ids());
        entries.put("titles", titles);
        entries.put("movie_counts", movieCounts);
        entries.put("seen", seen());
        entries.put("rating_scale", ratingScale);
        if (meta != null) {
            entries.put("meta", meta);
        }
        entries.put("provenance", provenance);
        ModelArchive.write(file, trainable, entries);
    }

    /** The metadata entries of a collab model zip (besides the model's own weights). */
    private static final Set<String> ENTRIES = Set.of("collab", "users", "movies", "titles", "movie_counts", "seen",
            "rating_scale", "meta", "provenance");

    /**
     * Loads a model saved by {@link #save}: the model is rebuilt from its spec and reads its own
     * weights; every table is checked against the spec (sizes, indices in range), so a damaged or
     * crafted file is one {@link BadInputException}, never a failure later.
     */
    public static CollabModel load(Path file) {
        ModelArchive a = ModelArchive.open(file);
        a.requireJob("collab", "collab");
        CollabSpec spec = a.json("collab", CollabSpec.class).checked(file, a.totalBytes());
        MetaFeatures meta = spec.kindEnum().usesMetadata() ? a.json("meta", MetaFeatures.class) : null;
        if (meta != null) {
            meta.check(file, spec.nUsers(), spec.nMovies());
        }
        Trainable t = a.loadInto(spec.kindEnum().create(spec, meta, AdamW.Mode.DENSE), ENTRIES);
        List<String> userIds = a.json("users", new TypeReference<List<String>>() { });
        List<String> movieIds = a.json("movies", new TypeReference<List<String>>() { });
        List<String> titles = a.json("titles", new TypeReference<List<String>>() { });
        int[] counts = a.json("movie_counts", int[].class);
        check(file, "users", userIds.size(), spec.nUsers());
        check(file, "movies", movieIds.size(), spec.nMovies());
        check(file, "titles", titles.size(), spec.nMovies());
        check(file, "movie_counts", counts.length, spec.nMovies());
        if (!a.has("seen")) {
            throw BadInputException.inFile(file, "model zip lacks entry seen.json");
        }
        if (titles.contains(null)) {
            throw BadInputException.inFile(file, "entry titles.json holds a null title");
        }
        IdVocab users;
        IdVocab movies;
        try {
            users = new IdVocab(userIds);
            movies = new IdVocab(movieIds);
        } catch (IllegalArgumentException e) {
            throw BadInputException.inFile(file, "entry users.json or movies.json: " + e.getMessage());
        }
        double[] scale = a.has("rating_scale") ? a.json("rating_scale", double[].class) : null;
        if (scale != null && (scale.length != 2 || !Double.isFinite(scale[0]) || !Double.isFinite(scale[1]) || scale[0] > scale[1])) {
            throw BadInputException.inFile(file, "entry rating_scale.json must hold the lowest and the highest rating, got "
                    + Arrays.toString(scale));
        }
        return new CollabModel(spec, t, users, movies, titles, counts, () -> seen(a, file, spec), meta, scale);
    }

    /** The users' rated movies from the archive's seen.json, checked against the model's sizes. */
    private static int[][] seen(ModelArchive a, Path file, CollabSpec spec) {
        int[][] seen = a.json("seen", int[][].class);
        check(file, "seen", seen.length, spec.nUsers());
        for (int[] s : seen) {
            if (s == null) {
                throw BadInputException.inFile(file, "entry seen.json holds a null row");
            }
            for (int m : s) {
                if (m < 0 || m >= spec.nMovies()) {
                    throw BadInputException.inFile(file, "entry seen.json names movie index " + m + " of " + spec.nMovies());
                }
            }
        }
        return seen;
    }

    private static void check(Path file, String entry, int found, int expected) {
        if (found != expected) {
            throw BadInputException.inFile(file, "entry " + entry + ".json has " + found + " rows, the model has " + expected);
        }
    }

    /** The provenance saved with a model, if any. */
    public static Provenance provenance(Path file) {
        return ModelArchive.open(file).json("provenance", Provenance.class);
    }
}
