package io.github.fastdl4j.tabular.cli;

import io.github.fastdl4j.common.cli.Checks;
import io.github.fastdl4j.common.cli.FitOptions;
import io.github.fastdl4j.common.dl4j.OneDnnHelpers;
import io.github.fastdl4j.tabular.TabularLearner;
import io.github.fastdl4j.tabular.TabularLearnerBuilder;
import io.github.fastdl4j.tabular.data.TabularFrame;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The model's options (a picocli mixin of train, lr-find and bench): fastai's Rossmann lesson
 * defaults for the lesson's data, tabular_learner's for --csv.
 */
class Hyper extends FitOptions {
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
    void checkPs(CommandSpec spec) {
        autoBatch = batchSize == 512 && !spec.commandLine().getParseResult().hasMatchedOption("--bs");
        int nLayers = layers != null ? layers.length : 2;
        if (ps != null && ps.length != nLayers) {
            throw new ParameterException(spec.commandLine(), "--ps needs one probability per layer: "
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
