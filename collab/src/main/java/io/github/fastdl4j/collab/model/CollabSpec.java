package io.github.fastdl4j.collab.model;

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
}
