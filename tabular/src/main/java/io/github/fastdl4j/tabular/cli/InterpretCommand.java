package io.github.fastdl4j.tabular.cli;

import io.github.fastdl4j.common.cli.BackendInfo;
import io.github.fastdl4j.common.cli.Checks;
import io.github.fastdl4j.common.cli.CommonOptions;
import io.github.fastdl4j.common.cli.Outputs;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.data.Datasets;
import io.github.fastdl4j.common.data.Split;
import io.github.fastdl4j.common.io.AtomicFiles;
import io.github.fastdl4j.common.train.ModelArchive;
import io.github.fastdl4j.common.train.Provenance;
import io.github.fastdl4j.tabular.data.ShopSales;
import io.github.fastdl4j.tabular.data.TabularSplits;
import io.github.fastdl4j.tabular.interpret.EmbeddingFeatures;
import io.github.fastdl4j.tabular.interpret.EmbeddingInterpretation;
import io.github.fastdl4j.tabular.model.TabularPredictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code tabular interpret}: a model's embeddings as charts and CSV ({@link EmbeddingInterpretation})
 * and, with --features, as features of simple models ({@link EmbeddingFeatures}).
 */
@Command(name = "interpret", mixinStandardHelpOptions = true,
        description = "Embedding PCA charts, state embedding vs geography, embeddings exported as CSV; "
                + "with --features, kNN and linear models on one-hot codes vs the learned embeddings.")
final class InterpretCommand implements Callable<Integer> {
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
            throw new BadInputException(modelFile + ": the model does not say which data it was trained on; pass --data-dir");
        }
        Path train = dir.resolve("train.csv");
        if (!Files.isRegularFile(train)) {
            throw new BadInputException(modelFile + ": the model was trained on " + dir + ", which has no train.csv here; pass "
                    + "--data-dir with that data");
        }
        String sha = Datasets.sha256(train, false);
        if (!sha.equals(p.dataChecksum())) {
            throw new BadInputException(train + ": not the data " + modelFile + " was trained on (SHA-256 " + sha.substring(0, 12)
                    + "..., the model's " + String.valueOf(p.dataChecksum()).substring(0, Math.min(12,
                    String.valueOf(p.dataChecksum()).length())) + "..., from " + recorded + ")");
        }
        return dataChoice.loadFrom(dir);
    }

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Path out = common.out != null ? common.out : modelFile.toAbsolutePath().getParent().resolve("interpret");
        Outputs.checkSharedFolder(spec, "--out", out, Set.of("interpret.json", "embeddings"));
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
            Split split = TabularSplits.byDate(data.frame(), "Date", 42);
            EmbeddingFeatures.Report r = EmbeddingFeatures.compare(m, data.frame(), split.train(), split.valid(), sample,
                    common.seed);
            r.print();
            report.put("features", r.asMap());
        }
        AtomicFiles.writeString(out.resolve("interpret.json"), ModelArchive.JSON.writeValueAsString(report));
        return 0;
    }
}
