/**
 * Evaluation the way recommender libraries publish it: protocols (ml-100k's u1..u5, ua, ub,
 * random, cold start), rating and ranking metrics, the popularity and bias-only baselines.
 *
 * <p>Imported by the collab and collab-spark command lines.
 */
package io.github.fastdl4j.collab.evaluate;
