/**
 * What a run shows: PCA ({@code Pca}, Commons Math's SVD) and charts written as PNGs ({@code
 * Charts}, XChart, atomic writes).
 *
 * <p>Imported by the modules' {@code interpret} packages. Imports only {@code common.io}.
 */
package io.github.fastdl4j.common.interpret;
