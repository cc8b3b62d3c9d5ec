/**
 * Everything that knows DL4J's network classes: {@code NetworkModel} (a DL4J graph behind the
 * {@code Trainable} seam), DL4J's {@code SigmoidRange} activation, dropout conversion ({@code
 * Dropouts}: PyTorch's drop probability to DL4J's keep probability), the oneDNN helper switch, and
 * the strict reader of fastdl4j 0.1's network zips.
 *
 * <p>Imported by the modules' {@code model} packages where they build a DL4J graph, and by their
 * {@code cli} packages. Nothing else in {@code common} imports it: the loop sees a {@code
 * Trainable}.
 */
package io.github.fastdl4j.common.dl4j;
