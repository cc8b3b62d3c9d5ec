/**
 * Ratings: both MovieLens layouts and any ratings table ({@code RatingsLoader}, through common's
 * {@code CsvTable}), the {@code Ratings} they become, id vocabularies ({@code IdVocab}, {@code
 * #na#} = 0), movie and user metadata, and the simulated ratings of {@code collab generate}.
 *
 * <p>Imported by every collab package and by collab-spark. Imports {@code common.data}, {@code
 * common.io}, {@code common.train}.
 */
package io.github.fastdl4j.collab.data;
