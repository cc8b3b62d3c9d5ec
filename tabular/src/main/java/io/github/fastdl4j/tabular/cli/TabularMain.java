package io.github.fastdl4j.tabular.cli;

import io.github.fastdl4j.common.cli.BackendInfo;
import io.github.fastdl4j.common.cli.Checks;
import io.github.fastdl4j.common.cli.CsvFormatOptions;
import io.github.fastdl4j.common.cli.Cli;
import io.github.fastdl4j.common.cli.CommonOptions;
import io.github.fastdl4j.common.cli.FitOptions;
import io.github.fastdl4j.common.cli.TrainRun;
import io.github.fastdl4j.common.cli.TrainingOptions;
import io.github.fastdl4j.common.train.LrFindResult;
import io.github.fastdl4j.common.train.Provenance;
import io.github.fastdl4j.common.data.DataException;
import io.github.fastdl4j.common.io.AtomicFiles;
import io.github.fastdl4j.common.io.RunFolder;
import io.github.fastdl4j.common.dl4j.OneDnnHelpers;
import io.github.fastdl4j.common.train.FitResult;
import io.github.fastdl4j.common.train.ModelArchive;
import io.github.fastdl4j.common.train.RunReport;
import io.github.fastdl4j.tabular.TabularLearner;
import io.github.fastdl4j.tabular.TabularLearnerBuilder;
import io.github.fastdl4j.tabular.data.Rossmann;
import io.github.fastdl4j.tabular.data.RossmannFeatures;
import io.github.fastdl4j.tabular.data.ShopSales;
import io.github.fastdl4j.tabular.data.ShopSalesSimulator;
import io.github.fastdl4j.tabular.data.Dates;
import io.github.fastdl4j.tabular.data.TabularCsv;
import io.github.fastdl4j.tabular.data.TabularData;
import io.github.fastdl4j.tabular.data.TabularFrame;
import io.github.fastdl4j.tabular.data.TabularPipeline;
import io.github.fastdl4j.tabular.interpret.EmbeddingFeatures;
import io.github.fastdl4j.tabular.interpret.EmbeddingInterpretation;
import io.github.fastdl4j.tabular.interpret.TableDescription;
import io.github.fastdl4j.tabular.model.Rmspe;
import io.github.fastdl4j.tabular.model.StoreWeekdayMean;
import io.github.fastdl4j.tabular.model.TabularPredictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ./fastdl4j tabular ...}: generate, train, interpret, predict, bench. */
@Command(name = "tabular", mixinStandardHelpOptions = true,
        description = "Entity embeddings on shop-sales data in the Rossmann layout (simulated unless --data-dir has the Kaggle files).",
        subcommands = {TabularMain.Generate.class, TabularMain.Train.class, TabularMain.LrFind.class, TabularMain.Interpret.class,
                TabularMain.Predict.class, TabularMain.Describe.class, TabularMain.Bench.class})
public final class TabularMain implements Runnable {

    public static void main(String[] args) {
        System.exit(Cli.execute(new TabularMain(), "tabular", args));
    }

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** Which data: --data-dir (Kaggle files) or the default simulation of this size and seed. */
    static class DataChoice {
        @Option(names = "--stores", converter = Checks.PositiveInt.class,
                description = "Stores of the default simulation (default: ${DEFAULT-VALUE}).")
        int stores = 1115;
        @Option(names = "--sim-seed", description = "Seed of the default simulation (default: ${DEFAULT-VALUE}).")
        long simSeed = 1;

        ShopSales load(CommonOptions common) throws IOException {
            return loadFrom(ShopSales.resolve(common.dataDir, stores, simSeed));
        }

        ShopSales loadFrom(Path dir) {
            long t0 = System.nanoTime();
            ShopSales s = ShopSales.load(dir);
            System.out.printf(Locale.ROOT, "%s: %,d rows, %,d open days with sales (%s data), loaded with features in %.1f s%n",
                    dir, s.allRows(), s.frame().rows(), s.simulated() ? "SIMULATED" : "competition",
                    (System.nanoTime() - t0) / 1e9);
            return s;
        }
    }

    /** The model's options: fastai's Rossmann lesson defaults for the lesson's data, tabular_learner's for --csv. */
    static class Hyper extends FitOptions {
        @Option(names = "--layers", split = ",", converter = Checks.PositiveInt.class,
                description = "Hidden layers (default: 1000,500 for the lesson's data, 200,100 for --csv).")
        int[] layers;
        @Option(names = "--ps", split = ",", converter = Checks.DropProbability.class,
                description = "Dropout after each hidden layer (default: 0.001,0.01 for the lesson's data, none for --csv).")
        double[] ps;
        @Option(names = "--emb-drop", converter = Checks.DropProbability.class,
                description = "Dropout on the embeddings (default: 0.04 for the lesson's data, 0 for --csv).")
        Double embDrop;
        @Option(names = "--one-hot", description = "One-hot codes instead of learned embeddings (for comparison).")
        boolean oneHot;
        @Option(names = "--dl4j", description = "DL4J's layers instead of the from-scratch TabularNet (for comparison).")
        boolean dl4j;
        @Option(names = "--onednn", arity = "1", description = "DL4J's oneDNN layer helpers (batchnorm, ...) (default: ${DEFAULT-VALUE}).")
        boolean onednn = true;

        Hyper() {
            super(5, 1e-3, 0.2, 512);
        }

        TabularLearner learner(TabularFrame f, long seed) {
            return learner(f, seed, oneHot, dl4j);
        }

