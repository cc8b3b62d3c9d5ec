package io.github.fastdl4j.collab.cli;

import io.github.fastdl4j.collab.CollabLearner;
import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.collab.data.RatingsGenerator;
import io.github.fastdl4j.collab.evaluate.Evaluation;
import io.github.fastdl4j.collab.evaluate.Evaluation.Summary;
import io.github.fastdl4j.collab.evaluate.Protocol;
import io.github.fastdl4j.collab.interpret.CollabInterpretation;
import io.github.fastdl4j.collab.interpret.Ranked;
import io.github.fastdl4j.collab.model.CollabKind;
import io.github.fastdl4j.collab.model.CollabModel;
import io.github.fastdl4j.common.cli.AdamModeConverter;
import io.github.fastdl4j.common.cli.BackendInfo;
import io.github.fastdl4j.common.cli.Checks;
import io.github.fastdl4j.common.cli.Cli;
import io.github.fastdl4j.common.cli.CommonOptions;
import io.github.fastdl4j.common.cli.FitOptions;
import io.github.fastdl4j.common.cli.MemoryPeaks;
import io.github.fastdl4j.common.cli.ParsingConverter;
import io.github.fastdl4j.common.cli.TrainRun;
import io.github.fastdl4j.common.cli.TrainingOptions;
import io.github.fastdl4j.common.data.Datasets;
import io.github.fastdl4j.common.io.RunFolder;
import io.github.fastdl4j.common.module.AdamW;
import io.github.fastdl4j.common.train.FitResult;
import io.github.fastdl4j.common.train.LrFindResult;
import io.github.fastdl4j.common.train.Provenance;
import io.github.fastdl4j.common.train.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ./fastdl4j collab ...}: train, interpret, similar, recommend, bench. */
@Command(name = "collab", mixinStandardHelpOptions = true,
        description = "Collaborative filtering on MovieLens (ml-100k by default).",
        subcommands = {CollabMain.Train.class, CollabMain.LrFind.class, CollabMain.Interpret.class,
                CollabMain.Similar.class, CollabMain.Predict.class, CollabMain.Recommend.class, CollabMain.Bench.class, CollabMain.Evaluate.class,
                CollabMain.Generate.class})
public final class CollabMain implements Runnable {

    public static void main(String[] args) {
        System.exit(Cli.execute(new CollabMain(), "collab", args));
    }

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** Training options shared by train, lr-find and bench; the lesson's defaults. */
    static class Hyper extends FitOptions {
        @Option(names = "--factors", converter = Checks.PositiveInt.class, description = "Latent factors (default: ${DEFAULT-VALUE}).")
        int factors = 50;
        @Option(names = "--layers", split = ",", converter = Checks.PositiveInt.class,
                description = "Hidden layers: nn, nn-layers and hybrid use the first (default 100), nn-bn all (default 100,50).")
        int[] layers;
        @picocli.CommandLine.Mixin
        RatingsOptions source;
        @Option(names = "--adam", description = "dense (fastai's: every parameter at every step) or lazy (only the batch's rows of "
                + "dot, dot-linear and bpr; the same result, faster) (default: lazy for those, dense for the others).",
                converter = AdamModeConverter.class)
        AdamW.Mode adam; // null: the model kind's default

        /** The mode this model trains with: --adam, or the kind's default. */
        AdamW.Mode adamFor(CollabKind kind) {
            return adam != null ? adam : kind.defaultAdam();
        }

        Hyper() {
            super(5, 5e-3, 0.1, 64);
        }

        Ratings load(CommonOptions common) {
            Ratings r = source.load(common);
            double[] y = r.yRange();
            System.out.printf(Locale.ROOT, "rating scale %s..%s, y_range (%s, %s)%n", num(r.minRating()), num(r.maxRating()),
                    num(y[0]), num(y[1]));
            return r;
        }

        /** The ratings options, checked against each other before anything is read ({@link RatingsOptions#check}). */
        void checkSource(CommandSpec spec) {
            source.check(spec.commandLine());
        }

