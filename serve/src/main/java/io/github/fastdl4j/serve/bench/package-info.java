/**
 * wrk's report read into figures (requests/s, latency percentiles, errors) for {@code serve bench}.
 *
 * <p>Imported by {@code serve.cli}.
 */
package io.github.fastdl4j.serve.bench;
