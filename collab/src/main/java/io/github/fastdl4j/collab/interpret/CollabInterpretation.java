package io.github.fastdl4j.collab.interpret;

import io.github.fastdl4j.collab.evaluate.Ranking;
import io.github.fastdl4j.collab.model.CollabModel;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.interpret.Charts;
import io.github.fastdl4j.common.interpret.Pca;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * The lesson's questions about a trained collab model: which movies (and users) have the lowest
 * and highest biases, what the main directions of the movie factors are (PCA), which movies are
 * closest to a given one, and what to recommend to a user.
 */
public final class CollabInterpretation {

    private final CollabModel model;

    public CollabInterpretation(CollabModel model) {
        this.model = model;
    }

    /** The {@code k} movies with the lowest ({@code highest == false}) or highest bias. */
    public List<Ranked> movieBiases(int k, boolean highest) {
        double[] b = requireBiases(model.movieBias());
        return rank(b, k, highest, i -> model.title(i));
    }

    /** The {@code k} users with the lowest or highest bias. */
    public List<Ranked> userBiases(int k, boolean highest) {
        double[] b = requireBiases(model.userBias());
        return rank(b, k, highest, i -> "user " + model.users().id(i));
    }

    private double[] requireBiases(double[] b) {
        if (b == null) {
            throw new IllegalArgumentException("the " + model.kind() + " model has no biases; train a dot, dot-layers or hybrid model");
        }
        return b;
    }

    private static List<Ranked> rank(double[] v, int k, boolean highest, IntFunction<String> name) {
        Comparator<Integer> byValue = Comparator.comparingDouble(i -> v[i]);
        return IntStream.range(1, v.length).boxed()
                .sorted(highest ? byValue.reversed() : byValue)
                .limit(k).map(i -> new Ranked(name.apply(i), v[i])).toList();
    }

    /** Indices of the {@code n} most-rated movies, most-rated first. */
    public int[] mostRated(int n) {
        int[] counts = model.movieCounts();
        return IntStream.range(1, counts.length).boxed()
                .sorted(Comparator.comparingInt((Integer i) -> counts[i]).reversed().thenComparing(i -> i))
                .limit(n).mapToInt(Integer::intValue).toArray();
    }

    /**
     * How many principal components of the movie factors (of the 1000 most-rated movies) exist, up
     * to {@code wanted}: n centred rows of d factors span at most min(n - 1, d) directions, so 3
     * movies give 2 components and 2 movies one.
     */
    public int pcaComponents(int wanted) {
        return pcaComponents(wanted, model.movies().size() - 1, model.movieFactors()[0].length);
    }

    /** As {@link #pcaComponents(int)} for {@code movies} movies of {@code factors} factors (known before training). */
    public static int pcaComponents(int wanted, int movies, int factors) {
        return Math.max(0, Math.min(wanted, Math.min(Math.min(1000, movies) - 1, factors)));
    }

    /**
     * Why a model with these many movies and factors gets no {@code movie_pca.png}, or null when
     * it does: the chart plots two components.
     */
    public static String pcaChartNote(int movies, int factors) {
        if (pcaComponents(2, movies, factors) >= 2) {
            return null;
        }
        return movies < 3 ? "no movie_pca.png: a PCA chart of the movie factors needs at least 3 movies, the data has " + movies
                : "no movie_pca.png: a PCA chart of the movie factors needs at least 2 factors, the model has " + factors;
    }

    /** PCA of the movie factors of the {@code topN} most-rated movies. */
    public MoviePca moviePca(int topN, int components) {
        int[] top = mostRated(topN);
        double[][] factors = model.movieFactors();
        double[][] x = Arrays.stream(top).mapToObj(i -> factors[i]).toArray(double[][]::new);
        return new MoviePca(top, Pca.fit(x, components));
    }

    /**
     * A PCA of movie factors.
     *
     * @param movies movie indices, in row order of the result
     * @param pca    the components, variance shares and projections
     */
    public record MoviePca(int[] movies, Pca.Result pca) {
    }

    /**
     * Movies nearest to the one whose title matches {@code query} (case-insensitive substring), by
     * cosine similarity of their factors.
     *
     * @throws IllegalArgumentException when no title or several titles match (listing them)
     */
    public List<Ranked> similar(String query, int k) {
        return similar(findMovie(query), k);
    }

    /** Movies nearest to the movie of index {@code target}, by cosine similarity of their factors. */
    public List<Ranked> similar(int target, int k) {
        return similar(target, k, 0);
    }

    /**
     * Movies nearest to the movie of index {@code target} among those with at least
     * {@code minRatings} training ratings: a rarely rated movie's factors barely moved from their
     * random start, and land near anything.
     */
    public List<Ranked> similar(int target, int k, int minRatings) {
        return similar(target, k, minRatings, false);
    }

    /**
     * As {@link #similar(int, int, int)}; with {@code strict}, an empty answer is refused in one
     * line that says why (one movie, or none other with {@code minRatings} ratings, and what to
     * lower the threshold to) instead of being an empty list.
     */
    public List<Ranked> similar(int target, int k, int minRatings, boolean strict) {
        return similarMovies(target, k, minRatings, strict).stream()
                .map(x -> new Ranked(model.title(x.movie()), x.similarity())).toList();
    }

