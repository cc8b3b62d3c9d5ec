/**
 * Safe files: atomic writes ({@code AtomicFiles}: temp, fsync, rename), output folders written as
 * a unit ({@code RunFolder}), NumPy {@code .npy} arrays ({@code Npy}) and the strict reader of
 * 0.1's ND4J arrays. Nothing here deserializes Java objects.
 *
 * <p>Imported by every package that writes or reads a file. Imports nothing of fastdl4j.
 */
package io.github.fastdl4j.common.io;
