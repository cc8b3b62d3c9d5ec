package io.github.fastdl4j.tabular.model;

import java.util.List;

/**
 * Everything that defines a tabular network, either engine's ({@link TabularNet},
 * {@link TabularGraph}); saved with the model as JSON (the component names are the field names
 * of saved model files: do not rename them).
 *
 * @param catNames      categorical columns, in input order
 * @param cardinalities embedding rows per column (vocabulary size including #na#)
 * @param embSizes      embedding widths
 * @param nCont         continuous columns
 * @param layers        hidden layer sizes
 * @param ps            dropout probability after each hidden layer (PyTorch meaning: drop)
 * @param embDrop       dropout probability on the concatenated embeddings
 * @param yLow          sigmoid_range low
 * @param yHigh         sigmoid_range high
 * @param oneHot        one-hot codes instead of learned embeddings
 * @param seed          initialisation seed
 * @param dl4jLayers    built from DL4J's layers ({@link TabularGraph#build}) instead of the from-scratch {@link TabularNet}
 * @param classes       the target's classes for a classifier (one logit each, softmax cross-entropy; no
 *                      y range); empty for a regression (one output through sigmoid_range)
 */
public record TabularSpec(List<String> catNames, List<Integer> cardinalities, List<Integer> embSizes, int nCont,
                          List<Integer> layers, List<Double> ps, double embDrop, double yLow, double yHigh,
                          boolean oneHot, long seed, boolean dl4jLayers, List<String> classes) {
    public TabularSpec {
        classes = classes == null ? List.of() : classes; // models saved before classifiers: a regression
        if (classes.size() == 1) {
            throw new IllegalArgumentException("a classifier needs at least two classes, got " + classes);
        }
        if (catNames.size() != cardinalities.size() || catNames.size() != embSizes.size()) {
            throw new IllegalArgumentException("one cardinality and one embedding size per categorical column");
        }
        if (layers.size() != ps.size()) {
            throw new IllegalArgumentException("one dropout probability per layer: layers " + layers + ", ps " + ps);
        }
        if (catNames.isEmpty() && nCont == 0) {
            throw new IllegalArgumentException("a tabular model needs at least one column");
        }
    }

    /** Whether the model classifies (logits over {@link #classes()}) rather than regresses. */
    public boolean classifier() {
        return !classes.isEmpty();
    }

    /** Outputs of the last layer: one per class, or one value. */
    public int nOut() {
        return classifier() ? classes.size() : 1;
    }

    /** Width of the concatenated embeddings (or one-hot codes). */
    public int embeddingWidth() {
        return (oneHot ? cardinalities : embSizes).stream().mapToInt(Integer::intValue).sum();
    }
}
