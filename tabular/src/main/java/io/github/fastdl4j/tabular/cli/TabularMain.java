package io.github.fastdl4j.tabular.cli;

import io.github.fastdl4j.common.cli.BackendInfo;
import io.github.fastdl4j.common.cli.Checks;
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
import io.github.fastdl4j.tabular.data.Rossmann;
import io.github.fastdl4j.tabular.data.RossmannFeatures;
import io.github.fastdl4j.tabular.data.ShopSales;
import io.github.fastdl4j.tabular.data.ShopSalesSimulator;
import io.github.fastdl4j.tabular.data.TabularFrame;
import io.github.fastdl4j.tabular.interpret.EmbeddingFeatures;
import io.github.fastdl4j.tabular.interpret.EmbeddingInterpretation;
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
                TabularMain.Predict.class, TabularMain.Bench.class})
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

    /** The model's options, fastai's Rossmann lesson defaults. */
    static class Hyper extends FitOptions {
        @Option(names = "--layers", split = ",", converter = Checks.PositiveInt.class,
                description = "Hidden layers (default: 1000,500).")
        int[] layers = {1000, 500};
        @Option(names = "--ps", split = ",", converter = Checks.DropProbability.class,
                description = "Dropout after each hidden layer (default: 0.001,0.01).")
        double[] ps = {0.001, 0.01};
        @Option(names = "--emb-drop", converter = Checks.DropProbability.class,
                description = "Dropout on the embeddings (default: ${DEFAULT-VALUE}).")
        double embDrop = 0.04;
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

        /** The learner with the embeddings/one-hot and from-scratch/DL4J choice given (bench runs several). */
        TabularLearner learner(TabularFrame f, long seed, boolean oneHot, boolean dl4j) {
            // helpers are picked when layers are created: switch them before building the network
            OneDnnHelpers.enable(onednn);
            return TabularLearner.of(f).cat(RossmannFeatures.CATEGORICAL).cont(RossmannFeatures.CONTINUOUS)
                    .layers(layers).ps(ps).embDrop(embDrop).oneHot(oneHot).dl4jLayers(dl4j).batchSize(batchSize).seed(seed).build();
        }

        /** One dropout probability per hidden layer. */
        void checkPs(picocli.CommandLine.Model.CommandSpec spec) {
            if (ps.length != layers.length) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--ps needs one probability per layer: "
                        + layers.length + " layers " + Arrays.toString(layers) + ", " + ps.length + " probabilities");
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
            try (RunFolder folder = RunFolder.open(out)) {
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
            description = "Train the TabularModel; writes model.zip, metrics.json and charts to --out.")
    static final class Train implements Callable<Integer> {
        @Mixin
        CommonOptions common;
        @Mixin
        DataChoice dataChoice;
        @Mixin
        Hyper hyper;
        @Mixin
        TrainingOptions training;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            hyper.checkPs(spec);
            try (TrainRun run = TrainRun.start("tabular", hyper.name(), spec, common, training)) {
                ShopSales data = dataChoice.load(common);
                TabularLearner learn = hyper.learner(data.frame(), common.seed);
                System.out.println(learn.learner().model().describe());
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
    }

    /** fastai's show_results: a few validation rows with the actual and predicted sales. */
    static void showResults(TabularLearner learn, TabularFrame frame, long seed) {
        List<String> cols = List.of("Store", "Date", "DayOfWeek", "Promo", "StateHoliday", "SchoolHoliday");
        List<Map<String, String>> rows = learn.showResults(frame, cols, "Sales", 8, seed);
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
        Hyper hyper;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            hyper.checkPs(spec);
            try (RunFolder out = common.openOut("tabular-lr-find")) {
                System.out.println(BackendInfo.current().line());
                ShopSales data = dataChoice.load(common);
                LrFindResult r = hyper.learner(data.frame(), common.seed).learner().lrFind();
                r.plot(out.resolve("lr_find.png"));
                out.commit();
                System.out.printf(Locale.ROOT, "suggested learning rates: valley %.2e, minimum/10 %.2e, steep %.2e (%d steps); "
                        + "wrote %s%n", r.valley(), r.minimum(), r.steep(), r.lrs().length, out.target().resolve("lr_find.png"));
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

        @Override
        public Integer call() throws IOException {
            System.out.println(BackendInfo.current().line());
            TabularPredictor m = TabularPredictor.load(modelFile);
            Path out = common.out != null ? common.out : modelFile.toAbsolutePath().getParent().resolve("interpret");
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
                int[][] split = TabularLearner.splitByDate(data.frame(), "Date", 42);
                EmbeddingFeatures.Report r = EmbeddingFeatures.compare(m, data.frame(), split[0], split[1], sample, common.seed);
                r.print();
                report.put("features", r.asMap());
            }
            AtomicFiles.writeString(out.resolve("interpret.json"), ModelArchive.JSON.writeValueAsString(report));
            return 0;
        }
    }

    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = "Predict a test.csv (Id,Store,DayOfWeek,Date,Open,Promo,StateHoliday,SchoolHoliday); writes Id,Sales.")
    static final class Predict implements Callable<Integer> {
        @Option(names = "--model-file", required = true, description = "A model.zip from train.")
        Path modelFile;
        @Option(names = "--csv", required = true, description = "The rows to predict, test.csv layout.")
        Path csv;
        @Option(names = "--store-dir", description = "Folder with store.csv (and store_states.csv) (default: the csv's folder).")
        Path storeDir;
        @Option(names = "--out", description = "Submission file (default: submission.csv next to the csv).")
        Path out;

        @Override
        public Integer call() throws IOException {
            Path target = out != null ? out : csv.toAbsolutePath().getParent().resolve("submission.csv");
            AtomicFiles.checkTarget(target);
            System.err.println(BackendInfo.current().line());
            TabularPredictor m = TabularPredictor.load(modelFile);
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
            hyper.checkPs(spec);
            BackendInfo backend = BackendInfo.current();
            System.err.println(backend.line());
            ShopSales data = dataChoice.load(common);
            for (String v : variants) {
                boolean oneHot = v.endsWith("one-hot");
                boolean dl4j = v.startsWith("layers");
                TabularLearner learn = hyper.learner(data.frame(), common.seed, oneHot, dl4j);
                learn.learner().quiet(true);
                FitResult fit = learn.fitOneCycle(hyper.epochs, hyper.lr, hyper.wd);
                Scores s = Scores.of(data, learn);
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("model", Hyper.name(oneHot, dl4j));
                line.put("epochs", hyper.epochs);
                line.put("bs", hyper.batchSize);
                line.put("layers", Arrays.stream(hyper.layers).boxed().toList());
                line.put("onednn", dl4j && OneDnnHelpers.active());
                line.put("rows_per_sec", Math.round(fit.samplesPerSecond()));
                line.put("seconds_per_epoch", fit.trainSeconds() / hyper.epochs);
                line.putAll(s.asMap());
                line.put("simulated", data.simulated());
                line.put("backend", backend.shortName());
                System.out.println(RunReport.jsonLine(line));
            }
            return 0;
        }
    }
}
