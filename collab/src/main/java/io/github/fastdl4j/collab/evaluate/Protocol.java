package io.github.fastdl4j.collab.evaluate;

import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.data.Split;
import io.github.fastdl4j.common.data.Splits;
import io.github.fastdl4j.common.data.TextFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * How ratings are split for an evaluation, by command-line name:
 * <ul>
 *   <li>{@code u1} .. {@code u5}: ml-100k's own 80/20 splits ({@code uN.base} / {@code uN.test}),
 *   the one most papers report ({@code u1});</li>
 *   <li>{@code kfold}: ml-100k's {@code u1..u5} together (their test sets are disjoint and cover
 *   u.data: the published 5-fold cross-validation) when the folder has them and 5 folds are asked
 *   for, else a seeded k-fold over the ratings;</li>
 *   <li>{@code ua}, {@code ub}: ml-100k's splits with exactly 10 test ratings per user;</li>
 *   <li>{@code random}: one seeded 80/20 split, as {@code collab train};</li>
 *   <li>{@code cold-users}, {@code cold-movies}: cold start. A seeded tenth of the users (or of
 *   the movies with at least 20 ratings) is held out; each keeps only {@code given} of its ratings
 *   for training (0: none, a brand-new user or movie) and the rest are the test ratings. This is
 *   where metadata (the hybrid model) and fold-in should help.</li>
 * </ul>
 */
