/**
 * The loaded models: {@code ModelRegistry} scans the run folders, loads each through its module's
 * own safe loader, swaps replaced runs in one step and lists the ones that failed; {@code Served}
 * is one loaded model as the API sees it.
 *
 * <p>Imported by {@code serve.http} and {@code serve.cli}.
 */
package io.github.fastdl4j.serve.registry;
