/**
 * FastNet: the convnets' layers written as our own modules, each calling one oneDNN primitive
 * (through JavaCPP's dnnl) on memory kept in oneDNN's blocked layouts, with one plan per batch
 * size; and the opt-in {@code Profile}.
 *
 * <p>Imported by {@code vision.model} (and {@code vision.cli} for the profile). Imports {@code
 * common.module}.
 */
package io.github.fastdl4j.vision.model.fast;