public enum Protocol {
    KFOLD, U1, U2, U3, U4, U5, UA, UB, RANDOM, COLD_USERS, COLD_MOVIES;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Protocol of(String name) {
        return Arrays.stream(values()).filter(p -> p.cliName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown protocol '" + name + "': expected one of "
                        + Arrays.stream(values()).map(Protocol::cliName).toList()));
    }

    /**
     * A fold: the rows of the ratings that train and those that test.
     *
     * @param name  e.g. {@code u1}, {@code fold 3}
     * @param split train and test rows (Split's {@code valid} holds the test rows)
     */
    public record Fold(String name, Split split) {
    }

    /** The folds of this protocol over {@code r} (u.data of ml-100k for the release's splits). */
    public List<Fold> folds(Ratings r, int k, long seed) {
        return folds(r, k, seed, 5);
    }

    /** As {@link #folds(Ratings, int, long)}; {@code given} is the training ratings a cold user or movie keeps. */
    public List<Fold> folds(Ratings r, int k, long seed, int given) {
        return switch (this) {
            case COLD_USERS -> List.of(cold(r, true, given, seed));
            case COLD_MOVIES -> List.of(cold(r, false, given, seed));
            case U1, U2, U3, U4, U5, UA, UB -> List.of(release(r, cliName()));
            case KFOLD -> k == 5 && hasRelease(r.source()) ? List.of(release(r, "u1"), release(r, "u2"), release(r, "u3"),
                    release(r, "u4"), release(r, "u5")) : kfold(r.size(), k, seed);
            case RANDOM -> List.of(new Fold("random 80/20", Splits.random(r.size(), 0.2, seed)));
        };
    }

    /** Whether {@code folds} for this data uses ml-100k's own files. */
    public boolean usesRelease(Ratings r, int k) {
        return this != RANDOM && this != COLD_USERS && this != COLD_MOVIES && (this != KFOLD || (k == 5 && hasRelease(r.source())));
    }

    /**
     * Cold start: a seeded tenth of the users (or of the movies with at least 20 ratings) keep
     * only {@code given} random ratings each in training; their other ratings are the test set.
     */
    static Fold cold(Ratings r, boolean users, int given, long seed) {
        int[] entity = users ? r.user() : r.movie();
        int n = (users ? r.userVocab() : r.movieVocab()).size();
        List<List<Integer>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(new ArrayList<>());
        }
        for (int i = 0; i < r.size(); i++) {
            rows.get(entity[i]).add(i);
        }
        int least = Math.max(20, given + 1);
        int[] candidates = IntStream.range(1, n).filter(i -> rows.get(i).size() >= least).toArray();
        if (candidates.length == 0) {
            int most = IntStream.range(1, n).map(i -> rows.get(i).size()).max().orElse(0);
            String what = users ? "user" : "movie";
            throw new IllegalArgumentException("cold-" + what + "s holds out " + what + "s with at least " + least + " ratings (at "
                    + "least 20, and more than --given " + given + "); the most-rated " + what + " here has " + most
                    + ": too few ratings for this protocol (try --protocol random or kfold)");
        }
        Random rnd = new Random(seed);
        Splits.shuffle(candidates, rnd);
        int held = Math.max(1, candidates.length / 10);
        boolean[] cold = new boolean[n];
        for (int i = 0; i < held; i++) {
            cold[candidates[i]] = true;
        }
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int e = 1; e < n; e++) {
            List<Integer> mine = rows.get(e);
            if (!cold[e]) {
                train.addAll(mine);
                continue;
            }
            int[] order = mine.stream().mapToInt(Integer::intValue).toArray();
            Splits.shuffle(order, rnd);
            for (int i = 0; i < order.length; i++) {
                (i < given ? train : test).add(order[i]);
            }
        }
        int[] tr = train.stream().mapToInt(Integer::intValue).sorted().toArray();
        int[] te = test.stream().mapToInt(Integer::intValue).sorted().toArray();
        return new Fold(held + " cold " + (users ? "users" : "movies") + ", " + given + " ratings each", new Split(tr, te));
    }

    static boolean hasRelease(Path dir) {
        return IntStream.rangeClosed(1, 5).allMatch(i -> Files.isRegularFile(dir.resolve("u" + i + ".test"))
                && Files.isRegularFile(dir.resolve("u" + i + ".base")));
    }

    /** Seeded k-fold: a shuffle of the rows cut into k parts, each the test set once. */
    static List<Fold> kfold(int n, int k, long seed) {
        if (k < 2 || k > n) {
            throw new IllegalArgumentException("k-fold needs 2.." + n + " folds, got " + k);
        }
        int[] order = IntStream.range(0, n).toArray();
        Splits.shuffle(order, new Random(seed));
        List<Fold> folds = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            int from = (int) ((long) n * f / k);
            int to = (int) ((long) n * (f + 1) / k);
            int[] test = Arrays.copyOfRange(order, from, to);
            int[] train = new int[n - test.length];
            System.arraycopy(order, 0, train, 0, from);
            System.arraycopy(order, to, train, from, n - to);
            Arrays.sort(test);
            Arrays.sort(train);
            folds.add(new Fold("fold " + (f + 1), new Split(train, test)));
        }
        return folds;
    }

    /** The rows of {@code r} named by the release's {@code name.base} and {@code name.test}. */
    static Fold release(Ratings r, String name) {
        Path dir = r.source();
        Map<Long, Integer> row = new HashMap<>(r.size() * 2);
        for (int i = 0; i < r.size(); i++) {
            row.put(key(r.userVocab().id(r.user()[i]), r.movieVocab().id(r.movie()[i])), i);
        }
        int[] train = rows(dir.resolve(name + ".base"), row);
        int[] test = rows(dir.resolve(name + ".test"), row);
        return new Fold(name, new Split(train, test));
    }

    private static long key(String user, String movie) {
        return Long.parseLong(user) * 10_000_000L + Long.parseLong(movie);
    }

    private static int[] rows(Path file, Map<Long, Integer> row) {
        if (!Files.isRegularFile(file)) {
            throw BadInputException.inFile(file, "not found: this protocol needs ml-100k's split files (u1..u5, ua, ub .base/.test)"
                    + " beside u.data");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            BadInputException located = TextFiles.invalidBytes(file, StandardCharsets.US_ASCII);
            throw located != null ? located : BadInputException.inFile(file, "cannot read: " + e.getMessage());
        }
        int[] out = new int[lines.size()];
        int n = 0;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty()) {
                continue;
            }
            String[] f = l.split("\t");
            Integer r;
            try {
                r = f.length < 3 ? null : row.get(key(f[0].strip(), f[1].strip()));
            } catch (NumberFormatException e) {
                r = null;
            }
            if (r == null) {
                throw BadInputException.at(file, i + 1, "line", "not a rating of u.data: '" + l + "'");
            }
            out[n++] = r;
        }
        int[] rows = Arrays.copyOf(out, n);
        Arrays.sort(rows);
        return rows;
    }
}
