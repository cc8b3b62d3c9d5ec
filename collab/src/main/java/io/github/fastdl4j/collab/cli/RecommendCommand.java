package io.github.fastdl4j.collab.cli;

import io.github.fastdl4j.collab.interpret.CollabInterpretation;
import io.github.fastdl4j.collab.interpret.FoldIn;
import io.github.fastdl4j.collab.interpret.Ranked;
import io.github.fastdl4j.collab.model.CollabModel;
import io.github.fastdl4j.common.cli.BackendInfo;
import io.github.fastdl4j.common.cli.Checks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = "The unseen movies with the highest predicted rating for a user, or for a new user from a few "
                + "ratings (--rated: folded in, no retraining).")
final class RecommendCommand implements Callable<Integer> {
    @Option(names = "--user", description = "User id as in the data, e.g. 42.")
    String user;
    @Option(names = "--rated", paramLabel = "TITLE=RATING,...",
            description = "A new user's ratings, e.g. \"Star Wars (1977)=5,Fargo (1996)=4,Titanic (1997)=1\" "
                    + "(a title or part of one, or id:ID, then = and the rating).")
    String rated;
    @Option(names = "--lambda", converter = Checks.PositiveDouble.class,
            description = "Ridge penalty of the fold-in (default: ${DEFAULT-VALUE}).")
    double lambda = FoldIn.LAMBDA;
    @Mixin
    QueryOptions query;
    @Spec
    CommandSpec spec;

    private static final Pattern PAIR = Pattern.compile(
            "\\s*(.+?)\\s*=\\s*(-?\\d+(?:\\.\\d+)?)\\s*(?:,|$)");

    @Override
    public Integer call() {
        if ((user == null) == (rated == null)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give --user or --rated (one of them)");
        }
        Map<String, Double> pairs = new LinkedHashMap<>();
        if (rated != null) {
            Matcher mt = PAIR.matcher(rated);
            int end = 0;
            Map<String, String> seenKeys = new HashMap<>();
            while (end < rated.length() && mt.find(end) && mt.start() == end) {
                String other = seenKeys.putIfAbsent(mt.group(1).toLowerCase(Locale.ROOT), mt.group(1));
                if (other != null) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--rated: '" + mt.group(1)
                            + "' is rated twice: give each movie once");
                }
                pairs.put(mt.group(1), Double.parseDouble(mt.group(2)));
                end = mt.end();
            }
            if (pairs.isEmpty() || end < rated.strip().length()) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--rated: expected TITLE=RATING pairs "
                        + "separated by commas, e.g. \"Fargo (1996)=4,id:50=5\", got '" + rated + "'");
            }
        }
        System.err.println(BackendInfo.current().line());
        CollabModel m = CollabModel.load(query.modelFile);
        CollabInterpretation in = new CollabInterpretation(m);
        if (user != null) {
            List<Ranked> rec = in.recommend(user, query.k);
            RankedLists.print("Recommended for user " + user + " (predicted rating)", rec);
            fewer(rec, query.k);
            return 0;
        }
        // a rating off the model's scale would be folded in as it is (99 stars makes a user who loves everything)
        double[] scale = m.ratingScale();
        pairs.forEach((key, r) -> {
            if (!(r >= scale[0] && r <= scale[1])) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--rated: '" + key + "' is rated "
                        + HyperOptions.num(r) + ", outside the model's ratings " + HyperOptions.num(scale[0]) + ".." + HyperOptions.num(scale[1]));
            }
        });
        Map<Integer, Double> byMovie = new LinkedHashMap<>();
        Map<Integer, String> keyOf = new HashMap<>();
        pairs.forEach((key, r) -> {
            int movie = key.startsWith("id:") ? in.movieIndexOfId(key.substring(3).strip()) : in.findMovie(key);
            String other = keyOf.putIfAbsent(movie, key);
            if (other != null) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--rated: '" + other + "' and '" + key
                        + "' are the same movie, " + m.title(movie) + " [" + m.movies().id(movie) + "]: give each movie once");
            }
            byMovie.put(movie, r);
        });
        if (byMovie.size() >= m.movies().size() - 1) {
            throw new IllegalArgumentException("--rated rates every movie the model knows (" + (m.movies().size() - 1)
                    + "): there is nothing left to recommend");
        }
        FoldIn.User u = FoldIn.user(m, byMovie, lambda);
        System.out.printf(Locale.ROOT, "a new user from %d ratings (folded in: movie side as trained, ridge lambda %g): bias %.3f%n",
                byMovie.size(), lambda, u.bias());
        byMovie.forEach((movie, r) -> System.out.printf(Locale.ROOT, "  rated %.1f  %s%n", r, m.title(movie)));
        List<Ranked> rec = in.recommend(u, byMovie.keySet(), query.k);
        RankedLists.print("Recommended for the new user (predicted rating)", rec);
        fewer(rec, query.k);
        return 0;
    }

    private static void fewer(List<Ranked> rec, int k) {
        if (rec.size() < k) {
            System.out.printf(Locale.ROOT, "(only %d unrated movie%s: fewer than -k %d)%n", rec.size(), rec.size() == 1 ? "" : "s", k);
        }
    }
}
