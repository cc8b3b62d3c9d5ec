package io.github.fastdl4j.serve.collab;

import io.github.fastdl4j.collab.evaluate.Ranking;
import io.github.fastdl4j.collab.interpret.CollabInterpretation;
import io.github.fastdl4j.collab.interpret.FoldIn;
import io.github.fastdl4j.collab.model.CollabKind;
import io.github.fastdl4j.collab.model.CollabModel;
import io.github.fastdl4j.serve.http.ApiError;
import io.github.fastdl4j.serve.registry.Served;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A collab model behind the API: recommendations for a known user (seen movies left out), for a
 * new user from a few ratings (folded in, as {@code collab recommend --rated}), similar movies,
 * predicted ratings, and feedback folded into the user at once. A dot-product model (dot,
 * dot-linear, dot-layers) refits the user from the feedback: a known user from its trained factors
 * (the ridge pulls towards them), a new user id from its feedback alone; the nn kinds and hybrid
 * refit the user's embedding rows by gradient descent with the rest of the model frozen
 * ({@link RowFoldIn}); BPR (a ranking, not ratings) only leaves the rated movies out of the
 * user's recommendations. The model itself is never changed: the feedback state lives beside it,
 * per user, replaced whole on each feedback.
 */
public final class CollabServed implements Served {

    /**
     * One item of an answer.
     *
     * @param id    the movie id as in the data
     * @param title the title
     * @param score predicted rating or similarity
     */
    public record Item(String id, String title, double score) {
    }

    /**
     * What feedback taught about one user.
     *
     * @param ratings movie index to rating, the latest per movie
     * @param folded  the user refitted with them (dot-product models), else null
     * @param rows    the user's embedding rows refitted with them (nn kinds, hybrid), else null
     */
    record UserState(Map<Integer, Double> ratings, FoldIn.User folded, RowFoldIn.Rows rows) {
    }

    private final CollabModel model;
    private final CollabInterpretation in;
    private final boolean foldable;
    /** Feedback refits the user by gradient descent on its rows (nn kinds, hybrid). */
    private final boolean refittable;
    private final Map<String, UserState> feedback = new ConcurrentHashMap<>();
    /** A dot-product model's tables, read once: its predictions computed here need no lock and no native call. */
    private final DotRatings dot;
    private final double[][] userFactors;
    private final double[] userBias;

    public CollabServed(CollabModel model) {
        this.model = model;
        this.in = new CollabInterpretation(model);
        CollabKind k = model.kind();
        this.foldable = k == CollabKind.DOT || k == CollabKind.DOT_LINEAR || k == CollabKind.DOT_LAYERS;
        this.refittable = RowFoldIn.applies(k);
        this.dot = foldable ? new DotRatings(model) : null;
        this.userFactors = foldable ? model.userFactors() : null;
        this.userBias = foldable ? model.userBias() : null;
    }

    /** The top {@code k} of a dot model's ratings for a user with these factors and bias, as items. */
    private List<Item> dotItems(double[] factors, double bias, boolean[] excluded, int k) {
        DotRatings.Top top = dot.top(factors, bias, excluded, k);
        List<Item> out = new ArrayList<>();
        for (int i = 0; i < top.movies().length; i++) {
            int m = top.movies()[i];
            out.add(new Item(model.movies().id(m), model.title(m), top.ratings()[i]));
        }
        return out;
    }

    @Override
    public String module() {
        return "collab";
    }

    @Override
    public String kind() {
        return model.kind().cliName();
    }

    public CollabModel model() {
        return model;
    }

    /** Whether new users can be folded in in closed form (a dot-product model). */
    public boolean foldable() {
        return foldable;
    }

    /** Whether a new user can be folded in from a few ratings (closed form or gradient refit: every kind but BPR). */
    public boolean foldsInNewUsers() {
        return foldable || refittable;
    }

    /**
     * How feedback changes the user: "ridge" (dot-product models, closed form), "gradient" (nn kinds
     * and hybrid: the user's rows refitted, the rest frozen) or "none" (BPR: the rated movies are
     * only left out of its recommendations).
     */
    public String feedbackRefit() {
        return foldable ? "ridge" : refittable ? "gradient" : "none";
    }

