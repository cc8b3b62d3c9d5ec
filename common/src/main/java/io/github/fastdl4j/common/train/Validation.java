package io.github.fastdl4j.common.train;

import java.util.Map;

/**
 * Loss and metrics on a whole data set.
 *
 * @param loss    the learner's loss on all predictions
 * @param metrics metric values by name
 */
public record Validation(double loss, Map<String, Double> metrics) {
}
