/**
 * The from-scratch framework the lesson's models are written in: {@code Module} (parameters,
 * buffers, forward and hand-written backward), {@code Parameter}, {@code Buffer}, {@code Loss},
 * {@code AdamW} (over {@code FusedAdam} and {@code LazyRows}), the shared kernels ({@code
 * Activations}, {@code EmbeddingTable}, {@code BatchNorm}), {@code GradientCheck}, and the memory
 * helpers {@code NioView} and {@code RowRanges}. One copy of each kernel lives here.
 *
 * <p>Imported by the modules' {@code model} packages and by {@code common.train}. Imports nothing
 * of fastdl4j and no DL4J network class (ND4J arrays only).
 */
package io.github.fastdl4j.common.module;
