package io.github.fastdl4j.collab.model;

import io.github.fastdl4j.common.data.DataException;

import java.nio.file.Path;
import java.util.List;

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
     * This spec, after checking that it describes a model that could be in a zip of
     * {@code archiveBytes} unpacked bytes (every user and movie has at least its factors or its
     * embedding, 4 bytes each): so a crafted spec cannot make the loader build a huge model.
     */
    public CollabSpec checked(Path file, long archiveBytes) {
        try {
            CollabKind k = kindEnum();
            boolean ok = nUsers >= 1 && nMovies >= 1 && nFactors >= 1 && nFactors <= 100_000
                    && Double.isFinite(low) && Double.isFinite(high) && high > low && layers != null
                    && layers.size() <= 16 && layers.stream().allMatch(l -> l != null && l >= 1 && l <= 100_000);
            if (!ok) {
                throw DataException.inFile(file, "entry collab.json describes no valid model: " + this);
            }
            long perRow = k.hasBiases() ? nFactors + 1L : 1L;
            long minValues = ((long) nUsers + nMovies) * perRow;
            if (minValues * 4 > archiveBytes) {
                throw DataException.inFile(file, "entry collab.json describes a model of at least " + minValues
                        + " values, more than the zip's " + archiveBytes + " bytes can hold");
            }
            return this;
        } catch (IllegalArgumentException e) {
            throw DataException.inFile(file, "entry collab.json: " + e.getMessage());
        }
    }
}
