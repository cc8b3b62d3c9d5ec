/**
 * What a run shows: PCA ({@code Pca}, Commons Math's SVD) and charts written as PNGs ({@code
 * Charts}, XChart, atomic writes) and the hand-drawn ones ({@code Canvas}: maps, image grids, the
 * confusion matrix).
 *
 * <p>Imported by the modules' {@code interpret} packages and {@code vision.explain}. Imports only {@code common.io}.
 */
package io.github.fastdl4j.common.interpret;
