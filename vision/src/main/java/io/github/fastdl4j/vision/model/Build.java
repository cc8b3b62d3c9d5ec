package io.github.fastdl4j.vision.model;

import io.github.fastdl4j.common.dl4j.NetworkModel;
import io.github.fastdl4j.common.dl4j.OneDnnHelpers;
import io.github.fastdl4j.common.module.AdamW;
import io.github.fastdl4j.common.train.Losses;
import io.github.fastdl4j.common.train.ModuleModel;
import io.github.fastdl4j.common.train.Trainable;
import io.github.fastdl4j.vision.model.fast.FastNet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a network is built and run, by command-line name. Each build owns how its networks are
 * created (a saved model is rebuilt the same way, then reads its weights) and what they output.
 */
public enum Build {
    /** DL4J as shipped: a ComputationGraph, layer helpers off (M2.1 never turns them on). */
    STOCK("stock"),
    /** The same graph with DL4J's oneDNN layer helpers switched on ({@code OneDnnHelpers}). */
    ONEDNN("onednn"),
    /**
     * Written from scratch as a {@code Module} ({@link FastNet}): our layers on oneDNN's kernels,
     * every architecture; the default.
     */
    SCRATCH("scratch");

    private final String cliName;

    Build(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** A freshly initialised network of {@code arch} for MNIST (1 x 28 x 28 in, 10 digits out). */
    public Trainable create(Arch arch, ArchOptions options) {
        return create(arch, options, 1, 28, 10);
    }

    /** A freshly initialised network of {@code arch} for the images and classes of {@code input}. */
    public Trainable create(Arch arch, ArchOptions options, InputSpec input) {
        return create(arch, options, input.channels(), input.size(), input.classCount());
    }

    /**
     * A freshly initialised network of {@code arch} for {@code channels} x {@code size} x
     * {@code size} images and {@code classes} classes. DL4J builds switch the oneDNN helpers on
     * or off (a global setting) before building.
     */
    public Trainable create(Arch arch, ArchOptions options, int channels, int size, int classes) {
        if (this == SCRATCH) {
            return new ModuleModel(FastNet.of(arch, options, channels, size, classes), Losses.crossEntropyOnLogits(), AdamW.factory());
        }
        OneDnnHelpers.enable(this == ONEDNN);
        return new NetworkModel(Architectures.build(arch, options, channels, size, classes));
    }

    /**
     * The fastest build of {@code arch}: on the CPU the from-scratch one; on a CUDA backend DL4J's
     * graph (cuDNN), since FastNet's oneDNN primitives run on the CPU and read host memory.
     */
    public static Build fastest(Arch arch) {
        String backend = String.valueOf(Nd4j.getExecutioner().getEnvironmentInformation()
                .getProperty("backend", "CPU"));
        return backend.toUpperCase(Locale.ROOT).contains("CUDA") ? STOCK : SCRATCH;
    }

    public static Build of(String name) {
        return Arrays.stream(values()).filter(b -> b.cliName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown build '" + name + "': expected one of "
                        + Arrays.stream(values()).map(Build::cliName).toList()));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