        /** --adam lazy only changes the models with row-sparse tables: elsewhere it is a mistake worth saying. */
        void checkAdam(CommandSpec spec, CollabKind kind) {
            if (adam == AdamW.Mode.LAZY && !kind.rowSparse()) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--adam lazy applies to dot, dot-linear and "
                        + "bpr (their embedding tables), not " + kind);
            }
        }

        static String num(double v) {
            return io.github.fastdl4j.common.data.CsvTable.keyOf(v);
        }

        CollabLearner learner(Ratings r, CollabKind kind, long seed) {
            double[] y = r.yRange();
            CollabLearner.Builder b = CollabLearner.of(r).model(kind).nFactors(factors).yRange(y[0], y[1])
                    .batchSize(batchSize).seed(seed).adam(adamFor(kind));
            if (layers != null) {
                b.layers(layers);
            }
            return b.build();
        }
    }

    /** The {@code --model} option of train and lr-find. */
    static class ModelChoice {
        @Option(names = "--model", converter = KindConverter.class,
                description = "dot | dot-linear | dot-layers | nn | nn-layers | nn-bn | hybrid | bpr (implicit feedback: ranks, does not "
                        + "rate) (default: ${DEFAULT-VALUE}).")
        CollabKind kind = CollabKind.DOT;
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train a model; writes model.zip, metrics.json and charts to --out.")
    static final class Train implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        CommonOptions common;
        @Mixin
        Hyper hyper;
        @Mixin
        ModelChoice model;
        @Mixin
        TrainingOptions training;

        @Override
        public Integer call() throws IOException {
            CollabKind kind = model.kind;
            hyper.checkSource(spec);
            hyper.checkAdam(spec, kind);
            try (TrainRun run = TrainRun.start("collab", kind.cliName(), spec, common, training)) {
                Ratings r = hyper.load(common);
                System.out.println(r.summary());
                CollabLearner learn = hyper.learner(r, kind, common.seed);
                System.out.println(learn.learner().model().describe());
                String noChart = CollabInterpretation.pcaChartNote(r.movies().size() - 1,
                        learn.model().movieFactors()[0].length);
                if (noChart != null) {
                    System.out.println("note: " + noChart);
                }
                run.attach(learn.learner(), r.checksum());
                FitResult fit = learn.fitOneCycle(hyper.epochs, hyper.lr, hyper.wd);
                System.out.println();
                System.out.println("show_results (validation ratings):");
                System.out.printf(Locale.ROOT, "  %-8s %-48s %6s %9s%n", "user", "movie", "rating", "predicted");
                for (CollabLearner.Result x : learn.showResults(8, common.seed)) {
                    System.out.printf(Locale.ROOT, "  %-8s %-48s %6.1f %9.2f%n", x.user(),
                            x.movie().length() > 48 ? x.movie().substring(0, 47) + "~" : x.movie(), x.actual(), x.predicted());
                }
                hyper.source.leaveOutUnused(run.config());
                run.config().put("valid_pct", 0.2);
                run.config().put("y_range", java.util.Arrays.stream(r.yRange()).boxed().toList());
                run.finish(learn.model()::save, r.checksum(),
                        run.report(fit, Map.of("train_samples", learn.split().train().length,
                                "valid_samples", learn.split().valid().length)),
                        charts -> {
                            fit.plot(charts, "");
                            new CollabInterpretation(learn.model()).writeCharts(charts);
                        },
                        String.format(Locale.ROOT, "valid mse %.4f (epoch %d), %.0f ratings/s", fit.kept().validLoss(),
                                fit.kept().epoch(), fit.samplesPerSecond()));
            }
            return 0;
        }
    }

    @Command(name = "lr-find", mixinStandardHelpOptions = true,
            description = "fastai's learning-rate finder: prints suggestions, writes lr_find.png to --out.")
    static final class LrFind implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        CommonOptions common;
        @Mixin
        Hyper hyper;
        @Mixin
        ModelChoice model;

        @Override
        public Integer call() throws IOException {
            CollabKind kind = model.kind;
            hyper.checkSource(spec);
            try (RunFolder out = common.openOut("collab-lr-find-" + kind.cliName(), java.util.Set.of("lr_find.png"))) {
                System.out.println(BackendInfo.current().line());
                CollabLearner learn = hyper.learner(hyper.load(common), kind, common.seed);
                LrFindResult r = learn.learner().lrFind();
                r.plot(out.resolve("lr_find.png"));
                out.commit();
                System.out.printf(Locale.ROOT, "suggested learning rates: %s (%d steps); "
                        + "wrote %s%n", r.suggestions(), r.lrs().length, out.target().resolve("lr_find.png"));
            }
            return 0;
        }
    }

    /** Model names to {@link CollabKind}; a bad name is a usage error (exit code 2). */
    static final class KindConverter extends ParsingConverter<CollabKind> {
        KindConverter() {
            super(CollabKind::of);
        }
    }

    @Command(name = "interpret", mixinStandardHelpOptions = true,
            description = "Bias rankings, PCA of the movie factors, charts.")
    static final class Interpret implements Callable<Integer> {
        @Option(names = "--model-file", required = true, description = "A model.zip from train.")
        Path modelFile;
        @Option(names = {"-k"}, converter = Checks.PositiveInt.class, description = "Entries per list (default: ${DEFAULT-VALUE}).")
        int k = 10;
        @Option(names = "--out", description = "Folder for the charts (default: next to the model, charts/).")
        Path out;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            // charts are written into the folder (not a run folder of another command, not over the model)
            io.github.fastdl4j.common.cli.Outputs.checkSharedFolder(spec, "--out", out,
                    java.util.Set.of("movie_bias.png", "movie_pca.png"));
            System.err.println(BackendInfo.current().line());
            CollabModel m = CollabModel.load(modelFile);
            CollabInterpretation in = new CollabInterpretation(m);
            if (m.kind().hasBiases()) {
                print("Lowest movie biases (rated low even by users whose tastes match the movie)", in.movieBiases(k, false));
                print("Highest movie biases (rated high even by users whose tastes do not match)", in.movieBiases(k, true));
                print("Lowest user biases (harsh raters)", in.userBiases(k, false));
                print("Highest user biases (generous raters)", in.userBiases(k, true));
            } else {
                System.out.println("(the " + m.kind() + " model has no biases: only the PCA of its movie embedding)");
            }
            int movies = m.movies().size() - 1;
            if (k > movies || (m.kind().hasBiases() && k > m.users().size() - 1)) {
                System.out.printf(Locale.ROOT, "%n(the model knows %d movie%s and %d user%s: lists hold at most that many, fewer than -k %d)%n",
                        movies, movies == 1 ? "" : "s", m.users().size() - 1, m.users().size() == 2 ? "" : "s", k);
            }
            // n movies of d factors have at most min(n - 1, d) components: 3 movies give 2, 2 movies 1
            int components = in.pcaComponents(3);
            if (components == 0) {
                System.out.printf(Locale.ROOT, "%n(no PCA of the movie factors: the model knows %d movie%s)%n", movies, movies == 1 ? "" : "s");
            }
            CollabInterpretation.MoviePca p = components == 0 ? null : in.moviePca(Math.min(1000, movies), components);
            double[] ev = p == null ? new double[0] : p.pca().explainedVarianceRatio();
            if (p != null) {
                System.out.printf(Locale.ROOT, "%nPCA of the movie factors (%d most-rated movies): explained variance %s%n",
                        p.movies().length, String.join(", ", java.util.Arrays.stream(ev).mapToObj(v -> String.format(Locale.ROOT, "%.3f", v))
                                .toList()));
            }
            // the ends of each component, at most half the movies each so that the two lists do not overlap
            int shown = p == null ? 0 : Math.max(1, Math.min(5, p.movies().length / 2));
            for (int c = 0; c < Math.min(2, ev.length); c++) {
                final int comp = c;
                Integer[] order = new Integer[p.movies().length];
                for (int i = 0; i < order.length; i++) {
                    order[i] = i;
                }
                java.util.Arrays.sort(order, java.util.Comparator.comparingDouble(i -> p.pca().projected()[i][comp]));
                System.out.printf("PC%d low:  %s%n", c + 1, titles(m, p, order, 0, shown));
                System.out.printf("PC%d high: %s%n", c + 1, titles(m, p, order, order.length - shown, order.length));
            }
            String noChart = CollabInterpretation.pcaChartNote(movies, m.movieFactors()[0].length);
            if (noChart != null) {
                System.out.println("note: " + noChart);
            }
            Path dir = out != null ? out : (modelFile.toAbsolutePath().getParent().resolve("charts"));
            in.writeCharts(dir);
            System.out.println("charts in " + dir);
            return 0;
        }

        private static String titles(CollabModel m, CollabInterpretation.MoviePca p, Integer[] order, int from, int to) {
            StringBuilder sb = new StringBuilder();
            for (int i = from; i < to; i++) {
                sb.append(i > from ? "; " : "").append(m.title(p.movies()[order[i]]));
            }
            return sb.toString();
        }
    }

    static void print(String title, List<Ranked> rows) {
        System.out.println();
        System.out.println(title + ":");
        for (Ranked r : rows) {
            System.out.printf(Locale.ROOT, "  %8.4f  %s%n", r.value(), r.name());
        }
    }

    /** Options of the commands that answer from a saved model. */
    static class Query {
        @Option(names = "-k", converter = Checks.PositiveInt.class, description = "How many (default: ${DEFAULT-VALUE}).")
        int k = 10;
        @Option(names = "--model-file", required = true, description = "A model.zip from train.")
        Path modelFile;
    }

    @Command(name = "similar", mixinStandardHelpOptions = true,
            description = "Movies nearest to one, by cosine similarity of their factors.")
    static final class Similar implements Callable<Integer> {
        @Parameters(paramLabel = "TITLE", arity = "0..1",
                description = "A title or part of one, case-insensitive, e.g. \"Silence of the Lambs\" (or --movie-id).")
        String title;
        @Option(names = "--movie-id", description = "The movie's id as in the data (tells apart movies with the same title).")
        String movieId;
        @Option(names = "--min-ratings", converter = Checks.NonNegativeInt.class,
                description = "Only movies with at least this many training ratings (rarely rated ones have noisy factors) (default: ${DEFAULT-VALUE}).")
        int minRatings = 20;
        @Mixin
        Query query;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if ((title == null) == (movieId == null) || (title != null && title.isBlank())) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give a TITLE or --movie-id (one of them)");
            }
            System.err.println(BackendInfo.current().line());
            CollabModel m = CollabModel.load(query.modelFile);
            CollabInterpretation in = new CollabInterpretation(m);
            int target = movieId != null ? in.movieIndexOfId(movieId) : in.findMovie(title);
            List<Ranked> near = in.similar(target, query.k, minRatings, true);
            print("Nearest to " + m.title(target) + " [" + m.movies().id(target) + "] (cosine similarity; movies with at least "
                    + minRatings + " ratings)", near);
            if (near.size() < query.k) {
                System.out.printf(Locale.ROOT, "(only %d other movie%s with at least %d ratings: fewer than -k %d)%n", near.size(),
                        near.size() == 1 ? "" : "s", minRatings, query.k);
            }
            String caveat = in.distanceCaveat();
            if (caveat != null) {
                System.out.println();
                System.out.println("note: " + caveat);
            }
            return 0;
        }
    }

    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = "The model's rating for one user and one movie.")
    static final class Predict implements Callable<Integer> {
        @Option(names = "--user", required = true, description = "User id as in the data, e.g. 42.")
        String user;
        @Option(names = "--movie", description = "A title or part of one, e.g. \"Fargo (1996)\".")
        String movie;
        @Option(names = "--movie-id", description = "The movie's id as in the data.")
        String movieId;
        @Option(names = "--model-file", required = true, description = "A model.zip from train.")
        Path modelFile;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if ((movie == null) == (movieId == null)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give --movie or --movie-id (one of them)");
            }
            System.err.println(BackendInfo.current().line());
            CollabModel m = CollabModel.load(modelFile);
            CollabInterpretation in = new CollabInterpretation(m);
            int target = movieId != null ? in.movieIndexOfId(movieId) : in.findMovie(movie);
            CollabInterpretation.Prediction p = in.predict(user, target);
            System.out.printf(Locale.ROOT, "user %s, %s [%s]: predicted rating %.2f%s%n", user, m.title(target),
                    m.movies().id(target), p.predicted(), p.seen() ? " (the user rated it in the training data)" : "");
            return 0;
        }
    }

    @Command(name = "recommend", mixinStandardHelpOptions = true,
            description = "The unseen movies with the highest predicted rating for a user, or for a new user from a few "
                    + "ratings (--rated: folded in, no retraining).")
    static final class Recommend implements Callable<Integer> {
        @Option(names = "--user", description = "User id as in the data, e.g. 42.")
        String user;
        @Option(names = "--rated", paramLabel = "TITLE=RATING,...",
                description = "A new user's ratings, e.g. \"Star Wars (1977)=5,Fargo (1996)=4,Titanic (1997)=1\" "
                        + "(a title or part of one, or id:ID, then = and the rating).")
        String rated;
        @Option(names = "--lambda", converter = Checks.PositiveDouble.class,
                description = "Ridge penalty of the fold-in (default: ${DEFAULT-VALUE}).")
        double lambda = io.github.fastdl4j.collab.interpret.FoldIn.LAMBDA;
        @Mixin
        Query query;
        @Spec
        CommandSpec spec;

        private static final java.util.regex.Pattern PAIR = java.util.regex.Pattern.compile(
                "\\s*(.+?)\\s*=\\s*(-?\\d+(?:\\.\\d+)?)\\s*(?:,|$)");

        @Override
        public Integer call() {
            if ((user == null) == (rated == null)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give --user or --rated (one of them)");
            }
            Map<String, Double> pairs = new LinkedHashMap<>();
            if (rated != null) {
                java.util.regex.Matcher mt = PAIR.matcher(rated);
                int end = 0;
                Map<String, String> seenKeys = new java.util.HashMap<>();
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
                print("Recommended for user " + user + " (predicted rating)", rec);
                fewer(rec, query.k);
                return 0;
            }
            // a rating off the model's scale would be folded in as it is (99 stars makes a user who loves everything)
            double[] scale = m.ratingScale();
            pairs.forEach((key, r) -> {
                if (!(r >= scale[0] && r <= scale[1])) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--rated: '" + key + "' is rated "
                            + Hyper.num(r) + ", outside the model's ratings " + Hyper.num(scale[0]) + ".." + Hyper.num(scale[1]));
                }
            });
            Map<Integer, Double> byMovie = new LinkedHashMap<>();
            Map<Integer, String> keyOf = new java.util.HashMap<>();
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
            io.github.fastdl4j.collab.interpret.FoldIn.User u = io.github.fastdl4j.collab.interpret.FoldIn.user(m, byMovie, lambda);
            System.out.printf(Locale.ROOT, "a new user from %d ratings (folded in: movie side as trained, ridge lambda %g): bias %.3f%n",
                    byMovie.size(), lambda, u.bias());
            byMovie.forEach((movie, r) -> System.out.printf(Locale.ROOT, "  rated %.1f  %s%n", r, m.title(movie)));
            List<Ranked> rec = in.recommend(u, byMovie.keySet(), query.k);
            print("Recommended for the new user (predicted rating)", rec);
            fewer(rec, query.k);
            return 0;
        }

        private static void fewer(List<Ranked> rec, int k) {
            if (rec.size() < k) {
                System.out.printf(Locale.ROOT, "(only %d unrated movie%s: fewer than -k %d)%n", rec.size(), rec.size() == 1 ? "" : "s", k);
            }
        }
    }

    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "Train each model and print one JSON line per model (speed and validation MSE).")
    static final class Bench implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        CommonOptions common;
        @Mixin
        Hyper hyper;
        @Option(names = "--models", split = ",", converter = KindConverter.class,
                description = "Models to run (default: the lesson's six: dot,dot-layers,nn,nn-layers,nn-bn,hybrid; also dot-linear).")
        List<CollabKind> models = java.util.Arrays.stream(CollabKind.values()).filter(k -> k != CollabKind.DOT_LINEAR && !k.implicit()).toList();

        @Override
        public Integer call() throws IOException {
            common.noOutput(); // its results go to stdout: a --out is a mistake, not ignored
            hyper.checkSource(spec);
            BackendInfo backend = BackendInfo.current();
            System.err.println(backend.line());
            long l0 = System.nanoTime();
            Ratings r = hyper.load(common);
            double loadSeconds = Math.round((System.nanoTime() - l0) / 1e7) / 100.0; // the whole load: ratings and metadata
            for (CollabKind kind : models) {
                MemoryPeaks.reset();
                CollabLearner learn = hyper.learner(r, kind, common.seed);
                learn.learner().quiet(true);
                long t0 = System.nanoTime();
                FitResult fit = learn.fitOneCycle(hyper.epochs, hyper.lr, hyper.wd);
                double wall = (System.nanoTime() - t0) / 1e9;
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("model", kind.cliName());
                line.put("adam", hyper.adamFor(kind).name().toLowerCase(Locale.ROOT));
                line.put("dataset", String.valueOf(r.source().getFileName()));
                line.put("rows", r.size());
                line.put("load_seconds", loadSeconds);
                line.put("epochs", hyper.epochs);
                line.put("batch_size", hyper.batchSize);
                line.put("samples_per_sec", Math.round(fit.samplesPerSecond()));
                line.put("seconds_per_epoch", Math.round(wall / hyper.epochs * 100) / 100.0);
                line.put("valid_mse", Math.round(fit.last().validLoss() * 1e4) / 1e4);
                MemoryPeaks.putInto(line);
                line.put("backend", backend.shortName());
                System.out.println(RunReport.jsonLine(line));
            }
            return 0;
        }
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true,
            description = "Evaluate a model the way recommender libraries publish results: RMSE, MAE and top-N ranking "
                    + "metrics per fold of a protocol (ml-100k's u1..u5, ua, ub, or k-fold), mean and std, beside the "
                    + "popularity baseline; one JSON line at the end.")
    static final class Evaluate implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        CommonOptions common;
        @Mixin
        EvaluateOptions eval;
        @Mixin
        Hyper hyper;
        @Mixin
        ModelChoice model;
        @Option(names = "--ensemble", converter = Checks.PositiveInt.class,
                description = "Train this many models (seeds seed, seed+1, ...) and average them (default: ${DEFAULT-VALUE}).")
        int ensemble = 1;

        @Override
        public Integer call() throws IOException {
            common.noOutput(); // its results go to stdout: a --out is a mistake, not ignored
            eval.check(spec.commandLine());
            hyper.checkSource(spec);
            BackendInfo backend = BackendInfo.current();
            System.out.println(backend.line());
            Ratings r = hyper.load(common);
            System.out.println(r.summary());
            List<Protocol.Fold> folds = eval.protocol.folds(r, eval.folds, common.seed, eval.given); // data too small: said here
            Evaluation.Config c = new Evaluation.Config(model.kind, hyper.factors, hyper.layers, hyper.epochs, hyper.lr, hyper.wd,
                    hyper.batchSize, hyper.adamFor(model.kind), common.seed, eval.k, eval.relevant, eval.onValid(), ensemble);
            System.out.printf(Locale.ROOT, "protocol %s%s, model %s (%d epochs, lr %g, wd %g, %d factors), measured on %s; "
                            + "relevant = held-out ratings >= %g, lists of %d unrated items; predicted ratings clipped to the scale%n", eval.protocol.cliName(),
                    eval.protocol.usesRelease(r, eval.folds) ? " (ml-100k's own split files)" : "", model.kind, hyper.epochs, hyper.lr, hyper.wd,
                    hyper.factors, eval.onValid() ? "a seeded 10% of each fold's training ratings (the test ratings are not read)"
                            : "the held-out ratings", eval.relevant, eval.k);
            String head = String.format(Locale.ROOT, "%-34s %7s %7s %7s %7s %7s %7s %8s %7s %7s %8s %7s %9s", "fold", "train", "test",
                    "rmse", "mae", "p@" + eval.k, "r@" + eval.k, "ndcg@" + eval.k, "map@" + eval.k, "hit@" + eval.k, "coverage", "secs", "bias rmse");
            System.out.println(head);
            List<Evaluation.FoldResult> results = new java.util.ArrayList<>();
            for (Protocol.Fold f : folds) {
                Evaluation.FoldResult x = Evaluation.fold(r, f, c);
                results.add(x);
                System.out.println(row(x.fold(), x.trainRatings(), x.testRatings(), x.rmse(), x.mae(), x.model(),
                        x.trainSeconds() + x.rankSeconds()) + String.format(Locale.ROOT, " %9.4f", x.biasRmse()));
            }
            Summary rmse = Summary.of(results, Evaluation.FoldResult::rmse);
            Summary mae = Summary.of(results, Evaluation.FoldResult::mae);
            Summary biasRmse = Summary.of(results, Evaluation.FoldResult::biasRmse);
            Map<String, Summary> rank = Evaluation.rankingSummary(results, Evaluation.FoldResult::model);
            Map<String, Summary> pop = Evaluation.rankingSummary(results, Evaluation.FoldResult::popularity);
            System.out.println(String.format(Locale.ROOT, "%-34s %7s %7s %7.4f %7.4f %7.4f %7.4f %8.4f %7.4f %7.4f %8.4f", "mean", "", "",
                    rmse.mean(), mae.mean(), rank.get("precision").mean(), rank.get("recall").mean(), rank.get("ndcg").mean(),
                    rank.get("map").mean(), rank.get("hit").mean(), rank.get("coverage").mean()));
            System.out.println(String.format(Locale.ROOT, "%-34s %7s %7s %7.4f %7.4f %7.4f %7.4f %8.4f %7.4f %7.4f %8.4f", "std", "", "",
                    rmse.std(), mae.std(), rank.get("precision").std(), rank.get("recall").std(), rank.get("ndcg").std(),
                    rank.get("map").std(), rank.get("hit").std(), rank.get("coverage").std()));
            System.out.println(String.format(Locale.ROOT, "%-34s %7s %7s %7s %7s %7.4f %7.4f %8.4f %7.4f %7.4f %8.4f",
                    "popularity baseline (mean)", "", "", "", "", pop.get("precision").mean(), pop.get("recall").mean(),
                    pop.get("ndcg").mean(), pop.get("map").mean(), pop.get("hit").mean(), pop.get("coverage").mean()));
            double gap = rank.get("ndcg").mean() - pop.get("ndcg").mean();
            System.out.printf(Locale.ROOT, "bias-only baseline rmse %.4f (mean + user bias + movie bias)%n", biasRmse.mean());
            System.out.printf(Locale.ROOT, "%s ndcg@%d: %s %.4f vs popularity %.4f%n", gap > 0 ? "beats popularity on" : "LOSES to popularity on",
                    eval.k, model.kind, rank.get("ndcg").mean(), pop.get("ndcg").mean());
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("protocol", eval.protocol.cliName());
            if (eval.protocol == Protocol.COLD_USERS || eval.protocol == Protocol.COLD_MOVIES) {
                line.put("given", eval.given);
            }
            line.put("release_files", eval.protocol.usesRelease(r, eval.folds));
            line.put("on", eval.on);
            line.put("model", model.kind.cliName());
            line.put("epochs", hyper.epochs);
            line.put("lr", hyper.lr);
            line.put("wd", hyper.wd);
            line.put("factors", hyper.factors);
            line.put("bs", hyper.batchSize);
            line.put("folds", results.size());
            line.put("ensemble", ensemble);
            line.put("k", eval.k);
            line.put("relevant", eval.relevant);
            line.put("rmse_mean", rmse.mean());
            line.put("rmse_std", rmse.std());
            line.put("mae_mean", mae.mean());
            line.put("mae_std", mae.std());
            line.put("bias_baseline_rmse_mean", biasRmse.mean());
            rank.forEach((name, v) -> {
                line.put(name + "_mean", v.mean());
                line.put(name + "_std", v.std());
            });
            pop.forEach((name, v) -> line.put("popularity_" + name + "_mean", v.mean()));
            line.put("seconds", results.stream().mapToDouble(x -> x.trainSeconds() + x.rankSeconds()).sum());
            line.put("rank_seconds_per_fold", results.stream().mapToDouble(Evaluation.FoldResult::rankSeconds).average().orElse(0));
            line.put("backend", backend.shortName());
            System.out.println(RunReport.jsonLine(line));
            return 0;
        }

        private String row(String fold, int train, int test, double rmse, double mae, Evaluation.RankingResult x, double secs) {
            return String.format(Locale.ROOT, "%-34s %7d %7d %7.4f %7.4f %7.4f %7.4f %8.4f %7.4f %7.4f %8.4f %7.1f",
                    fold.length() > 34 ? fold.substring(0, 34) : fold, train, test, rmse, mae, x.precision(), x.recall(), x.ndcg(),
                    x.map(), x.hit(), x.coverage(), secs);
        }
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Synthetic ratings with planted structure (ratings.csv layout) and truth.json (best possible MSE).")
    static final class Generate implements Callable<Integer> {
        @Option(names = "--users", required = true, converter = Checks.PositiveInt.class, description = "Users.")
        int users;
        @Option(names = "--movies", required = true, converter = Checks.PositiveInt.class, description = "Movies.")
        int movies;
        @Option(names = "--ratings", required = true, converter = Checks.PositiveLong.class,
                description = "Ratings to write (each user rates at most half the movies).")
        long ratings;
        @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed = 1;
        @Option(names = "--rank", converter = Checks.PositiveInt.class, description = "Rank of the planted tastes (default: ${DEFAULT-VALUE}).")
        int rank = 8;
        @Option(names = "--noise", converter = Checks.NonNegativeDouble.class,
                description = "Sigma of the noise before rounding to half stars (default: ${DEFAULT-VALUE}).")
        double noise = 0.5;
        @Option(names = "--out", required = true, description = "Folder to write.")
        Path out;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            RatingsGenerator.Config config;
            try {
                config = new RatingsGenerator.Config(users, movies, ratings, seed, rank, noise);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), e.getMessage());
            }
            try (RunFolder folder = RunFolder.open(out, spec.qualifiedName(" "), java.util.Set.of("ratings.csv", "truth.json"))) {
                long t0 = System.nanoTime();
                RatingsGenerator.Summary s = RatingsGenerator.write(config, folder.dir());
                folder.commit();
                System.out.printf(Locale.ROOT, "SIMULATED ratings: %,d rows (%d users, %d movies, rank %d, noise %.2f), mean %.3f, "
                            + "best possible MSE %.4f, in %.1f s; wrote %s and truth.json%n",
                        s.rows(), users, movies, rank, noise, s.mean(), s.bestMse(), (System.nanoTime() - t0) / 1e9,
                        folder.target().resolve(s.file().getFileName()));
            }
            return 0;
        }
    }
}