    /** The movie index of an id (as in the data) or a title (or part of one); 422 when none or several match. */
    public int movie(String idOrTitle, boolean byId) {
        synchronized (model) {
            try {
                if (byId || model.movies().contains(idOrTitle)) {
                    return in.movieIndexOfId(idOrTitle);
                }
                return in.findMovie(idOrTitle);
            } catch (IllegalArgumentException e) {
                throw ApiError.unprocessable(e.getMessage().replace(" (or --movie-id)", " (or movie_id)")
                        .replace("pick one with --movie-id", "pick one by movie_id").replace("use --movie-id", "use movie_id"));
            }
        }
    }

    private int userIndex(String user) {
        return model.users().contains(user) ? model.users().index(user) : 0;
    }

    private ApiError unknownUser(String user) {
        return ApiError.unprocessable("unknown user '" + user + "': the model knows users " + model.users().id(1) + ".."
                + model.users().id(model.users().size() - 1) + (foldable || refittable ? " (and users that sent feedback)" : ""));
    }

    /** Predicted ratings of every movie index for a user (index 0 unused); null when the user is unknown. */
    private double[] scores(String user) {
        UserState s = feedback.get(user);
        if (s != null && s.folded() != null) {
            return dot.all(s.folded().factors(), s.folded().bias());
        }
        if (s != null && s.rows() != null) {
            synchronized (model) {
                return RowFoldIn.scores(model, userIndex(user), s.rows());
            }
        }
        int u = userIndex(user);
        if (u == 0) {
            return null;
        }
        if (foldable) {
            return dot.all(userFactors[u], userBias[u]);
        }
        int n = model.movies().size();
        int[] users = new int[n - 1];
        int[] movies = new int[n - 1];
        for (int m = 1; m < n; m++) {
            users[m - 1] = u;
            movies[m - 1] = m;
        }
        float[] p;
        synchronized (model) {
            p = model.predict(users, movies);
        }
        double[] out = new double[n];
        for (int m = 1; m < n; m++) {
            out[m] = p[m - 1];
        }
        return out;
    }

    /** The {@code k} movies the user has not rated (in training or feedback) with the highest predicted rating. */
    public List<Item> recommend(String user, int k) {
        UserState state = feedback.get(user);
        int u = userIndex(user);
        boolean folded = state != null && state.folded() != null;
        boolean dotModel = foldable && (folded || u != 0 && (state == null || state.rows() == null));
        double[] pred = dotModel ? null : scores(user);
        if (!dotModel && pred == null) {
            throw unknownUser(user);
        }
        boolean[] excluded = rated(u, state, dotModel ? dot.movies() : pred.length);
        if (dotModel) {
            return dotItems(folded ? state.folded().factors() : userFactors[u], folded ? state.folded().bias() : userBias[u],
                    excluded, k);
        }
        return items(pred, excluded, k);
    }

    /** {@link #recommend} with every rating computed: the reference the shortcut is tested against. */
    List<Item> recommendComputingEveryRating(String user, int k) {
        double[] pred = scores(user);
        if (pred == null) {
            throw unknownUser(user);
        }
        return items(pred, rated(userIndex(user), feedback.get(user), pred.length), k);
    }

    /** The movies a user rated, in training (user index {@code u}, 0 for none) or in feedback: left out of recommendations. */
    private boolean[] rated(int u, UserState state, int movies) {
        boolean[] excluded = new boolean[movies];
        if (u != 0) {
            for (int m : model.seen(u)) {
                excluded[m] = true;
            }
        }
        if (state != null) {
            state.ratings().keySet().forEach(m -> excluded[m] = true);
        }
        return excluded;
    }

    private List<Item> items(double[] pred, boolean[] excluded, int k) {
        List<Item> out = new ArrayList<>();
        for (int m : Ranking.topK(pred, excluded, k)) {
            out.add(new Item(model.movies().id(m), model.title(m), pred[m]));
        }
        return out;
    }

