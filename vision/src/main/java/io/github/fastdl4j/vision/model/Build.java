package io.github.fastdl4j.vision.model;

import java.util.Arrays;

/** How a network is built and run, by command-line name. */
public enum Build {
    /** DL4J as shipped: a ComputationGraph, layer helpers off (M2.1 never turns them on). */
    STOCK("stock"),
    /** The same graph with DL4J's oneDNN layer helpers switched on ({@code OneDnnHelpers}). */
    ONEDNN("onednn"),
    /** Written from scratch as a {@code Module} ({@link SimpleCnn}: simple-cnn and wide-cnn). */
    SCRATCH("scratch");

    private final String cliName;

    Build(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** Whether {@code arch} can be built this way. */
    public boolean supports(Arch arch) {
        return this != SCRATCH || arch.convLayerChannels() != null;
    }

    /** The fastest build of {@code arch}: scratch where it exists, else oneDNN helpers. */
    public static Build fastest(Arch arch) {
        return SCRATCH.supports(arch) ? SCRATCH : ONEDNN;
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
