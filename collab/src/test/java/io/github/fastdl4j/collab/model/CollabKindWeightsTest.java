package io.github.fastdl4j.collab.model;

import io.github.fastdl4j.collab.data.MetaFeatures;
import io.github.fastdl4j.common.dl4j.NetworkModel;
import io.github.fastdl4j.common.module.AdamW;
import io.github.fastdl4j.common.train.Trainable;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kind names its weights plainly, whichever engine runs it; DL4J's layer/param keys stay inside the model. */
class CollabKindWeightsTest {

    private static final int USERS = 7;
    private static final int MOVIES = 5;
    private static final int K = 3;

    private static Trainable create(CollabKind kind) {
        CollabSpec s = new CollabSpec(kind.cliName(), USERS, MOVIES, K, 0, 5.5, List.of(8), 1);
        MetaFeatures meta = new MetaFeatures(List.of("a"), new float[USERS][1], List.of("b", "c"), new float[MOVIES][2]);
        return kind.create(s, meta, AdamW.Mode.DENSE, new int[USERS][0]);
    }

    @Test
    void dotKindsNameFactorsAndBiasesAlike() {
        for (CollabKind kind : List.of(CollabKind.DOT, CollabKind.DOT_LINEAR, CollabKind.DOT_LAYERS, CollabKind.HYBRID)) {
            Trainable t = create(kind);
            assertTrue(t.weightNames().containsAll(Set.of(CollabModel.MOVIE_FACTORS, CollabModel.USER_FACTORS,
                    CollabModel.MOVIE_BIAS, CollabModel.USER_BIAS)), kind + ": " + t.weightNames());
            assertArrayEquals(new long[]{MOVIES, K}, t.weights(CollabModel.MOVIE_FACTORS).shape(), kind.cliName());
            assertArrayEquals(new long[]{USERS, K}, t.weights(CollabModel.USER_FACTORS).shape(), kind.cliName());
            assertArrayEquals(new long[]{MOVIES, 1}, t.weights(CollabModel.MOVIE_BIAS).shape(), kind.cliName());
            assertArrayEquals(new long[]{USERS, 1}, t.weights(CollabModel.USER_BIAS).shape(), kind.cliName());
        }
    }

    @Test
    void nnKindsNameTheirEmbeddings() {
        for (CollabKind kind : List.of(CollabKind.NN, CollabKind.NN_LAYERS, CollabKind.NN_BN, CollabKind.HYBRID)) {
            Trainable t = create(kind);
            assertEquals(MOVIES, t.weights(CollabModel.MOVIE_EMBEDDING).size(0), kind.cliName());
            assertEquals(USERS, t.weights(CollabModel.USER_EMBEDDING).size(0), kind.cliName());
        }
    }

    @Test
    void dl4jWeightsAreTheLayersOwnArraysAndTheirKeysAreNotNames() {
        NetworkModel t = (NetworkModel) create(CollabKind.DOT_LAYERS);
        ComputationGraph g = (ComputationGraph) t.network();
        assertSame(g.getLayer(EmbeddingDotBias.MOVIE_FACTORS).getParam("W"), t.weights(CollabModel.MOVIE_FACTORS));
        t.weights(CollabModel.USER_BIAS).assign(2);
        assertEquals(2.0, g.getLayer(EmbeddingDotBias.USER_BIAS).getParam("W").getDouble(3, 0));
        assertThrows(IllegalArgumentException.class, () -> t.weights("movie_factors/W"));
    }
}