        /** The lesson's learner with the embeddings/one-hot and from-scratch/DL4J choice given (bench runs several). */
        TabularLearner learner(TabularFrame f, long seed, boolean oneHot, boolean dl4j) {
            return apply(TabularLearner.rossmann(f), seed, oneHot, dl4j).build();
        }

        /** These options on a learner's builder: what was given replaces the builder's defaults. */
        TabularLearnerBuilder apply(TabularLearnerBuilder b, long seed) {
            return apply(b, seed, oneHot, dl4j);
        }

        /** Whether --bs was left to its default (a table then gets {@link TabularLearner#defaultBatchSize}). */
        boolean autoBatch;

        private TabularLearnerBuilder apply(TabularLearnerBuilder b, long seed, boolean oneHot, boolean dl4j) {
            // helpers are picked when layers are created: switch them before building the network
            OneDnnHelpers.enable(onednn);
            if (layers != null) {
                b.layers(layers);
            }
            if (ps != null) {
                b.ps(ps);
            }
            if (embDrop != null) {
                b.embDrop(embDrop);
            }
            if (!autoBatch) {
                b.batchSize(batchSize);
            }
            return b.oneHot(oneHot).dl4jLayers(dl4j).seed(seed);
        }

        /** One dropout probability per hidden layer; notes whether --bs was given (by flag or config file). */
        void checkPs(picocli.CommandLine.Model.CommandSpec spec) {
            autoBatch = batchSize == 512 && !spec.commandLine().getParseResult().hasMatchedOption("--bs");
            int nLayers = layers != null ? layers.length : 2;
            if (ps != null && ps.length != nLayers) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--ps needs one probability per layer: "
                        + nLayers + " layers, " + ps.length + " probabilities");
            }
        }

        String name() {
            return name(oneHot, dl4j);
        }

        static String name(boolean oneHot, boolean dl4j) {
            return (dl4j ? "tabular-layers" : "tabular") + (oneHot ? "-one-hot" : "");
        }
    }

    /** Scores of a trained learner on its validation rows. */
    record Scores(double expRmspe, double baseline, Double noiseFloor, int trainRows, int validRows) {
        Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("exp_rmspe", expRmspe);
            m.put("store_weekday_mean_rmspe", baseline);
            if (noiseFloor != null) {
                m.put("noise_floor_rmspe", noiseFloor);
                m.put("rmspe_over_noise_floor", expRmspe / noiseFloor);
            }
            m.put("train_rows", trainRows);
            m.put("valid_rows", validRows);
            return m;
        }

        static Scores of(ShopSales data, TabularLearner learn) {
            TabularFrame f = data.frame();
            int[] valid = learn.validRows();
            double[] sales = f.numbers("Sales");
            double[] actual = Arrays.stream(valid).mapToDouble(i -> sales[i]).toArray();
            double[] pred = learn.predictor().predictModelScale(learn.validData());
            for (int i = 0; i < pred.length; i++) {
                pred[i] = Math.exp(pred[i]);
            }
            double baseline = Rmspe.of(actual, StoreWeekdayMean.fit(f, learn.trainRows()).predict(f, valid));
            Double floor = data.expected() == null ? null : Rmspe.of(actual, data.expected().of(f, valid));
            return new Scores(Rmspe.of(actual, pred), baseline, floor, learn.trainRows().length, valid.length);
        }

        void print() {
            System.out.printf(Locale.ROOT, "exp_rmspe %.4f on %,d validation rows (last 42 days); store x weekday mean %.4f%s%n",
                    expRmspe, validRows, baseline, noiseFloor == null ? ""
                            : String.format(Locale.ROOT, "; noise floor %.4f (ratio %.3f)", noiseFloor, expRmspe / noiseFloor));
        }
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Simulate shop sales: train.csv, store.csv, store_states.csv (Kaggle layout) and expected.csv.")
    static final class Generate implements Callable<Integer> {
        @Option(names = "--out", required = true, description = "Folder to write.")
        Path out;
        @Option(names = "--stores", converter = Checks.PositiveInt.class, description = "Stores (default: ${DEFAULT-VALUE}).")
        int stores = 1115;
        @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed = 1;
        @Option(names = "--from", converter = DateConverter.class, description = "First date, 1900..2100 (default: ${DEFAULT-VALUE}).")
        LocalDate from = LocalDate.of(2013, 1, 1);
        @Option(names = "--to", converter = DateConverter.class, description = "Last date, 1900..2100 (default: ${DEFAULT-VALUE}).")
        LocalDate to = LocalDate.of(2015, 7, 31);

        /** yyyy-MM-dd between 1900 and 2100 (the holiday calendar's years); anything else is a usage error. */
        static final class DateConverter extends io.github.fastdl4j.common.cli.ParsingConverter<LocalDate> {
            DateConverter() {
                super(v -> {
                    LocalDate d;
                    try {
                        d = LocalDate.parse(v.strip());
                    } catch (java.time.format.DateTimeParseException e) {
                        throw new IllegalArgumentException("expected a date yyyy-MM-dd, got '" + v + "'");
                    }
                    if (d.getYear() < 1900 || d.getYear() > 2100) {
                        throw new IllegalArgumentException("expected a date in 1900..2100, got " + d);
                    }
                    return d;
                });
            }
        }
        @Option(names = "--noise", converter = Checks.NonNegativeDouble.class,
                description = "Sigma of the log-normal noise (default: ${DEFAULT-VALUE}).")
        double noise = ShopSalesSimulator.NOISE_SIGMA;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (to.isBefore(from)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--to " + to + " is before --from " + from);
            }
            try (RunFolder folder = RunFolder.open(out, spec.qualifiedName(" "),
                    java.util.Set.of("train.csv", "store.csv", "store_states.csv", "expected.csv"))) {
                long t0 = System.nanoTime();
                ShopSalesSimulator.Summary s = ShopSalesSimulator.write(
                        new ShopSalesSimulator.Config(stores, from, to, seed, noise), folder.dir());
                folder.commit();
                System.out.printf(Locale.ROOT, "SIMULATED shop sales: %,d rows (%,d open, mean sales %.0f) for %d stores, %s..%s, "
                                + "seed %d, noise sigma %.3f, in %.1f s; wrote train.csv, store.csv, store_states.csv, expected.csv to %s%n",
                        s.rows(), s.openRows(), s.meanOpenSales(), stores, from, to, seed, noise,
                        (System.nanoTime() - t0) / 1e9, folder.target());
            }
            return 0;
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train a tabular model on the lesson's shop sales or on any --csv table (regression or classification); "
                    + "writes model.zip, metrics.json and charts to --out. With --csv, --bs defaults to about a hundredth of "
                    + "the training rows (64..1024).")
    static final class Train implements Callable<Integer> {
        @Mixin
        CommonOptions common;
        @Mixin
        DataChoice dataChoice;
        @Mixin
        TableOptions table;
        @Mixin
        Hyper hyper;
        @Mixin
        TrainingOptions training;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            table.check(spec);
            hyper.checkPs(spec);
            try (TrainRun run = TrainRun.start("tabular", hyper.name(), spec, common, training)) {
                if (table.given()) {
                    trainTable(run);
                    return 0;
                }
                ShopSales data = dataChoice.load(common);
                TabularLearner learn = hyper.learner(data.frame(), common.seed);
                System.out.println(learn.learner().model().describe());
                recordUsed(run, learn);
                if (!data.dir().toAbsolutePath().startsWith(io.github.fastdl4j.common.data.Datasets.defaultCache()
                        .resolve("shop-sales-sim").toAbsolutePath())) {
                    run.config().remove("stores"); // files were read, not the default simulation of this size
                    run.config().remove("sim_seed");
                }
                run.attach(learn.learner(), data.checksum());
                FitResult fit = learn.fitOneCycle(hyper.epochs, hyper.lr, hyper.wd);
                Scores scores = Scores.of(data, learn);
                scores.print();
                showResults(learn, data.frame(), common.seed);
                run.config().put("data", data.dir().toString());
                run.config().put("valid", "last 42 days");
                run.finish(learn.predictor()::save, data.checksum(), run.report(fit, scores.asMap()), charts -> {
                    fit.plot(charts, "");
                    if (!hyper.oneHot) {
                        new EmbeddingInterpretation(learn.predictor()).writeCharts(charts);
                    }
                }, String.format(Locale.ROOT, "exp_rmspe %.4f (epoch %d), %.0f rows/s",
                        fit.kept().metrics().get("exp_rmspe"), fit.kept().epoch(), fit.samplesPerSecond()));
            }
            return 0;
        }

        /**
         * metrics.json and the model's provenance record the settings this run used, and only
         * those: the options of the data it did not read are left out (the simulation's size for a
         * user's table, the table's options for the lesson's data), defaults the learner resolved
         * (the batch size sized to the table, the layers, dropout and y range of the preset) are
         * recorded as resolved, options left unset are absent. Before attach, so a resumed run
         * compares the same record.
         */
        private void recordUsed(TrainRun run, TabularLearner learn) {
            Map<String, Object> c = run.config();
            for (picocli.CommandLine.Model.OptionSpec o : spec.mixins().get(table.given() ? "dataChoice" : "table").options()) {
                c.remove(o.longestName().replaceFirst("^-+", "").replace('-', '_'));
            }
            io.github.fastdl4j.tabular.model.TabularSpec s = learn.predictor().spec();
            c.put("bs", learn.batchSize());
            c.put("layers", s.layers());
            c.put("ps", s.ps());
            c.put("emb_drop", s.embDrop());
            if (!hyper.dl4j) {
                c.remove("onednn"); // DL4J's layer helpers: nothing of TabularNet's
            }
            if (table.given()) {
                TabularPipeline p = learn.predictor().pipeline();
                c.put("task", p.classifier() ? "classify" : "regress");
                c.remove("classify");
                c.remove("regress");
                if (p.classifier()) {
                    c.remove("y_range");
                    c.remove("log_y");
                } else {
                    c.put("y_range", List.of(s.yLow(), s.yHigh()));
                }
                if (table.validCol == null && table.dateCol == null) {
                    c.put("valid_pct", table.validPct == null ? 0.2 : table.validPct);
                }
                if (table.cat != null || table.cont != null) {
                    c.remove("max_card"); // the columns were named: no cont_cat_split
                }
            }
            c.values().removeIf(java.util.Objects::isNull);
        }

        /** The generic path: the user's table, fastai's tabular_learner. */
        private void trainTable(TrainRun run) throws IOException {
            Loaded l = Loaded.of(table, hyper, common.seed);
            TabularLearner learn = l.learn();
            System.out.println(learn.learner().model().describe());
            recordUsed(run, learn);
            run.attach(learn.learner(), l.checksum());
            FitResult fit = learn.fitOneCycle(hyper.epochs, hyper.lr, hyper.wd);
            Map<String, Object> scores = learn.validationReport();
            printScores(scores);
            showTableResults(learn, l.table(), l.kinds(), common.seed);
            if (learn.predictor().pipeline().dateParts().isEmpty()
                    && !io.github.fastdl4j.tabular.data.TransformProcessExport.fits(learn.predictor().pipeline())) {
                System.out.println("note: model.zip holds no DataVec TransformProcess: " + learn.predictor().pipeline().rawColumns().size()
                        + " columns are too many for DataVec's schema-per-step export (predict does not need it)");
            }
            run.config().put("data", table.csv.toAbsolutePath().toString());
            run.config().put("valid", table.validDescription(common.seed));
            run.config().put("columns", l.kinds().asMap());
            String headline = learn.classifier()
                    ? String.format(Locale.ROOT, "accuracy %.4f (majority class %.4f)", (double) scores.get("accuracy"),
                    (double) scores.get("majority_class_accuracy"))
                    : String.format(Locale.ROOT, "rmse %.4g (training mean %.4g)", (double) scores.get("rmse"),
                    (double) scores.get("train_mean_rmse"));
            run.finish(learn.predictor()::save, l.checksum(), run.report(fit, scores), charts -> {
                fit.plot(charts, "");
                if (!hyper.oneHot) {
                    new EmbeddingInterpretation(learn.predictor()).writeCharts(charts, learn.predictor().spec().catNames());
                }
            }, String.format(Locale.ROOT, "%s (epoch %d), %.0f rows/s", headline, fit.kept().epoch(), fit.samplesPerSecond()));
        }
    }

    /** A user's table loaded, its columns chosen and its learner built (train and lr-find share it). */
    record Loaded(TabularCsv.Table table, TabularCsv.ColumnKinds kinds, TabularLearner learn, String checksum) {
        static Loaded of(TableOptions options, Hyper hyper, long seed) throws IOException {
            long t0 = System.nanoTime();
            TabularCsv.Table t = options.read();
            System.out.printf(Locale.ROOT, "%s: %,d rows, %d columns, read through DataVec in %.1f s%n", options.csv,
                    t.frame().rows(), t.csv().names().size(), (System.nanoTime() - t0) / 1e9);
            TabularCsv.ColumnKinds kinds = options.columns(t);
            System.out.println("categorical (" + kinds.cats().size() + "): " + DataException.listed(kinds.cats(), 20));
            System.out.println("continuous (" + kinds.conts().size() + "): " + DataException.listed(kinds.conts(), 20));
            if (!kinds.skipped().isEmpty()) {
                System.out.println("left out (a different value in most rows: ids, names; name them in --cat to use them): "
                        + DataException.listed(kinds.skipped(), 20));
            }
            List<String> used = new java.util.ArrayList<>(options.dateColumns());
            used.addAll(kinds.cats());
            used.addAll(kinds.conts());
            used.add(options.y);
            String missing = t.missingReport(new java.util.LinkedHashSet<>(used));
            if (missing != null) {
                // FillMissing fills continuous ones with the training median (and flags them), #na# is a category
                System.out.println("missing values: " + missing);
            }
            if (kinds.cats().isEmpty() && kinds.conts().isEmpty()) {
                throw DataException.inFile(options.csv, "no input columns besides the target " + options.y);
            }
            TabularLearner learn;
            try {
                learn = hyper.apply(options.learner(t, kinds), seed).build();
            } catch (IllegalArgumentException e) {
                throw DataException.inFile(options.csv, e.getMessage());
            }
            TabularPipeline p = learn.predictor().pipeline();
            System.out.printf(Locale.ROOT, "target %s: %s; validation: %s: %,d training and %,d validation rows%s; batch size %d%n",
                    options.y,
                    p.classifier() ? "classification into " + p.classes().size() + " classes " + abbreviate(p.classes())
                            : "regression" + (p.logY() ? " of log(" + options.y + ")" : "") + String.format(Locale.ROOT,
                            ", y_range (%.4g, %.4g)", learn.predictor().spec().yLow(), learn.predictor().spec().yHigh()),
                    options.validDescription(seed), learn.trainRows().length, learn.validRows().length,
                    learn.droppedRows() == 0 ? "" : String.format(Locale.ROOT, " (%,d rows without a usable target left out)",
                            learn.droppedRows()), learn.batchSize());
            String checksum = io.github.fastdl4j.common.data.Datasets.sha256(options.csv, false);
            return new Loaded(t, kinds, learn, checksum);
        }

        private static String abbreviate(List<String> classes) {
            return classes.size() <= 10 ? classes.toString()
                    : classes.subList(0, 10).toString().replace("]", ", ... (" + (classes.size() - 10) + " more)]");
        }
    }

    static void printScores(Map<String, Object> s) {
        if (s.containsKey("accuracy")) {
            System.out.printf(Locale.ROOT, "accuracy %.4f (error rate %.4f) on %,d validation rows; always answering the "
                            + "training rows' most common class (%s): %.4f%n", (double) s.get("accuracy"), (double) s.get("error_rate"),
                    (int) s.get("valid_rows"), s.get("majority_class"), (double) s.get("majority_class_accuracy"));
        } else {
            System.out.printf(Locale.ROOT, "rmse %.4g on %,d validation rows; predicting the training mean: %.4g%n",
                    (double) s.get("rmse"), (int) s.get("valid_rows"), (double) s.get("train_mean_rmse"));
        }
    }

    /** fastai's show_results for a user's table: a few validation rows, their first columns, actual and predicted. */
    static void showTableResults(TabularLearner learn, TabularCsv.Table t, TabularCsv.ColumnKinds kinds, long seed) {
        // every input column of the file, as fastai shows them (a very wide table: the first 20, and how many more)
        List<String> inputs = t.csv().names().stream().filter(c -> kinds.cats().contains(c) || kinds.conts().contains(c)).toList();
        List<String> cols = inputs.subList(0, Math.min(SHOWN_COLUMNS, inputs.size()));
        List<Map<String, String>> rows = learn.showResults(t.frame(), cols, 8, seed);
        if (rows.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.println("show_results (validation rows" + (inputs.size() > cols.size() ? String.format(Locale.ROOT,
                "; the first %d of %,d input columns", cols.size(), inputs.size()) : "") + "):");
        List<String> header = List.copyOf(rows.get(0).keySet());
        int[] width = header.stream().mapToInt(h -> Math.min(18, Math.max(h.length(),
                rows.stream().mapToInt(r -> String.valueOf(r.get(h)).length()).max().orElse(1)))).toArray();
        StringBuilder line = new StringBuilder("  ");
        for (int j = 0; j < header.size(); j++) {
            line.append(String.format(Locale.ROOT, "%-" + width[j] + "s ", clip(header.get(j), width[j])));
        }
        System.out.println(line.toString().stripTrailing());
        for (Map<String, String> r : rows) {
            line = new StringBuilder("  ");
            for (int j = 0; j < header.size(); j++) {
                line.append(String.format(Locale.ROOT, "%-" + width[j] + "s ", clip(String.valueOf(r.get(header.get(j))), width[j])));
            }
            System.out.println(line.toString().stripTrailing());
        }
    }

    /** Input columns show_results prints at most. */
    static final int SHOWN_COLUMNS = 20;

    private static String clip(String s, int width) {
        String flat = s.replaceAll("\\p{Cntrl}", " ");
        return flat.length() <= width ? flat : flat.substring(0, width - 1) + "~";
    }

    /** fastai's show_results: a few validation rows with the actual and predicted sales. */
    static void showResults(TabularLearner learn, TabularFrame frame, long seed) {
        List<String> cols = List.of("Store", "Date", "DayOfWeek", "Promo", "StateHoliday", "SchoolHoliday");
        List<Map<String, String>> rows = learn.showResults(frame, cols, 8, seed);
        System.out.println();
        System.out.println("show_results (validation rows):");
        System.out.printf(Locale.ROOT, "  %-6s %-10s %-9s %-5s %-12s %-13s %8s %10s%n", "Store", "Date", "DayOfWeek", "Promo",
                "StateHoliday", "SchoolHoliday", "Sales", "predicted");
        for (Map<String, String> r : rows) {
            String date = r.get("Date").matches("-?\\d+") ? java.time.LocalDate.ofEpochDay(Long.parseLong(r.get("Date"))).toString()
                    : r.get("Date");
            System.out.printf(Locale.ROOT, "  %-6s %-10s %-9s %-5s %-12s %-13s %8s %10s%n", r.get("Store"), date, r.get("DayOfWeek"),
                    r.get("Promo"), r.get("StateHoliday"), r.get("SchoolHoliday"), r.get("Sales"), r.get("Sales_pred"));
        }
    }

    @Command(name = "lr-find", mixinStandardHelpOptions = true,
            description = "fastai's learning-rate finder: prints the suggestions (valley, minimum/10, steep), writes lr_find.png to --out.")
    static final class LrFind implements Callable<Integer> {
        @Mixin
        CommonOptions common;
        @Mixin
        DataChoice dataChoice;
        @Mixin
        TableOptions table;
        @Mixin
        Hyper hyper;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            table.check(spec);
            hyper.checkPs(spec);
            try (RunFolder out = common.openOut("tabular-lr-find", java.util.Set.of("lr_find.png"))) {
                System.out.println(BackendInfo.current().line());
                TabularLearner learn = table.given() ? Loaded.of(table, hyper, common.seed).learn()
                        : hyper.learner(dataChoice.load(common).frame(), common.seed);
                LrFindResult r = learn.learner().lrFind();
                r.plot(out.resolve("lr_find.png"));
                out.commit();
                System.out.printf(Locale.ROOT, "suggested learning rates: %s (%d steps); "
                        + "wrote %s%n", r.suggestions(), r.lrs().length, out.target().resolve("lr_find.png"));
            }
            return 0;
        }
    }

    @Command(name = "interpret", mixinStandardHelpOptions = true,
            description = "Embedding PCA charts, state embedding vs geography, embeddings exported as CSV; "
                    + "with --features, kNN and linear models on one-hot codes vs the learned embeddings.")
    static final class Interpret implements Callable<Integer> {
        @Mixin
        CommonOptions common;
        @Mixin
        DataChoice dataChoice;
        @Option(names = "--model-file", required = true, description = "A model.zip from train.")
        Path modelFile;
        @Option(names = "--features", description = "Also compare simple models on one-hot codes vs embeddings (reads the data).")
        boolean features;
        @Option(names = "--sample", converter = Checks.PositiveInt.class,
                description = "Training rows for the --features models (default: ${DEFAULT-VALUE}).")
        int sample = 50_000;

        /**
         * The data the model was trained on, which --features scores on: --data-dir if given, else
         * the folder the model's provenance names; either must hold the very train.csv the model
         * saw (its SHA-256 is in the provenance), or this is one line naming both.
         */
        ShopSales trainingData(TabularPredictor m) throws IOException {
            Provenance p = TabularPredictor.provenance(modelFile);
            Object recorded = p.config().get("data");
            Path dir;
            if (common.dataDir != null) {
                dir = ShopSales.resolve(common.dataDir, dataChoice.stores, dataChoice.simSeed);
            } else if (recorded != null) {
                dir = Path.of(recorded.toString());
            } else {
                throw new DataException(modelFile + ": the model does not say which data it was trained on; pass --data-dir");
            }
            Path train = dir.resolve("train.csv");
            if (!java.nio.file.Files.isRegularFile(train)) {
                throw new DataException(modelFile + ": the model was trained on " + dir + ", which has no train.csv here; pass "
                        + "--data-dir with that data");
            }
            String sha = io.github.fastdl4j.common.data.Datasets.sha256(train, false);
            if (!sha.equals(p.dataChecksum())) {
                throw new DataException(train + ": not the data " + modelFile + " was trained on (SHA-256 " + sha.substring(0, 12)
                        + "..., the model's " + String.valueOf(p.dataChecksum()).substring(0, Math.min(12,
                        String.valueOf(p.dataChecksum()).length())) + "..., from " + recorded + ")");
            }
            return dataChoice.loadFrom(dir);
        }

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            Path out = common.out != null ? common.out : modelFile.toAbsolutePath().getParent().resolve("interpret");
            io.github.fastdl4j.common.cli.Outputs.checkSharedFolder(spec, "--out", out, java.util.Set.of("interpret.json", "embeddings"));
            System.out.println(BackendInfo.current().line());
            TabularPredictor m = TabularPredictor.load(modelFile);
            EmbeddingInterpretation in = new EmbeddingInterpretation(m);
            for (Path p : in.writeCharts(out)) {
                System.out.println("wrote " + p);
            }
            in.export(out.resolve("embeddings"));
            System.out.println("exported every embedding as CSV to " + out.resolve("embeddings"));
            Map<String, Object> report = new LinkedHashMap<>();
            EmbeddingInterpretation.Geography g = in.stateGeography();
            if (g != null) {
                System.out.printf(Locale.ROOT, "State embeddings vs geography: Spearman %.3f over %d pairs of %d states%n",
                        g.spearman(), g.pairs(), g.states());
                report.put("state_geography_spearman", g.spearman());
                report.put("state_pairs", g.pairs());
            }
            if (features) {
                ShopSales data = trainingData(m);
                io.github.fastdl4j.common.data.Split split = io.github.fastdl4j.tabular.data.TabularSplits.byDate(data.frame(), "Date", 42);
                EmbeddingFeatures.Report r = EmbeddingFeatures.compare(m, data.frame(), split.train(), split.valid(), sample,
                        common.seed);
                r.print();
                report.put("features", r.asMap());
            }
            AtomicFiles.writeString(out.resolve("interpret.json"), ModelArchive.JSON.writeValueAsString(report));
            return 0;
        }
    }

    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = "Predict the rows of --csv with a model.zip: a model of the lesson's data reads test.csv "
                    + "(Id,Store,DayOfWeek,Date,Open,Promo,StateHoliday,SchoolHoliday) and writes Id,Sales; a model of a --csv "
                    + "table reads the same columns and writes one prediction per row (a classifier: the class and each "
                    + "class's probability).")
    static final class Predict extends CsvFormatOptions implements Callable<Integer> {
        @Option(names = "--model-file", required = true, description = "A model.zip from train.")
        Path modelFile;
        @Option(names = "--csv", required = true, description = "The rows to predict.")
        Path csv;
        @Option(names = "--store-dir", description = "Folder with store.csv (and store_states.csv) for a model of the lesson's "
                + "data (default: the csv's folder).")
        Path storeDir;
        @Option(names = "--id-col", paramLabel = "C", description = "A column of --csv to copy into the output as the row's "
                + "name (default: the row's line number).")
        String idCol;
        @Option(names = "--out", description = "Output file (default: submission.csv for the lesson's data, predictions.csv "
                + "for a table, next to the csv).")
        Path out;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        /**
         * Refuses an output file the command reads (the model, the rows, the store files a model of
         * the lesson's data reads beside them), before any rows are read.
         */
        private void checkOut(Path target) {
            Path dir = storeDir != null ? storeDir : csv.toAbsolutePath().getParent();
            io.github.fastdl4j.common.cli.Outputs.checkFile(spec, "--out", target,
                    new io.github.fastdl4j.common.cli.Outputs.Input("the store file", dir.resolve("store.csv")),
                    new io.github.fastdl4j.common.cli.Outputs.Input("the store file", dir.resolve("store_states.csv")));
            AtomicFiles.checkTarget(target);
        }

        @Override
        public Integer call() throws IOException {
            Path target = out;
            if (target != null) {
                checkOut(target);
            }
            System.err.println(BackendInfo.current().line());
            TabularPredictor m = TabularPredictor.load(modelFile);
            boolean lesson = TabularPipeline.ROSSMANN.equals(m.pipeline().preset());
            // options that mean nothing for this kind of model: usage errors before any row is read
            List<String> meaningless = lesson ? List.of("--id-col", "--sep", "--no-header", "--encoding") : List.of("--store-dir");
            for (String o : meaningless) {
                if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), o + " does not apply to " + modelFile
                            + ", a model of " + (lesson ? "the lesson's data (its test.csv has Id and a fixed layout)"
                            : "a --csv table (no store files)"));
                }
            }
            if (!lesson) {
                predictTable(m, target != null ? target : csv.toAbsolutePath().getParent().resolve("predictions.csv"));
                return 0;
            }
            if (target == null) {
                target = csv.toAbsolutePath().getParent().resolve("submission.csv");
            }
            checkOut(target);
            Path dir = storeDir != null ? storeDir : csv.toAbsolutePath().getParent();
            TabularFrame f = RossmannFeatures.add(Rossmann.loadTest(csv, dir));
            for (String column : m.pipeline().rawColumns()) {
                if (!f.has(column)) {
                    throw new DataException(csv + ": has no column '" + column + "', which the model " + modelFile
                            + " was trained on");
                }
            }
            double[] sales = m.predict(f);
            double[] id = f.numbers("Id"), open = f.numbers("Open");
            for (int i = 0; i < sales.length; i++) {
                if (!Double.isFinite(sales[i]) && open[i] != 0) {
                    throw DataException.inFile(csv, String.format(Locale.ROOT, "row Id %d: the model's answer is not a finite "
                            + "number (%s)", (long) id[i], sales[i]));
                }
            }
            AtomicFiles.writeText(target, w -> {
                w.write("Id,Sales\n");
                for (int i = 0; i < sales.length; i++) {
                    // closed days sell nothing, whatever the model says
                    w.write(String.format(Locale.ROOT, "%d,%.2f%n", (long) id[i], open[i] == 0 ? 0.0 : sales[i]));
                }
            });
            System.out.printf(Locale.ROOT, "predicted %,d rows; wrote %s%n", sales.length, target);
            return 0;
        }

        /** A model of a user's table: the table's raw columns in, one line per row out. */
        private void predictTable(TabularPredictor m, Path target) throws IOException {
            checkOut(target);
            TabularPipeline p = m.pipeline();
            TabularCsv.Table t = TabularCsv.read(csv, format(), p.dateParts(), Dates.of(p.dateFormat()));
            List<String> needed = new java.util.ArrayList<>(p.rawColumns());
            if (idCol != null) {
                needed.add(idCol);
            }
            t.require(needed, "the model " + modelFile.getFileName() + " was trained on it");
            for (String c : p.contNames()) {
                if (t.csv().has(c)) {
                    t.requireNumbers(c, "a continuous column of the model");
                }
            }
            String[] ids = idCol != null ? t.csv().texts(idCol) : null;
            String y = p.yName();
            TabularData d = finiteInputs(t, p);
            double[][] probabilities = p.classifier() ? m.probabilities(d) : null;
            double[] values = p.classifier() ? null : m.predictModelScale(d);
            for (int i = 0; i < d.rows(); i++) {
                if (values != null && p.logY()) {
                    values[i] = Math.exp(values[i]);
                }
                for (double v : p.classifier() ? probabilities[i] : new double[]{values[i]}) {
                    if (!Double.isFinite(v)) {
                        throw DataException.at(csv, t.csv().line(i), y, "the model's answer for this row is not a finite number ("
                                + v + "); its inputs are too far from what it was trained on");
                    }
                }
            }
            AtomicFiles.writeText(target, w -> {
                try (org.apache.commons.csv.CSVPrinter csvOut = new org.apache.commons.csv.CSVPrinter(w,
                        org.apache.commons.csv.CSVFormat.DEFAULT.builder().setRecordSeparator("\n").build())) {
                    List<String> header = new java.util.ArrayList<>(List.of(idCol != null ? idCol : "line", y));
                    if (p.classifier()) {
                        m.classes().forEach(c -> header.add("p_" + c));
                    }
                    csvOut.printRecord(header);
                    if (p.classifier()) {
                        double[][] proba = probabilities;
                        for (int i = 0; i < proba.length; i++) {
                            List<Object> row = new java.util.ArrayList<>(List.of(ids != null ? String.valueOf(ids[i])
                                    : String.valueOf(t.csv().line(i)), m.classes().get(argMax(proba[i]))));
                            for (double v : proba[i]) {
                                row.add(String.format(Locale.ROOT, "%.4f", v));
                            }
                            csvOut.printRecord(row);
                        }
                    } else {
                        double[] v = values;
                        for (int i = 0; i < v.length; i++) {
                            csvOut.printRecord(ids != null ? String.valueOf(ids[i]) : String.valueOf(t.csv().line(i)),
                                    String.format(Locale.ROOT, "%.6g", v[i]));
                        }
                    }
                }
            });
            System.out.printf(Locale.ROOT, "predicted %,d rows (%s of %s); wrote %s%n", t.frame().rows(),
                    p.classifier() ? "class" : "value", y, target);
        }

        /**
         * The rows as the model's inputs, refusing what would make its answer meaningless: a model
         * column holding an infinity or a number beyond the double range (read as missing when
         * training; here the user asked about that value), or a finite value so far from the
         * training rows that it overflows once normalised (age 1e308). Each is one line naming
         * the file, line and column.
         */
        private TabularData finiteInputs(TabularCsv.Table t, TabularPipeline p) {
            for (String c : p.rawColumns()) {
                if (t.csv().has(c) && !t.csv().nonFinite(c).isEmpty()) {
                    io.github.fastdl4j.common.data.CsvTable.Cell bad = t.csv().nonFinite(c).get(0);
                    throw DataException.at(csv, bad.line(), c, "'" + bad.value() + "' is not a finite number");
                }
            }
            TabularData d = p.transform(t.frame());
            List<String> conts = p.contNames();
            for (int i = 0; i < d.rows(); i++) {
                for (int j = 0; j < d.nCont(); j++) {
                    if (!Float.isFinite(d.conts()[i * d.nCont() + j])) {
                        String c = conts.get(j);
                        double[] stats = p.normalize().stats().get(c);
                        String raw = t.frame().has(c) ? t.frame().column(c).key(i) : "?";
                        throw DataException.at(csv, t.csv().line(i), c, String.format(Locale.ROOT, "%s is too far from the "
                                + "training rows (mean %.4g, std %.4g) for the model's 32-bit inputs", raw, stats[0], stats[1]));
                    }
                }
            }
            return d;
        }

        private static int argMax(double[] v) {
            int best = 0;
            for (int j = 1; j < v.length; j++) {
                if (v[j] > v[best]) {
                    best = j;
                }
            }
            return best;
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = "Describe a table before training: per column the type read, missing and distinct values, "
                    + "min/max/mean/std/median (DataVec's analysis); writes describe.html with the histograms to --out.")
    static final class Describe extends CsvFormatOptions implements Callable<Integer> {
        @Mixin
        CommonOptions common;
        @Option(names = "--csv", required = true, paramLabel = "FILE", description = "The table.")
        Path csv;
        @Option(names = "--buckets", converter = Checks.PositiveInt.class,
                description = "Histogram buckets (default: ${DEFAULT-VALUE}).")
        int buckets = 20;

        @Override
        public Integer call() throws IOException {
            try (RunFolder out = common.openOut("tabular-describe", java.util.Set.of("describe.html"))) {
                long t0 = System.nanoTime();
                io.github.fastdl4j.common.data.CsvTable t = io.github.fastdl4j.common.data.CsvTable.read(csv, format());
                TableDescription d = TableDescription.of(t, Math.min(buckets, 200));
                System.out.printf(Locale.ROOT, "%s: %,d rows, %d columns (%.1f s)%n", csv, t.rows(), t.names().size(),
                        (System.nanoTime() - t0) / 1e9);
                d.print(System.out);
                List<String> nonFinite = new java.util.ArrayList<>();
                for (String c : t.names()) {
                    List<io.github.fastdl4j.common.data.CsvTable.Cell> bad = t.nonFinite(c);
                    if (!bad.isEmpty()) {
                        nonFinite.add(String.format(Locale.ROOT, "%s %,d ('%s' at line %d%s)", c, bad.size(), bad.get(0).value(),
                                bad.get(0).line(), bad.size() > 1 ? ", ..." : ""));
                    }
                }
                if (!nonFinite.isEmpty()) {
                    System.out.println("not finite numbers, counted as missing: " + DataException.listed(nonFinite, 20));
                }
                d.writeHtml(out.resolve("describe.html"));
                out.commit();
                System.out.println("wrote " + out.target().resolve("describe.html"));
            }
            return 0;
        }
    }

    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "Train and print one JSON line per variant: rows_per_sec, seconds_per_epoch, exp_rmspe, backend.")
    static final class Bench implements Callable<Integer> {
        @Mixin
        CommonOptions common;
        @Mixin
        DataChoice dataChoice;
        @Mixin
        Hyper hyper;
        @Option(names = "--variants", split = ",", converter = VariantConverter.class,
                description = "Any of embeddings (TabularNet), one-hot (TabularNet on one-hot codes), layers (DL4J's layers), "
                        + "layers-one-hot (default: embeddings).")
        List<String> variants = List.of("embeddings");
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        /** A bench variant's name; unknown ones are a usage error. */
        static final class VariantConverter extends io.github.fastdl4j.common.cli.ParsingConverter<String> {
            VariantConverter() {
                super(v -> {
                    List<String> known = List.of("embeddings", "one-hot", "layers", "layers-one-hot");
                    if (!known.contains(v)) {
                        throw new IllegalArgumentException("unknown variant " + v + " (" + String.join(", ", known) + ")");
                    }
                    return v;
                });
            }
        }

        @Override
        public Integer call() throws IOException {
            common.noOutput(); // its results go to stdout: a --out is a mistake, not ignored
            hyper.checkPs(spec);
            BackendInfo backend = BackendInfo.current();
            System.err.println(backend.line());
            ShopSales data = dataChoice.load(common);
            for (String v : variants) {
                boolean oneHot = v.endsWith("one-hot");
                boolean dl4j = v.startsWith("layers");
                io.github.fastdl4j.common.cli.MemoryPeaks.reset();
                TabularLearner learn = hyper.learner(data.frame(), common.seed, oneHot, dl4j);
                learn.learner().quiet(true);
                FitResult fit = learn.fitOneCycle(hyper.epochs, hyper.lr, hyper.wd);
                Scores s = Scores.of(data, learn);
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("model", Hyper.name(oneHot, dl4j));
                line.put("epochs", hyper.epochs);
                line.put("bs", learn.batchSize());
                line.put("layers", learn.predictor().spec().layers());
                line.put("onednn", dl4j && OneDnnHelpers.active());
                line.put("rows_per_sec", Math.round(fit.samplesPerSecond()));
                line.put("seconds_per_epoch", fit.trainSeconds() / hyper.epochs);
                line.putAll(s.asMap());
                line.put("simulated", data.simulated());
                io.github.fastdl4j.common.cli.MemoryPeaks.putInto(line);
                line.put("backend", backend.shortName());
                System.out.println(RunReport.jsonLine(line));
            }
            return 0;
        }
    }
}
