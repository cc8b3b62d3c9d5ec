/**
 * fastai's {@code TabularModel} twice: {@code TabularNet} from scratch (a common {@code Module})
 * and {@code TabularGraph} from DL4J's layers, with {@code TabularSpec} (what a saved model is),
 * {@code TabularPredictor} (raw rows in, predictions out), its prediction files ({@code
 * Predictions}), baselines and the RMSPE metric.
 *
 * <p>Imported by the other tabular packages. The only tabular package that builds DL4J graphs.
 */
package io.github.fastdl4j.tabular.model;
