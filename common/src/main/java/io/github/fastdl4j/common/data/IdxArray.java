package io.github.fastdl4j.common.data;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The content of an IDX file: its dimensions and its unsigned-byte values in row-major order.
 *
 * @param dims dimension sizes, e.g. [60000, 28, 28] for MNIST training images
 * @param data   the values, {@code Byte.toUnsignedInt} gives 0..255
 * @param source the file it was read from (for messages), or null
 */
public record IdxArray(int[] dims, byte[] data, Path source) {

    public IdxArray(int[] dims, byte[] data) {
        this(dims, data, null);
    }

    /** Number of items (the first dimension). */
    public int count() {
        return dims[0];
    }

    /** Values per item (product of the other dimensions). */
    public int itemSize() {
        int s = 1;
        for (int i = 1; i < dims.length; i++) {
            s *= dims[i];
        }
        return s;
    }

    /** The unsigned value at a flat position. */
    public int get(int flatIndex) {
        return Byte.toUnsignedInt(data[flatIndex]);
    }

    @Override
    public String toString() {
        return "IdxArray" + Arrays.toString(dims);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdxArray other && Arrays.equals(dims, other.dims) && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(dims) + Arrays.hashCode(data);
    }
}
