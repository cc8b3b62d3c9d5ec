package io.github.fastdl4j.vision.model.fast;

import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;

import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_set_data_handle;

/**
 * One oneDNN memory: a descriptor (logical shape and physical layout, e.g. channels blocked by 8
 * or 16) and the native buffer it describes. Either the tensor owns its buffer (64-byte aligned,
 * zeroed, kept for the life of a plan: activations, gradients, workspaces) or it points at
 * another array's memory, set before each use ({@link #point}): the batch's images, a
 * parameter's value or gradient, so nothing is copied on the way in or out.
 */
final class Tensor {

    private static final int ALIGN = 64;

    final String name;
    final dnnl_memory_desc_t md;
    final long bytes;
    final dnnl_memory mem;
    private BytePointer owned;     // the allocation (unaligned), null for a tensor that points elsewhere
    private Pointer data;          // where the values are
    private INDArray pinned;       // an array pointed at: kept reachable while pointed at

    private Tensor(String name, dnnl_memory_desc_t md, Pointer data, BytePointer owned) {
        this.name = name;
        this.md = md;
        this.bytes = Dnnl.bytes(md);
        this.mem = new dnnl_memory();
        this.owned = owned;
        this.data = data;
        Dnnl.check(dnnl_memory_create(mem, md, Dnnl.ENGINE, data), "dnnl_memory_create " + name);
    }

    /** A tensor with its own zeroed, aligned buffer. */
    static Tensor allocate(String name, dnnl_memory_desc_t md) {
        long bytes = Math.max(Dnnl.bytes(md), 4);
        BytePointer raw = new BytePointer(bytes + ALIGN);
        Pointer.memset(raw, 0, bytes + ALIGN);
        long skip = (ALIGN - (raw.address() % ALIGN)) % ALIGN;
        return new Tensor(name, md, new BytePointer(raw).position(skip).limit(skip + bytes), raw);
    }

    /** Another view of this tensor's memory, with another descriptor of the same size (e.g. [n, c, 1, 1] as [n, c]). */
    Tensor alias(String name, dnnl_memory_desc_t md) {
        if (Dnnl.bytes(md) != bytes) {
            throw new IllegalArgumentException(name + ": an alias needs the same size");
        }
        return new Tensor(name, md, data, null);
    }

    /** A tensor over memory it does not own; {@link #point} sets where before each use. */
    static Tensor external(String name, dnnl_memory_desc_t md) {
        return new Tensor(name, md, null, null);
    }

    /** Points this (external) tensor at a contiguous row-major FLOAT array of exactly its size. */
    void point(INDArray array) {
        if (array.dataType() != DataType.FLOAT || array.isView() || array.ordering() != 'c' || array.offset() != 0
                || array.length() * 4 != bytes) {
            throw new IllegalArgumentException(name + ": needs a contiguous row-major FLOAT array of " + bytes / 4
                    + " values, got " + array.shapeInfoToString());
        }
        Nd4j.getAffinityManager().ensureLocation(array, AffinityManager.Location.HOST);
        Pointer p = array.data().addressPointer();
        if (p != data || pinned != array) {
            data = p;
            pinned = array;
            Dnnl.check(dnnl_memory_set_data_handle(mem, p), "dnnl_memory_set_data_handle " + name);
        }
    }

    /** Marks an array this tensor pointed at, and wrote, as current (GPU backends keep two copies). */
    static void wrote(INDArray array) {
        Nd4j.getAffinityManager().tagLocation(array, AffinityManager.Location.HOST);
    }

    /** The values as a float buffer (plain layouts: in logical order). */
    FloatBuffer floats() {
        if (!(data instanceof BytePointer b)) {
            throw new IllegalStateException(name + " points at an array: read that array");
        }
        return b.asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** Copies {@code n} floats from this tensor's start into a fresh INDArray of {@code shape}. */
    INDArray toArray(long... shape) {
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, shape);
        Pointer.memcpy(out.data().addressPointer(), data, out.length() * 4);
        wrote(out);
        return out;
    }

    /** Copies a contiguous FLOAT array of this tensor's size into it. */
    void copyFrom(INDArray array) {
        if (array.length() * 4 != bytes) {
            throw new IllegalArgumentException(name + ": needs " + bytes / 4 + " values, got " + array.shapeInfoToString());
        }
        if (array.dataType() != DataType.FLOAT || array.isView() || array.ordering() != 'c' || array.offset() != 0) {
            array = array.castTo(DataType.FLOAT).dup('c');
        }
        Nd4j.getAffinityManager().ensureLocation(array, AffinityManager.Location.HOST);
        Pointer.memcpy(data, array.data().addressPointer(), bytes);
    }

    void close() {
        dnnl_memory_destroy(mem);
        if (owned != null) {
            owned.deallocate();
            owned = null;
        }
        data = null;
        pinned = null;
    }
}