    /**
     * Recommendations for a new user from a few ratings (movie index to rating), folded in: in
     * closed form for the dot models, by the gradient refit of {@link RowFoldIn} (from the mean
     * user) for the nn kinds and hybrid.
     */
    public List<Item> recommendNew(Map<Integer, Double> rated, int k) {
        requireFoldable();
        double[] pred;
        if (refittable) {
            synchronized (model) {
                pred = RowFoldIn.scores(model, 0, RowFoldIn.fit(model, 0, rated, RowFoldIn.start(model, 0)));
            }
        } else {
            FoldIn.User u;
            synchronized (model) {
                u = FoldIn.user(model, rated, FoldIn.LAMBDA);
            }
            pred = dot.all(u.factors(), u.bias());
        }
        boolean[] excluded = new boolean[pred.length];
        rated.keySet().forEach(m -> excluded[m] = true);
        return items(pred, excluded, k);
    }

    private void requireFoldable() {
        if (!foldable && !refittable) {
            throw ApiError.unprocessable("the " + model.kind() + " model cannot fold in a new user (a dot, dot-linear, "
                    + "dot-layers, nn, nn-layers, nn-bn or hybrid model can)");
        }
    }

    /** Movies nearest to one by cosine similarity of their factors, among those with at least {@code minRatings} ratings. */
    public List<Item> similar(int movie, int k, int minRatings) {
        List<CollabInterpretation.Neighbour> nb;
        synchronized (model) {
            nb = in.similarMovies(movie, k, minRatings);
        }
        return nb.stream().map(x -> new Item(model.movies().id(x.movie()), model.title(x.movie()), x.similarity())).toList();
    }

    /** The {@code k} movies with the lowest ({@code highest} false) or highest bias; 422 for a model without biases. */
    public List<Item> biases(int k, boolean highest) {
        double[] b;
        synchronized (model) {
            b = model.movieBias();
        }
        if (b == null) {
            throw ApiError.unprocessable("the " + model.kind() + " model has no biases");
        }
        Integer[] order = new Integer[b.length - 1];
        for (int i = 0; i < order.length; i++) {
            order[i] = i + 1;
        }
        Arrays.sort(order, (x, y) -> highest ? Double.compare(b[y], b[x]) : Double.compare(b[x], b[y]));
        List<Item> out = new ArrayList<>();
        for (int i = 0; i < Math.min(k, order.length); i++) {
            out.add(new Item(model.movies().id(order[i]), model.title(order[i]), b[order[i]]));
        }
        return out;
    }

    /**
     * A point of the PCA map.
     *
     * @param id      movie id
     * @param title   title
     * @param x       first component
     * @param y       second component
     * @param ratings training ratings of the movie
     */
    public record Point(String id, String title, double x, double y, int ratings) {
    }

    /** PC1 and PC2 of the movie factors of the {@code n} most-rated movies (as {@code collab interpret}), with the variance shares. */
    public Map<String, Object> pca(int n) {
        int top = Math.max(3, Math.min(n, model.movies().size() - 1));
        CollabInterpretation.MoviePca p;
        synchronized (model) {
            if (model.movies().size() - 1 < 3) {
                throw ApiError.unprocessable("too few movies for a PCA");
            }
            p = in.moviePca(top, 2);
        }
        int[] counts = model.movieCounts();
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < p.movies().length; i++) {
            int m = p.movies()[i];
            points.add(new Point(model.movies().id(m), model.title(m), p.pca().projected()[i][0], p.pca().projected()[i][1], counts[m]));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("explained", p.pca().explainedVarianceRatio());
        out.put("points", points);
        return out;
    }

