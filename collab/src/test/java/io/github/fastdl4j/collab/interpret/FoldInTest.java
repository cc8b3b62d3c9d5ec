package io.github.fastdl4j.collab.interpret;

import io.github.fastdl4j.collab.CollabLearner;
import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.collab.model.CollabKind;
import io.github.fastdl4j.collab.model.CollabModel;
import io.github.fastdl4j.collab.testing.SyntheticRatings;
import io.github.fastdl4j.common.module.Activations;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A new user folded into a trained dot model: exact on the model's own predictions, useful on held-out ratings. */
class FoldInTest {

    @TempDir
    static Path tmp;
    static Ratings ratings;
    static CollabLearner learn;
    static CollabModel model;

    @BeforeAll
    static void train() throws Exception {
        ratings = Ratings.load(SyntheticRatings.write(tmp.resolve("synthetic"), 150, 60, 40, 1));
        learn = CollabLearner.of(ratings).model(CollabKind.DOT).nFactors(5).seed(3).build();
        learn.learner().quiet(true);
        learn.fitOneCycle(8, 1e-2, 0.01);
        model = learn.model();
    }

    /** Ratings a user with these factors and bias would get from the model: fold-in must find that user again. */
    @Test
    void recoversAUserFromTheModelsOwnPredictions() {
        double[][] mf = model.movieFactors();
        double[] mb = model.movieBias();
        Random r = new Random(5);
        double[] factors = new double[mf[0].length];
        for (int f = 0; f < factors.length; f++) {
            factors[f] = r.nextGaussian() * 0.5;
        }
        double bias = 0.3;
        Map<Integer, Double> rated = new LinkedHashMap<>();
        for (int movie = 1; movie <= 20; movie++) {
            double s = bias + mb[movie];
            for (int f = 0; f < factors.length; f++) {
                s += factors[f] * mf[movie][f];
            }
            rated.put(movie, Activations.sigmoidRange(s, model.spec().low(), model.spec().high()));
        }
        FoldIn.User u = FoldIn.user(model, rated, 1e-9);
        assertEquals(bias, u.bias(), 1e-5);
        for (int f = 0; f < factors.length; f++) {
            assertEquals(factors[f], u.factors()[f], 1e-5, "factor " + f);
        }
        double[] pred = FoldIn.predictions(model, u);
        rated.forEach((movie, rating) -> assertEquals(rating, pred[movie], 1e-6));
    }

    /** Users folded in from their training ratings predict their held-out ratings better than a typical user (movie biases alone). */
    @Test
    void foldedInTastesPredictHeldOutRatings() {
        Map<Integer, Map<Integer, Double>> train = new HashMap<>();
        for (int i : learn.split().train()) {
            train.computeIfAbsent(ratings.user()[i], u -> new LinkedHashMap<>()).put(ratings.movie()[i], (double) ratings.rating()[i]);
        }
        Map<Integer, double[]> tastes = new HashMap<>();
        Map<Integer, double[]> biasOnly = new HashMap<>();
        train.forEach((u, rated) -> {
            tastes.put(u, FoldIn.predictions(model, FoldIn.user(model, rated, FoldIn.LAMBDA)));
            // a typical user: the penalty pins factors and bias at zero, the movie biases alone predict
            biasOnly.put(u, FoldIn.predictions(model, FoldIn.user(model, rated, 1e9)));
        });
        double seTastes = 0;
        double seBias = 0;
        int n = 0;
        for (int i : learn.split().valid()) {
            int u = ratings.user()[i];
            if (!tastes.containsKey(u)) {
                continue;
            }
            int movie = ratings.movie()[i];
            double y = ratings.rating()[i];
            double a = tastes.get(u)[movie] - y;
            double b = biasOnly.get(u)[movie] - y;
            seTastes += a * a;
            seBias += b * b;
            n++;
        }
        assertTrue(n > 500, "held-out ratings of known users: " + n);
        double rmseTastes = Math.sqrt(seTastes / n);
        double rmseBias = Math.sqrt(seBias / n);
        assertTrue(rmseTastes < 0.9 * rmseBias, "fold-in " + rmseTastes + " against movie biases alone " + rmseBias);
    }

    @Test
    void recommendsUnratedMoviesBestFirst() {
        Map<Integer, Double> rated = Map.of(1, 5.0, 2, 4.0, 3, 1.0);
        FoldIn.User u = FoldIn.user(model, rated, FoldIn.LAMBDA);
        List<Ranked> top = new CollabInterpretation(model).recommend(u, rated.keySet(), 10);
        assertEquals(10, top.size());
        double[] pred = FoldIn.predictions(model, u);
        for (int i = 1; i < top.size(); i++) {
            assertTrue(top.get(i - 1).value() >= top.get(i).value(), top.toString());
        }
        for (int movie : rated.keySet()) {
            String title = model.title(movie);
            assertFalse(top.stream().anyMatch(t -> t.name().equals(title)), "rated movie recommended: " + title);
        }
        assertEquals(top.get(0).value(), Arrays.stream(pred).skip(4).max().orElseThrow(), 1e-9);
    }

    /**
     * A known user's trained factors as the prior: no new rating leaves the user exactly there,
     * and one low rating moves the user's prediction of that movie down, but not all the way.
     */
    @Test
    void aPriorKeepsAKnownUserAndNewRatingsMoveIt() {
        double[][] uf = model.userFactors();
        double[] ub = model.userBias();
        int user = 7;
        FoldIn.User prior = new FoldIn.User(uf[user], ub[user]);
        int movie = 5;
        double before = model.predict(new int[]{user}, new int[]{movie})[0];
        double[] same = FoldIn.predictions(model, prior);
        assertEquals(before, same[movie], 1e-4, "the prior alone predicts as the model does");
        FoldIn.User moved = FoldIn.user(model, Map.of(movie, 1.0), FoldIn.LAMBDA, prior);
        double after = FoldIn.predictions(model, moved)[movie];
        assertTrue(after < before - 0.05 && after > 1.0, "towards the new rating 1, from " + before + ": " + after);
        FoldIn.User fresh = FoldIn.user(model, Map.of(movie, 1.0), FoldIn.LAMBDA);
        assertTrue(Math.abs(fresh.bias() - moved.bias()) > 1e-6, "the prior changes the fit");
    }

    @Test
    void needsADotModelAndAtLeastOneRating() {
        assertThrows(IllegalArgumentException.class, () -> FoldIn.user(model, Map.of(), 1));
        CollabModel nn = CollabLearner.of(ratings).model(CollabKind.NN).layers(8).nFactors(5).seed(3).build().model();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FoldIn.user(nn, Map.of(1, 4.0), 1));
        assertTrue(e.getMessage().contains("dot-product model"), e.getMessage());
    }
}
