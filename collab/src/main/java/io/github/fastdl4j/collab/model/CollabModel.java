package io.github.fastdl4j.collab.model;

import com.fasterxml.jackson.core.type.TypeReference;
import io.github.fastdl4j.collab.data.IdVocab;
import io.github.fastdl4j.collab.data.MetaFeatures;
import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.common.data.DataException;
import io.github.fastdl4j.common.module.AdamW;
import io.github.fastdl4j.common.train.Losses;
import io.github.fastdl4j.common.train.ModelArchive;
import io.github.fastdl4j.common.train.ModuleModel;
import io.github.fastdl4j.common.train.NetworkModel;
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
    private final int[][] seen;
    private final MetaFeatures meta;

    private CollabModel(CollabSpec spec, Trainable trainable, IdVocab users, IdVocab movies, List<String> titles,
                        int[] movieCounts, int[][] seen, MetaFeatures meta) {
        this.spec = spec;
        this.trainable = trainable;
        this.users = users;
        this.movies = movies;
        this.titles = titles;
        this.movieCounts = movieCounts;
        this.seen = seen;
        this.meta = meta;
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
        List<String> titles = new ArrayList<>();
        for (int i = 0; i < r.movies().size(); i++) {
            titles.add(i == 0 ? IdVocab.NA : r.title(i));
        }
        int[] counts = new int[r.movies().size()];
        List<List<Integer>> byUser = new ArrayList<>();
        for (int i = 0; i < r.users().size(); i++) {
            byUser.add(new ArrayList<>());
        }
        for (int i = 0; i < r.size(); i++) {
            counts[r.movie()[i]]++;
            byUser.get(r.user()[i]).add(r.movie()[i]);
        }
        int[][] seen = byUser.stream().map(l -> l.stream().mapToInt(Integer::intValue).sorted().toArray()).toArray(int[][]::new);
        MetaFeatures meta = spec.kindEnum() == CollabKind.HYBRID ? MetaFeatures.of(r) : null;
        return new CollabModel(spec, newTrainable(spec, meta, adam), r.users(), r.movies(), titles, counts, seen, meta);
    }

    private static Trainable newTrainable(CollabSpec s, MetaFeatures meta, AdamW.Mode adam) {
        int hidden = s.layers().isEmpty() ? 100 : s.layers().get(0);
        return switch (s.kindEnum()) {
            case DOT -> new ModuleModel(new DotProductBias(s.nUsers(), s.nMovies(), s.nFactors(), s.low(), s.high(),
                    s.seed(), DataType.FLOAT), Losses.mse(), adam);
            case DOT_LINEAR -> new ModuleModel(DotProductBias.linear(s.nUsers(), s.nMovies(), s.nFactors(), s.low(), s.high(), s.seed(),
                    DataType.FLOAT), Losses.mse(), adam);
            case DOT_LAYERS -> new NetworkModel(EmbeddingDotBias.build(s.nUsers(), s.nMovies(), s.nFactors(), s.low(),
                    s.high(), s.seed()));
            case NN -> new ModuleModel(new CollabNN(s.nUsers(), s.nMovies(), hidden, s.low(), s.high(), s.seed(),
                    DataType.FLOAT), Losses.mse());
            case NN_LAYERS -> new NetworkModel(EmbeddingNN.build(s.nUsers(), s.nMovies(), hidden, s.low(), s.high(), s.seed()));
            case NN_BN -> new NetworkModel(EmbeddingNN.buildWithBatchNorm(s.nUsers(), s.nMovies(),
                    s.layers().stream().mapToInt(Integer::intValue).toArray(), s.low(), s.high(), s.seed()));
            case HYBRID -> new NetworkModel(HybridCollab.build(s.nUsers(), s.nMovies(), s.nFactors(), meta.userWidth(),
                    meta.movieWidth(), hidden, s.low(), s.high(), s.seed()));
        };
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
        return seen[userIndex].clone();
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
    public MetaFeatures meta() {
        return meta;
    }

    /** The movie factors [movies, k] of the dot product (or the movie embedding of nn models). */
    public double[][] movieFactors() {
        return switch (kind()) {
            case DOT, DOT_LINEAR -> parameter("movie_factors");
            case NN -> parameter("movie_embedding");
            case NN_LAYERS, NN_BN -> layerWeights(EmbeddingNN.MOVIE_EMBEDDING);
            case DOT_LAYERS, HYBRID -> layerWeights(EmbeddingDotBias.MOVIE_FACTORS);
        };
    }

    /** The user factors [users, k] (or the user embedding of nn models). */
    public double[][] userFactors() {
        return switch (kind()) {
            case DOT, DOT_LINEAR -> parameter("user_factors");
            case NN -> parameter("user_embedding");
            case NN_LAYERS, NN_BN -> layerWeights(EmbeddingNN.USER_EMBEDDING);
            case DOT_LAYERS, HYBRID -> layerWeights(EmbeddingDotBias.USER_FACTORS);
        };
    }

    /** Movie biases, or null for models without biases. */
    public double[] movieBias() {
        return !kind().hasBiases() ? null
                : column(isModule() ? parameter("movie_bias") : layerWeights(EmbeddingDotBias.MOVIE_BIAS));
    }

    /** User biases, or null for models without biases. */
    public double[] userBias() {
        return !kind().hasBiases() ? null
                : column(isModule() ? parameter("user_bias") : layerWeights(EmbeddingDotBias.USER_BIAS));
    }

    private boolean isModule() {
        return trainable instanceof ModuleModel;
    }

    private double[][] parameter(String name) {
        return ((ModuleModel) trainable).module().parameter(name).value().castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    private double[][] layerWeights(String layer) {
        ComputationGraph g = (ComputationGraph) ((NetworkModel) trainable).network();
        return g.getLayer(layer).getParam("W").castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    private static double[] column(double[][] m) {
        return Arrays.stream(m).mapToDouble(r -> r[0]).toArray();
    }

    /** Saves the model zip with its provenance. */
    public void save(Path file, Provenance provenance) throws IOException {
        Map<String, Object> entries = new LinkedHashMap<>();
        entries.put("collab", spec);
        entries.put("users", users.ids());
        entries.put("movies", movies.ids());
        entries.put("titles", titles);
        entries.put("movie_counts", movieCounts);
        entries.put("seen", seen);
        if (meta != null) {
            entries.put("meta", meta);
        }
        entries.put("provenance", provenance);
        ModelArchive.write(file, trainable, entries);
    }

    /** Loads a model saved by {@link #save}. */
    public static CollabModel load(Path file) {
        ModelArchive a = ModelArchive.open(file);
        if (!a.has("collab")) {
            throw DataException.inFile(file, "not a collab model (no collab.json entry)");
        }
        CollabSpec spec = a.json("collab", CollabSpec.class);
        MetaFeatures meta = a.has("meta") ? a.json("meta", MetaFeatures.class) : null;
        Trainable t;
        CollabKind kind = spec.kindEnum();
        if (kind == CollabKind.DOT || kind == CollabKind.DOT_LINEAR || kind == CollabKind.NN) {
            Trainable fresh = newTrainable(spec, meta, AdamW.Mode.DENSE);
            a.loadParameters(((ModuleModel) fresh).module());
            t = fresh;
        } else {
            ComputationGraph g = a.computationGraph();
            t = new NetworkModel(g);
        }
        List<String> userIds = ModelArchive.JSON.convertValue(a.json("users"), new TypeReference<List<String>>() { });
        List<String> movieIds = ModelArchive.JSON.convertValue(a.json("movies"), new TypeReference<List<String>>() { });
        List<String> titles = ModelArchive.JSON.convertValue(a.json("titles"), new TypeReference<List<String>>() { });
        return new CollabModel(spec, t, new IdVocab(userIds), new IdVocab(movieIds), titles,
                a.json("movie_counts", int[].class), a.json("seen", int[][].class), meta);
    }

    /** The provenance saved with a model, if any. */
    public static Provenance provenance(Path file) {
        return ModelArchive.open(file).json("provenance", Provenance.class);
    }
}
