package io.github.fastdl4j.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fastdl4j.collab.model.CollabModel;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.serve.ServeConfig;
import io.github.fastdl4j.serve.collab.CollabServed;
import io.github.fastdl4j.serve.collab.FeedbackLog;
import io.github.fastdl4j.serve.registry.ModelRegistry;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static io.github.fastdl4j.serve.http.Responses.json;
import static io.github.fastdl4j.serve.http.Responses.route;

/**
 * The collab routes: recommend (for a known user, or a new one from the ratings in the body), similar,
 * predict a rating, feedback, biases, PCA and the movie search. Apart from {@link ServeApp}, which lists
 * them with the other routes, because they are one model kind's questions and answers.
 */
final class CollabRoutes {

    /** Logged under ServeApp, as before this class was split off, so the server's log lines stay the same. */
    private static final Logger LOG = LoggerFactory.getLogger(ServeApp.class);
    /** User ids feedback may create: they go into a CSV log and come back in URLs. */
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_.:@-]{1,64}");

    private final ServeConfig.Limits limits;
    private final ModelRegistry registry;
    private final FeedbackLogs logs;

    CollabRoutes(ServeConfig.Limits limits, ModelRegistry registry, FeedbackLogs logs) {
        this.limits = limits;
        this.registry = registry;
        this.logs = logs;
    }

    private CollabServed collab(Context ctx, String template) {
        route(ctx, template);
        ModelRegistry.Entry e = Responses.entry(registry, ctx);
        if (!(e.served() instanceof CollabServed c)) {
            throw ApiError.notFound("model '" + e.id() + "' is a " + e.served().module() + " model; this route is for collab models");
        }
        return c;
    }

    private static List<Map<String, Object>> items(List<CollabServed.Item> items) {
        return items.stream().map(i -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", i.id());
            m.put("title", i.title());
            m.put("score", i.score());
            return m;
        }).toList();
    }

    void recommend(Context ctx) {
        CollabServed c = collab(ctx, "/api/models/{id}/recommend");
        String user = Params.required(ctx, "user");
        int k = Params.intParam(ctx, "k", 10, 1, limits.maxK());
        json(ctx, 200, Map.of("user", user, "items", items(c.recommend(user, k))));
    }

    void recommendNew(Context ctx) {
        CollabServed c = collab(ctx, "/api/models/{id}/recommend");
        ObjectNode body = Params.jsonObject(ctx);
        int k = (int) Params.wholeNumber(body.get("k"), "k", 10, 1, limits.maxK());
        JsonNode rated = body.get("rated");
        if (!(rated instanceof ObjectNode r) || r.isEmpty()) {
            throw ApiError.badRequest("rated: expected an object of movie titles or ids to ratings, e.g. {\"Fargo (1996)\": 4}");
        }
        if (r.size() > 1000) {
            throw ApiError.tooLarge("rated: at most 1000 movies");
        }
        Map<Integer, Double> byMovie = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = r.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            double rating = Params.number(f.getValue(), "rated[" + Params.clip(f.getKey()) + "]");
            checkRating(c, rating, "rated[" + Params.clip(f.getKey()) + "]");
            if (f.getKey().isBlank()) {
                throw ApiError.badRequest("rated: an empty movie title");
            }
            byMovie.put(c.movie(f.getKey().strip(), false), rating);
        }
        json(ctx, 200, Map.of("items", items(c.recommendNew(byMovie, k))));
    }

    private static void checkRating(CollabServed c, double rating, String field) {
        if (rating < c.low() || rating > c.high()) {
            throw ApiError.unprocessable(field + ": " + rating + " is outside the model's rating range " + c.low() + ".." + c.high());
        }
    }

    private int movieParam(Context ctx, CollabServed c) {
        String title = ctx.queryParam("movie");
        String id = ctx.queryParam("movie_id");
        if ((title == null) == (id == null)) {
            throw ApiError.badRequest("give movie (a title) or movie_id (one of them)");
        }
        return id != null ? c.movie(Params.required(ctx, "movie_id"), true) : c.movie(Params.required(ctx, "movie"), false);
    }

    void similar(Context ctx) {
        CollabServed c = collab(ctx, "/api/models/{id}/similar");
        int movie = movieParam(ctx, c);
        int k = Params.intParam(ctx, "k", 10, 1, limits.maxK());
        int minRatings = Params.intParam(ctx, "min_ratings", 20, 0, Integer.MAX_VALUE);
        CollabModel m = c.model();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("movie", Map.of("id", m.movies().id(movie), "title", m.title(movie)));
        out.put("items", items(c.similar(movie, k, minRatings)));
        json(ctx, 200, out);
    }

    void predictRating(Context ctx) {
        CollabServed c = collab(ctx, "/api/models/{id}/predict");
        String user = Params.required(ctx, "user");
        int movie = movieParam(ctx, c);
        json(ctx, 200, Map.of("user", user, "movie_id", c.model().movies().id(movie), "rating", c.predict(user, movie)));
    }

    void feedback(Context ctx) {
        CollabServed c = collab(ctx, "/api/models/{id}/feedback");
        String id = ctx.pathParam("id");
        ObjectNode body = Params.jsonObject(ctx);
        String user = Params.id(body.get("user"), "user");
        if (!USER_ID.matcher(user).matches()) {
            throw ApiError.badRequest("user: an id of 1 to 64 letters, digits or _.:@-");
        }
        String movieId = Params.id(body.get("movie_id"), "movie_id");
        double rating = Params.number(body.get("rating"), "rating");
        long timestamp = Params.wholeNumber(body.get("timestamp"), "timestamp", Instant.now().getEpochSecond(), 0, 100_000_000_000L);
        int movie = c.movie(movieId, true);
        checkRating(c, rating, "rating");
        c.checkFeedback(user);
        FeedbackLog log = logs.log(id);
        boolean folded;
        synchronized (log) {
            try {
                log.append(new FeedbackLog.Row(user, movieId, rating, timestamp));
            } catch (IOException e) {
                LOG.warn("feedback for {} not written: {}", id, BadInputException.reason(e));
                throw new ApiError(503, "the feedback could not be written; it was not recorded");
            }
            // the model now published (a reload may have replaced the one this request started with)
            ModelRegistry.Entry now = registry.get(id);
            CollabServed cur = now != null && now.served() instanceof CollabServed x ? x : c;
            folded = cur.model().movies().contains(movieId)
                    && (!cur.feedbackRefit().equals("none") || cur.model().users().contains(user))
                    && cur.apply(user, cur.model().movies().index(movieId), rating);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "recorded");
        out.put("user", user);
        out.put("movie_id", movieId);
        out.put("rating", rating);
        out.put("timestamp", timestamp);
        out.put("folded", folded);
        // how the user was refitted: ridge (dot models), gradient (nn kinds, hybrid: the user's rows), none (bpr)
        out.put("refit", c.feedbackRefit());
        json(ctx, 201, out);
    }

    void biases(Context ctx) {
        CollabServed cs = collab(ctx, "/api/models/{id}/biases");
        int k = Params.intParam(ctx, "k", 15, 1, limits.maxK());
        json(ctx, 200, Map.of("lowest", items(cs.biases(k, false)), "highest", items(cs.biases(k, true))));
    }

    void pca(Context ctx) {
        CollabServed cs = collab(ctx, "/api/models/{id}/pca");
        json(ctx, 200, cs.pca(Params.intParam(ctx, "n", 1000, 3, 5000)));
    }

    void movies(Context ctx) {
        CollabServed cs = collab(ctx, "/api/models/{id}/movies");
        json(ctx, 200, Map.of("movies", cs.search(Params.required(ctx, "q"), Params.intParam(ctx, "limit", 20, 1, 200))));
    }
}