    /**
     * A movie and its cosine similarity to another.
     *
     * @param movie      the movie index
     * @param similarity the cosine similarity of the two movies' factors
     */
    public record Neighbour(int movie, double similarity) {
    }

    /** As {@link #similar(int, int, int)}, with the movies' indices (titles can repeat; indices do not). */
    public List<Neighbour> similarMovies(int target, int k, int minRatings) {
        return similarMovies(target, k, minRatings, false);
    }

    /** As {@link #similar(int, int, int, boolean)}, with the movies' indices. */
    public List<Neighbour> similarMovies(int target, int k, int minRatings, boolean strict) {
        double[][] f = model.movieFactors();
        int[] counts = model.movieCounts();
        double[] t = f[target];
        double tn = norm(t);
        List<Neighbour> out = new ArrayList<>();
        Integer[] order = IntStream.range(1, f.length).filter(i -> i != target && counts[i] >= minRatings).boxed()
                .toArray(Integer[]::new);
        double[] sim = new double[f.length];
        for (int i : order) {
            double dot = 0;
            for (int j = 0; j < t.length; j++) {
                dot += t[j] * f[i][j];
            }
            sim[i] = dot / (tn * norm(f[i]) + 1e-12);
        }
        if (strict && order.length == 0) {
            int best = IntStream.range(1, f.length).filter(i -> i != target).map(i -> counts[i]).max().orElse(-1);
            throw new IllegalArgumentException(best < 0 ? "the model knows one movie: there is nothing to compare it with"
                    : "no other movie has at least " + minRatings + " training ratings (the most-rated other has " + best
                    + "): give --min-ratings " + best + " or less");
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> sim[i]).reversed());
        for (int i = 0; i < Math.min(k, order.length); i++) {
            out.add(new Neighbour(order[i], sim[order[i]]));
        }
        return out;
    }

    /**
     * The movie index whose title matches the query: a title equal to it (ignoring case) wins,
     * then one equal to it up to a leading or trailing article and the year, then the only title
     * containing it. Several movies with the very same title (ml-100k has 18 such pairs) are told
     * apart by their ids ({@link #movieIndexOfId}).
     *
     * @throws IllegalArgumentException when nothing or several titles match (naming them and their ids)
     */
    public int findMovie(String query) {
        String q = query.toLowerCase(Locale.ROOT).trim();
        if (q.isEmpty()) {
            throw new IllegalArgumentException("give part of a movie title (or --movie-id)");
        }
        List<Integer> hits = new ArrayList<>();
        List<Integer> same = new ArrayList<>();
        List<Integer> exact = new ArrayList<>();
        for (int i = 1; i < model.movies().size(); i++) {
            String title = model.title(i).toLowerCase(Locale.ROOT).trim();
            if (title.equals(q)) {
                exact.add(i);
            }
            if (title.contains(q)) {
                hits.add(i);
                if (normalise(title).equals(normalise(q))) {
                    same.add(i);
                }
            }
        }
        for (List<Integer> tier : List.of(exact, same, hits)) {
            if (tier.size() == 1) {
                return tier.get(0);
            }
            if (tier.size() > 1 && tier != hits && tier.stream().map(model::title).distinct().count() == 1) {
                throw new IllegalArgumentException(tier.size() + " movies are titled '" + model.title(tier.get(0))
                        + "' (ids " + String.join(", ", tier.stream().map(i -> model.movies().id(i)).toList())
                        + "): pick one with --movie-id");
            }
            if (tier.size() > 1) {
                break;
            }
        }
        if (hits.isEmpty()) {
            throw new IllegalArgumentException("no movie title contains '" + query + "'");
        }
        List<String> names = hits.stream().limit(20).map(i -> model.title(i) + " [" + model.movies().id(i) + "]").toList();
        throw new IllegalArgumentException(hits.size() + " titles contain '" + query + "', be more specific (or use "
                + "--movie-id): " + String.join("; ", names) + (hits.size() > 20 ? "; ..." : ""));
    }

    /** The movie index of a raw movie id, as in the data. */
    public int movieIndexOfId(String id) {
        if (!model.movies().contains(id)) {
            throw new IllegalArgumentException("unknown movie id '" + id + "'");
        }
        return model.movies().index(id);
    }

    /** "Silence of the Lambs, The (1991)" and "the silence of the lambs" both become "silence of the lambs". */
    private static String normalise(String title) {
        String t = title.replaceAll("\\(\\d{4}\\)\\s*$", "").trim();
        t = t.replaceAll("^(.*), (the|a|an)$", "$2 $1");
        return t.replaceAll("^(the|a|an) ", "").trim();
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    /**
     * Why cosine neighbours of this model's movie factors may mislead, or null: a neural model's
     * embeddings feed a network rather than a dot product, so the model never compares them by
     * angle, and after training their first principal component carries most of their variance.
     */
    public String distanceCaveat() {
        if (model.kind().hasBiases()) {
            return null;
        }
        int n = Math.min(1000, model.movies().size() - 1);
        if (n < 3 || pcaComponents(1) < 1) {
            return null;
        }
        double pc1 = moviePca(n, 1).pca().explainedVarianceRatio()[0];
        return String.format(Locale.ROOT, "the %s model's movie embedding feeds a neural network, not a dot product: the model "
                + "never compares movies by the angle between their embeddings, and PC1 holds %.0f%% of their variance here, "
                + "so these neighbours mostly follow one direction; a dot model's factors are meant for this", model.kind(), 100 * pc1);
    }

    /**
     * A prediction for one user and one movie.
     *
     * @param predicted the model's rating
     * @param seen      whether the user rated the movie in the training data
     */
    public record Prediction(double predicted, boolean seen) {
    }

    /** The model's rating of movie index {@code movie} by a user (raw id). */
    public Prediction predict(String userId, int movie) {
        int u = userIndex(userId);
        boolean seen = Arrays.stream(model.seen(u)).anyMatch(m -> m == movie);
        return new Prediction(model.predict(new int[]{u}, new int[]{movie})[0], seen);
    }

    private int userIndex(String userId) {
        if (!model.users().contains(userId)) {
            throw new BadInputException("unknown user '" + userId + "': the model knows users "
                    + model.users().id(1) + ".." + model.users().id(model.users().size() - 1));
        }
        return model.users().index(userId);
    }

    /** The {@code k} movies a folded-in user has not rated with the highest predicted rating. */
    public List<Ranked> recommend(FoldIn.User u, Collection<Integer> rated, int k) {
        double[] pred = FoldIn.predictions(model, u);
        boolean[] excluded = new boolean[pred.length];
        rated.forEach(m -> excluded[m] = true);
        if (rated.size() >= model.movies().size() - 1) {
            throw new IllegalArgumentException("the new user rated every movie the model knows (" + (model.movies().size() - 1)
                    + "): there is nothing left to recommend");
        }
        return Arrays.stream(Ranking.topK(pred, excluded, k))
                .mapToObj(m -> new Ranked(model.title(m), pred[m])).toList();
    }

    /** The {@code k} unseen movies with the highest predicted rating for a user (raw id). */
    public List<Ranked> recommend(String userId, int k) {
        int u = userIndex(userId);
        boolean[] seen = new boolean[model.movies().size()];
        for (int m : model.seen(u)) {
            seen[m] = true;
        }
        int[] candidates = IntStream.range(1, model.movies().size()).filter(m -> !seen[m]).toArray();
        if (candidates.length == 0) {
            throw new IllegalArgumentException("user " + userId + " rated every movie the model knows (" + (model.movies().size() - 1)
                    + "): there is nothing left to recommend");
        }
        int[] users = new int[candidates.length];
        Arrays.fill(users, u);
        float[] pred = model.predict(users, candidates);
        Integer[] order = IntStream.range(0, candidates.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> pred[i]).reversed().thenComparing(i -> candidates[i]));
        return Arrays.stream(order).limit(k).map(i -> new Ranked(model.title(candidates[i]), pred[i])).toList();
    }

    /**
     * Writes the charts: {@code movie_bias.png} (the 15 lowest and highest movie biases) and
     * {@code movie_pca.png} (PC1 vs PC2 of the 1000 most-rated movies, 50 titles labelled), where
     * the model has the movies and factors for two components ({@link #pcaChartNote}: callers say so).
     */
    public void writeCharts(Path dir) throws IOException {
        if (model.movieBias() != null) {
            List<Ranked> low = movieBiases(15, false);
            List<Ranked> high = movieBiases(15, true);
            List<Ranked> all = new ArrayList<>(high);
            List<Ranked> lowRev = new ArrayList<>(low);
            Collections.reverse(lowRev);
            all.addAll(lowRev);
            Charts.hbar(dir.resolve("movie_bias.png"), "Movie biases: 15 highest and 15 lowest", "bias",
                    all.stream().map(Ranked::name).toList(), all.stream().mapToDouble(Ranked::value).toArray());
        }
        if (pcaComponents(2) < 2) {
            return;
        }
        MoviePca p = moviePca(Math.min(1000, model.movies().size() - 1), 2);
        double[][] proj = p.pca().projected();
        double[] x = Arrays.stream(proj).mapToDouble(r -> r[0]).toArray();
        double[] y = Arrays.stream(proj).mapToDouble(r -> r[1]).toArray();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < p.movies().length; i++) {
            labels.add(i < 50 ? model.title(p.movies()[i]) : null);
        }
        double[] ev = p.pca().explainedVarianceRatio();
        Charts.scatter(dir.resolve("movie_pca.png"), String.format(Locale.ROOT,
                        "Movie factors, PCA of the %d most-rated movies (PC1 %.1f%%, PC2 %.1f%% of variance)",
                        p.movies().length, 100 * ev[0], 100 * ev[1]), "PC1", "PC2", x, y, labels);
    }
}
