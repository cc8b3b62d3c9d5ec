package io.github.fastdl4j.common.train;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a trained model came from, saved with it (like Tribuo's provenance): enough to
 * reproduce the run.
 *
 * @param job          e.g. {@code collab}
 * @param model        e.g. {@code dot}
 * @param config       the resolved hyper-parameters
 * @param seed         the seed of every random choice
 * @param dataChecksum SHA-256 over the training data files
 * @param backend      the backend line of the run
 * @param created      when the model was trained
 */
public record Provenance(String job, String model, Map<String, Object> config, long seed, String dataChecksum,
                         String backend, String created) {

    public static Provenance of(String job, String model, Map<String, Object> config, long seed, String dataChecksum,
                                String backend) {
        // a copy that keeps the config's order and allows null values (options left unset)
        return new Provenance(job, model, Collections.unmodifiableMap(new LinkedHashMap<>(config)), seed,
                dataChecksum, backend, Instant.now().toString());
    }
}