    /** Movies whose title contains {@code q} (case-insensitive), most rated first (for pickers). */
    public List<Map<String, Object>> search(String q, int limit) {
        String needle = q.toLowerCase(Locale.ROOT).strip();
        int[] counts = model.movieCounts();
        List<Integer> hits = new ArrayList<>();
        for (int m = 1; m < model.movies().size(); m++) {
            if (model.title(m).toLowerCase(Locale.ROOT).contains(needle) || model.movies().id(m).equals(needle)) {
                hits.add(m);
            }
        }
        hits.sort((x, y) -> Integer.compare(counts[y], counts[x]));
        return hits.stream().limit(limit).map(m -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", model.movies().id(m));
            o.put("title", model.title(m));
            o.put("ratings", counts[m]);
            return o;
        }).toList();
    }

    /** The model's rating of a movie by a user (feedback folded in). */
    public double predict(String user, int movie) {
        UserState s = feedback.get(user);
        if (s != null && s.folded() != null) {
            return dot.all(s.folded().factors(), s.folded().bias())[movie];
        }
        if (s != null && s.rows() != null) {
            synchronized (model) {
                return RowFoldIn.scores(model, userIndex(user), s.rows())[movie];
            }
        }
        int u = userIndex(user);
        if (u == 0) {
            throw unknownUser(user);
        }
        if (foldable) {
            return dot.all(userFactors[u], userBias[u])[movie];
        }
        synchronized (model) {
            return model.predict(new int[]{u}, new int[]{movie})[0];
        }
    }

    /** Refuses feedback the model cannot take, before it is logged: a new user of a model that cannot fold one in. */
    public void checkFeedback(String user) {
        if (!foldable && !refittable && userIndex(user) == 0) {
            throw ApiError.unprocessable("unknown user '" + user + "': the " + model.kind() + " model cannot fold in a new user");
        }
    }

    /** Folds one feedback into its user at once; returns whether the user's factors were refitted. */
    public boolean apply(String user, int movie, double rating) {
        UserState next = feedback.compute(user, (id, old) -> {
            Map<Integer, Double> ratings = new LinkedHashMap<>(old == null ? Map.of() : old.ratings());
            ratings.remove(movie); // the latest rating of a movie counts, in the order given
            ratings.put(movie, rating);
            FoldIn.User folded = null;
            RowFoldIn.Rows rows = null;
            int u = userIndex(user);
            if (foldable) {
                FoldIn.User prior = u == 0 ? null : new FoldIn.User(userFactors[u], userBias[u]);
                synchronized (model) {
                    folded = FoldIn.user(model, ratings, FoldIn.LAMBDA, prior);
                }
            } else if (refittable) {
                synchronized (model) {
                    rows = RowFoldIn.fit(model, u, ratings, RowFoldIn.start(model, u));
                }
            }
            return new UserState(Collections.unmodifiableMap(ratings), folded, rows);
        });
        return next.folded() != null || next.rows() != null;
    }

    /** Folds a whole log in (on load); lines naming a movie the model lacks are skipped and counted. */
    public int applyAll(List<FeedbackLog.Row> rows) {
        Map<String, Map<Integer, Double>> byUser = new LinkedHashMap<>();
        int skipped = 0;
        for (FeedbackLog.Row r : rows) {
            if (!model.movies().contains(r.movie()) || (!foldable && !refittable && userIndex(r.user()) == 0)) {
                skipped++;
                continue;
            }
            Map<Integer, Double> m = byUser.computeIfAbsent(r.user(), x -> new LinkedHashMap<>());
            int movie = model.movies().index(r.movie());
            m.remove(movie);
            m.put(movie, r.rating());
        }
        Map<String, UserState> states = new HashMap<>();
        synchronized (model) {
            double[][] uf = userFactors;
            double[] ub = userBias;
            byUser.forEach((user, ratings) -> {
                FoldIn.User folded = null;
                RowFoldIn.Rows refit = null;
                int u = userIndex(user);
                if (foldable) {
                    folded = FoldIn.user(model, ratings, FoldIn.LAMBDA, u == 0 ? null : new FoldIn.User(uf[u], ub[u]));
                } else if (refittable) {
                    refit = RowFoldIn.fit(model, u, ratings, RowFoldIn.start(model, u));
                }
                states.put(user, new UserState(Collections.unmodifiableMap(ratings), folded, refit));
            });
        }
        feedback.putAll(states);
        return skipped;
    }

    /** How many users have feedback folded in. */
    public int feedbackUsers() {
        return feedback.size();
    }

    /** The rating scale's ends the model was trained for (its y range). */
    public double low() {
        return model.spec().low();
    }

    public double high() {
        return model.spec().high();
    }
}
