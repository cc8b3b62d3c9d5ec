package io.github.fastdl4j.vision.model.fast;

import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_post_ops;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * The few oneDNN calls the fast layers need, through JavaCPP's C-API presets
 * ({@code org.bytedeco:dnnl}, built against the same JavaCPP 1.5.7 as ND4J M2.1; its own
 * {@code libdnnl.so.2} loads beside the oneDNN that {@code libnd4jcpu.so} links statically, which
 * exports none of oneDNN's C functions). One CPU engine and stream for the process; every call's
 * status is checked and a failure names the call.
 */
final class Dnnl {

    static final dnnl_engine ENGINE;
    static final dnnl_stream STREAM;

    static {
        Loader.load(org.bytedeco.dnnl.global.dnnl.class);
        String isa = System.getProperty("fastdl4j.dnnl.isa", "");
        if (!isa.isEmpty()) {
            int v = switch (isa) {
                case "avx2" -> dnnl_cpu_isa_avx2;
                case "avx512_core" -> dnnl_cpu_isa_avx512_core;
                case "all" -> dnnl_cpu_isa_all;
                default -> throw new IllegalArgumentException("fastdl4j.dnnl.isa: avx2, avx512_core or all, got " + isa);
            };
            check(dnnl_set_max_cpu_isa(v), "dnnl_set_max_cpu_isa " + isa);
        }
        ENGINE = new dnnl_engine();
        check(dnnl_engine_create(ENGINE, dnnl_cpu, 0), "dnnl_engine_create");
        STREAM = new dnnl_stream();
        check(dnnl_stream_create(STREAM, ENGINE, dnnl_stream_default_flags), "dnnl_stream_create");
    }

    /** {@code -Dfastdl4j.dnnl.profile=true}: time every primitive ({@link Profile}). */
    static final boolean PROFILE = Boolean.getBoolean("fastdl4j.dnnl.profile");

    private Dnnl() {
    }

    static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN: " + what + " failed with status " + status);
        }
    }

    /** A memory descriptor of f32 values with logical {@code dims} in the layout {@code tag} (or {@code dnnl_format_tag_any}). */
    static dnnl_memory_desc_t md(long[] dims, int tag) {
        dnnl_memory_desc_t m = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_tag(m, dims.length, dims, dnnl_f32, tag), "dnnl_memory_desc_init_by_tag");
        return m;
    }

    /** A primitive descriptor for an initialised operation descriptor (the first implementation oneDNN offers). */
    static dnnl_primitive_desc pd(Pointer opDesc, dnnl_primitive_attr attr, dnnl_primitive_desc hint) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(opDesc), attr, ENGINE, hint), "dnnl_primitive_desc_create");
        return pd;
    }

    /** A copy of one of {@code pd}'s memory descriptors ({@code dnnl_query_src_md}, ...). */
    static dnnl_memory_desc_t query(dnnl_primitive_desc pd, int what, int index) {
        dnnl_memory_desc_t q = dnnl_primitive_desc_query_md(pd, what, index);
        if (q == null || q.isNull()) {
            throw new IllegalStateException("oneDNN: no memory descriptor " + what + "/" + index);
        }
        dnnl_memory_desc_t copy = new dnnl_memory_desc_t();
        Pointer.memcpy(copy, q, copy.sizeof());
        return copy;
    }

    /** Whether the primitive has that memory (e.g. a workspace). */
    static boolean has(dnnl_primitive_desc pd, int what, int index) {
        dnnl_memory_desc_t q = dnnl_primitive_desc_query_md(pd, what, index);
        return q != null && !q.isNull() && q.ndims() > 0;
    }

    static boolean same(dnnl_memory_desc_t a, dnnl_memory_desc_t b) {
        return dnnl_memory_desc_equal(a, b) != 0;
    }

    static long bytes(dnnl_memory_desc_t md) {
        return dnnl_memory_desc_get_size(md);
    }

    /** The implementation oneDNN chose, e.g. {@code jit:avx512_common}. */
    static String impl(dnnl_primitive_desc pd) {
        PointerPointer<BytePointer> info = new PointerPointer<>(1);
        check(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, info), "impl_info_str");
        return info.getString(0);
    }

    /** An attribute whose only post-op adds the primitive's result to what the destination holds. */
    static dnnl_primitive_attr accumulate() {
        dnnl_primitive_attr attr = new dnnl_primitive_attr();
        check(dnnl_primitive_attr_create(attr), "dnnl_primitive_attr_create");
        dnnl_post_ops ops = new dnnl_post_ops();
        check(dnnl_post_ops_create(ops), "dnnl_post_ops_create");
        check(dnnl_post_ops_append_sum(ops, 1f), "dnnl_post_ops_append_sum");
        check(dnnl_primitive_attr_set_post_ops(attr, ops), "dnnl_primitive_attr_set_post_ops");
        dnnl_post_ops_destroy(ops);
        return attr;
    }

    /** A primitive with its arguments bound once: each {@link #run} executes it on the same memories. */
    static final class Exec {
        final String name;
        final dnnl_primitive_desc pd;
        private final dnnl_primitive prim;
        private final dnnl_exec_arg_t args;
        private final int count;
        private final List<Tensor> bound = new ArrayList<>();

        /** @param argsAndTensors pairs of {@code DNNL_ARG_...} and {@link Tensor} */
        Exec(String name, dnnl_primitive_desc pd, Object... argsAndTensors) {
            this.name = name;
            this.pd = pd;
            this.prim = new dnnl_primitive();
            check(dnnl_primitive_create(prim, pd), "dnnl_primitive_create " + name);
            this.count = argsAndTensors.length / 2;
            this.args = new dnnl_exec_arg_t(count);
            for (int i = 0; i < count; i++) {
                Tensor t = (Tensor) argsAndTensors[2 * i + 1];
                args.position(i).arg((Integer) argsAndTensors[2 * i]).memory(t.mem);
                bound.add(t);
            }
            args.position(0);
        }

        void run() {
            if (PROFILE) {
                long t0 = System.nanoTime();
                check(dnnl_primitive_execute(prim, STREAM, count, args), name);
                Profile.add(name, System.nanoTime() - t0);
                return;
            }
            check(dnnl_primitive_execute(prim, STREAM, count, args), name);
        }

        void close() {
            dnnl_primitive_destroy(prim);
            dnnl_primitive_desc_destroy(pd);
            args.deallocate();
        }
    }

    /** A reorder from one memory to another of the same logical shape, optionally adding into the destination. */
    static Exec reorder(String name, Tensor from, Tensor to, boolean accumulate) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        dnnl_primitive_attr attr = accumulate ? accumulate() : null;
        check(dnnl_reorder_primitive_desc_create(pd, from.md, ENGINE, to.md, ENGINE, attr), "reorder " + name);
        if (attr != null) {
            dnnl_primitive_attr_destroy(attr);
        }
        return new Exec(name, pd, DNNL_ARG_FROM, from, DNNL_ARG_TO, to);
    }

    static void waitStream() {
        check(dnnl_stream_wait(STREAM), "dnnl_stream_wait");
    }
}
