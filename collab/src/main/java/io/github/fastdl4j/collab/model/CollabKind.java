package io.github.fastdl4j.collab.model;

import java.util.Arrays;

/** The collaborative-filtering models, by their command-line names. */
public enum CollabKind {
    /** {@link DotProductBias}, from scratch. */
    DOT("dot"),
    /**
     * {@link DotProductBias#linear}: mean + biases + dot product without sigmoid_range, the way an
     * ALS model predicts (collab-spark saves Spark-trained models as this kind).
     */
    DOT_LINEAR("dot-linear"),
    /** {@link EmbeddingDotBias}, DL4J layers. */
    DOT_LAYERS("dot-layers"),
    /** {@link CollabNN}, fastbook's CollabNN, from scratch. */
    NN("nn"),
    /** {@link EmbeddingNN#build}, the same CollabNN from DL4J layers. */
    NN_LAYERS("nn-layers"),
    /** {@link EmbeddingNN#buildWithBatchNorm}, fastai's collab_learner(use_nn=True, layers=[100, 50]). */
    NN_BN("nn-bn"),
    /** {@link HybridCollab}: dot product + NN + metadata. */
    HYBRID("hybrid");

    private final String cliName;

    CollabKind(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** Whether the model has per-user and per-movie biases and dot-product factors to interpret. */
    public boolean hasBiases() {
        return this == DOT || this == DOT_LINEAR || this == DOT_LAYERS || this == HYBRID;
    }

    public static CollabKind of(String name) {
        return Arrays.stream(values()).filter(k -> k.cliName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown model '" + name + "': expected one of "
                        + Arrays.stream(values()).map(CollabKind::cliName).toList()));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
