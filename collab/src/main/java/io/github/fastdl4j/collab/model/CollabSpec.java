package io.github.fastdl4j.collab.model;

import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.nn.EmbeddingSizes;
import io.github.fastdl4j.common.train.ModelSize;

import java.nio.file.Path;
import java.util.List;
import java.util.function.LongBinaryOperator;

/**
 * Everything needed to rebuild a collab model's architecture (saved with it).
 *
 * @param kind     which model
 * @param nUsers   user vocabulary size
 * @param nMovies  movie vocabulary size
 * @param nFactors dot-product factors (dot, dot-layers, hybrid)
 * @param low      y range low
 * @param high     y range high
 * @param layers   hidden layer sizes (nn: one size, nn-bn: e.g. [100, 50], hybrid: one size)
 * @param seed     initialisation seed
 */
public record CollabSpec(String kind, int nUsers, int nMovies, int nFactors, double low, double high,
                         List<Integer> layers, long seed) {

    public CollabKind kindEnum() {
        return CollabKind.of(kind);
    }

    /**
     * About how many parameters the model has (the embedding tables and the hidden layers; small
     * terms may be left out): what the memory check and the loader's size check use. Saturates at
     * Long.MAX_VALUE.
     */
    public long parameterCount() {
        long u = nUsers;
        long m = nMovies;
        long k = nFactors;
        LongBinaryOperator mul = ModelSize::multiply;
        return switch (kindEnum()) {
            case DOT, DOT_LINEAR, DOT_LAYERS -> mul.applyAsLong(u + m, k + 1);
            case BPR -> mul.applyAsLong(u + m, k + 1);
            case HYBRID -> add(mul.applyAsLong(u + m, k + 1), dense(k + 2, layers.isEmpty() ? 100 : layers.get(0)));
            case NN, NN_LAYERS, NN_BN -> {
                long eu = EmbeddingSizes.rule((int) Math.min(Integer.MAX_VALUE, u));
                long em = EmbeddingSizes.rule((int) Math.min(Integer.MAX_VALUE, m));
                long total = add(mul.applyAsLong(u, eu), mul.applyAsLong(m, em));
                long in = eu + em;
                for (int width : layers.isEmpty() ? List.of(100) : layers) {
                    total = add(total, dense(in, width));
                    in = width;
                }
                yield add(total, in + 1);
            }
        };
    }

    private static long dense(long in, long out) {
        return add(ModelSize.multiply(in, out), out);
    }

    private static long add(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }

    /**
     * This spec, after checking that it describes a model that could be in a zip of
     * {@code archiveBytes} unpacked bytes (every user and movie has at least its factors or its
     * embedding, 4 bytes each): so a crafted spec cannot make the loader build a huge model.
     */
    public CollabSpec checked(Path file, long archiveBytes) {
        try {
            CollabKind k = kindEnum();
            boolean ok = nUsers >= 1 && nMovies >= 1 && nFactors >= 1 && nFactors <= 100_000
                    && Double.isFinite(low) && Double.isFinite(high) && high > low && Math.abs(low) < 1e6 && Math.abs(high) < 1e6
                    && layers != null
                    && layers.size() <= 16 && layers.stream().allMatch(l -> l != null && l >= 1 && l <= 100_000);
            if (!ok) {
                throw BadInputException.inFile(file, "entry collab.json describes no valid model: " + this);
            }
            long values = parameterCount();
            if (ModelSize.multiply(values, 4) > archiveBytes) {
                throw BadInputException.inFile(file, "entry collab.json describes a model of about " + values
                        + " values, more than the zip's " + archiveBytes + " bytes can hold");
            }
            return this;
        } catch (IllegalArgumentException e) {
            throw BadInputException.inFile(file, "entry collab.json: " + e.getMessage());
        }
    }
}
