package io.github.fastdl4j.vision.model.fast;

import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_mish;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_relu;

/** The activation after a convolution (and its batchnorm) or a dense layer. */
public enum Act {
    NONE, RELU, MISH;

    /** {@code relu} or {@code mish}, as {@code ArchOptions.activation()}. */
    public static Act of(String name) {
        return switch (name) {
            case "relu" -> RELU;
            case "mish" -> MISH;
            default -> throw new IllegalArgumentException("activation must be relu or mish, got '" + name + "'");
        };
    }

    /** PyTorch's module name. */
    String torchName() {
        return switch (this) {
            case RELU -> "ReLU";
            case MISH -> "Mish";
            case NONE -> "Identity";
        };
    }

    int eltwise() {
        return switch (this) {
            case RELU -> dnnl_eltwise_relu;
            case MISH -> dnnl_eltwise_mish;
            case NONE -> throw new IllegalStateException("no activation");
        };
    }
}
