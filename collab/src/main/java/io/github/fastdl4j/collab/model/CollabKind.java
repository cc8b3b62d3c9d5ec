package io.github.fastdl4j.collab.model;

import io.github.fastdl4j.collab.data.MetaFeatures;
import io.github.fastdl4j.common.dl4j.NetworkModel;
import io.github.fastdl4j.common.module.AdamW;
import io.github.fastdl4j.common.train.Losses;
import io.github.fastdl4j.common.train.ModelSize;
import io.github.fastdl4j.common.train.ModuleModel;
import io.github.fastdl4j.common.train.Trainable;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.Arrays;

/**
 * The collaborative-filtering models, by their command-line names. Each kind owns how its model
 * is built ({@link #create}; a saved model is rebuilt the same way and then reads its weights);
 * every kind names its weights plainly ({@code movie_factors}, {@code user_bias}, {@code movie_embedding}),
 * whichever engine runs it, so nothing above it needs to know which one does.
 */
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
    HYBRID("hybrid"),
    /** {@link Bpr}: implicit feedback, ranking (Rendle et al.'s BPR), from scratch. */
    BPR("bpr");

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

    /** Whether the model's tables are row-sparse (from-scratch embeddings only), so AdamW can update only a batch's rows. */
    public boolean rowSparse() {
        return this == DOT || this == DOT_LINEAR || this == BPR;
    }

    /**
     * The AdamW mode a user gets without asking: LAZY where it applies, as it trains to the same
     * weights' quality at a cost per step that does not grow with the catalogue (ml-100k: the same
     * validation MSE; 9.7k movies: 7x the speed), DENSE (fastai's) elsewhere.
     */
    public AdamW.Mode defaultAdam() {
        return rowSparse() ? AdamW.Mode.LAZY : AdamW.Mode.DENSE;
    }

    /**
     * A freshly initialised model of this kind; {@code adam} LAZY makes the from-scratch dot models
     * update only the batch's rows (see {@link AdamW.Mode}); the others ignore it.
     */
    public Trainable create(CollabSpec s, MetaFeatures meta, AdamW.Mode adam) {
        return create(s, meta, adam, null);
    }

    /**
     * As {@link #create(CollabSpec, MetaFeatures, AdamW.Mode)}; {@code positives} (per user index,
     * the sorted movie indices of the user's training interactions) are what BPR never samples as
     * negatives (null when the model is only loaded to answer questions).
     */
    public Trainable create(CollabSpec s, MetaFeatures meta, AdamW.Mode adam, int[][] positives) {
        ModelSize.check(s.parameterCount(), "the " + cliName + " model");
        int hidden = s.layers().isEmpty() ? 100 : s.layers().get(0);
        return switch (this) {
            case BPR -> new ModuleModel(new Bpr(s.nUsers(), s.nMovies(), s.nFactors(), positives, s.seed(), DataType.FLOAT),
                    Bpr.loss(), AdamW.factory(adam));
            case DOT -> new ModuleModel(new DotProductBias(s.nUsers(), s.nMovies(), s.nFactors(), s.low(), s.high(),
                    s.seed(), DataType.FLOAT), Losses.mse(), AdamW.factory(adam));
            case DOT_LINEAR -> new ModuleModel(DotProductBias.linear(s.nUsers(), s.nMovies(), s.nFactors(), s.low(),
                    s.high(), s.seed(), DataType.FLOAT), Losses.mse(), AdamW.factory(adam));
            case DOT_LAYERS -> new NetworkModel(EmbeddingDotBias.build(s.nUsers(), s.nMovies(), s.nFactors(), s.low(),
                    s.high(), s.seed()), EmbeddingDotBias.WEIGHTS);
            case NN -> new ModuleModel(new CollabNN(s.nUsers(), s.nMovies(), hidden, s.low(), s.high(), s.seed(),
                    DataType.FLOAT), Losses.mse(), AdamW.factory());
            case NN_LAYERS -> new NetworkModel(EmbeddingNN.build(s.nUsers(), s.nMovies(), hidden, s.low(), s.high(),
                    s.seed()), EmbeddingNN.WEIGHTS);
            case NN_BN -> new NetworkModel(EmbeddingNN.buildWithBatchNorm(s.nUsers(), s.nMovies(),
                    s.layers().stream().mapToInt(Integer::intValue).toArray(), s.low(), s.high(), s.seed()), EmbeddingNN.WEIGHTS);
            case HYBRID -> new NetworkModel(HybridCollab.build(s.nUsers(), s.nMovies(), s.nFactors(), meta.userWidth(),
                    meta.movieWidth(), hidden, s.low(), s.high(), s.seed()), HybridCollab.WEIGHTS);
        };
    }

    /** Whether the model learns from interactions (its scores rank movies; they are not ratings). */
    public boolean implicit() {
        return this == BPR;
    }

    /** Whether the model needs the metadata tables (user and movie features). */
    public boolean usesMetadata() {
        return this == HYBRID;
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
