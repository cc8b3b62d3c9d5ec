/**
 * Tables and their preprocessing: {@code TabularFrame}, any CSV ({@code TabularCsv}), the Rossmann
 * layout ({@code Rossmann}, {@code RossmannFeatures}), fastai's procs ({@code Categorify}, {@code
 * FillMissing}, {@code Normalize}, {@code DatePart}, {@code Elapsed}) fitted on training rows in
 * {@code TabularPipeline}, its DataVec {@code TransformProcess} export, how validation rows are
 * chosen ({@code TabularSplits}), and the shop-sales simulator.
 *
 * <p>Imported by the other tabular packages. Imports common's {@code data} and {@code io}.
 */
package io.github.fastdl4j.tabular.data;
