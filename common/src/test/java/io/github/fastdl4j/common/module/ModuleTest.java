package io.github.fastdl4j.common.module;

import io.github.fastdl4j.common.testing.LinearModule;
import io.github.fastdl4j.common.train.Losses;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModuleTest {

    @Test
    void handWrittenGradientsMatchFiniteDifferences() {
        LinearModule m = new LinearModule(3, 5, DataType.DOUBLE, 1);
        Nd4j.getRandom().setSeed(2);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 8, 3);
        INDArray y = Nd4j.randn(DataType.DOUBLE, 8, 1);
        // double precision, eps 1e-6: central differences are accurate to ~1e-9 here
        double err = GradientCheck.maxRelativeError(m, new INDArray[]{x}, y, Losses.mse(), 1e-6, 100, 3);
        assertTrue(err < 1e-6, "max relative error " + err);
    }

    @Test
    void gradientCheckCatchesAWrongBackward() {
        LinearModule good = new LinearModule(3, 5, DataType.DOUBLE, 1);
        Module broken = new Module() {
            @Override
            public java.util.List<Parameter> parameters() {
                return good.parameters();
            }

            @Override
            public INDArray forward(INDArray[] inputs, boolean training) {
                return good.forward(inputs, training);
            }

            @Override
            public void backward(INDArray g) {
                good.backward(g.mul(1.5)); // wrong by a factor
            }
        };
        INDArray x = Nd4j.randn(DataType.DOUBLE, 8, 3);
        INDArray y = Nd4j.randn(DataType.DOUBLE, 8, 1);
        assertTrue(GradientCheck.maxRelativeError(broken, new INDArray[]{x}, y, Losses.mse(), 1e-6, 100, 3) > 0.1);
    }

    @Test
    void parametersByNameWithShapes() {
        LinearModule m = new LinearModule(3, 5, DataType.FLOAT, 1);
        assertArrayEquals(new long[]{3, 5}, m.parameter("w1").shape());
        assertEquals(3 * 5 + 5 + 5 + 1, m.parameterCount());
        assertThrows(java.util.NoSuchElementException.class, () -> m.parameter("nope"));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(AdamW.Kernel.class)
    void adamWStepMatchesTheFormulaAndReadsTheRateEachStep(AdamW.Kernel kernel) {
        Module one = new Module() {
            final Parameter p = new Parameter("p", Nd4j.create(new float[][]{{1.0f}}), true);

            @Override
            public java.util.List<Parameter> parameters() {
                return java.util.List.of(p);
            }

            @Override
            public INDArray forward(INDArray[] inputs, boolean training) {
                return p.value();
            }

            @Override
            public void backward(INDArray g) {
                p.grad().assign(g);
            }
        };
        AdamW opt = new AdamW(one, 0.9, 0.99, 1e-5, kernel);
        Parameter p = one.parameter("p");
        p.grad().assign(0.5);
        opt.step(0.1, 0.01, 0.9, 0);
        // decoupled decay: 1 * (1 - 0.1 * 0.01) = 0.999; Adam's first step moves by lr * g/(|g| + eps)
        double step1 = 0.1 * 0.05 / (Math.sqrt(0.0025) + 1e-5);
        assertEquals(0.999 - step1, p.value().getDouble(0), 1e-6); // float parameters
        assertEquals(0, p.grad().getDouble(0), "gradients are zeroed after the step");
        // second step with another rate: m = 0.9*0.05 + 0.1*0.5, v = 0.99*0.0025 + 0.01*0.25
        double before = p.value().getDouble(0);
        p.grad().assign(0.5);
        opt.step(0.01, 0, 0.9, 0);
        double m = 0.9 * 0.05 + 0.05;
        double v = 0.99 * 0.0025 + 0.0025;
        double alpha = 0.01 * Math.sqrt(1 - 0.99 * 0.99) / (1 - 0.9 * 0.9);
        assertEquals(before - alpha * m / (Math.sqrt(v) + 1e-5), p.value().getDouble(0), 1e-6);
    }

    @Test
    void fusedAndNd4jKernelsAgree() {
        LinearModule a = new LinearModule(3, 7, DataType.FLOAT, 5);
        LinearModule b = new LinearModule(3, 7, DataType.FLOAT, 5);
        AdamW fa = new AdamW(a, 0.9, 0.99, 1e-5, AdamW.Kernel.FUSED);
        AdamW fb = new AdamW(b, 0.9, 0.99, 1e-5, AdamW.Kernel.ND4J);
        Nd4j.getRandom().setSeed(9);
        for (int step = 0; step < 20; step++) {
            INDArray x = Nd4j.randn(DataType.FLOAT, 16, 3);
            INDArray y = Nd4j.randn(DataType.FLOAT, 16, 1);
            for (LinearModule m : java.util.List.of(a, b)) {
                INDArray out = m.forward(new INDArray[]{x}, true);
                m.backward(Losses.mse().gradient(out, y));
            }
            double lr = 1e-2 * (1 + step % 3);
            fa.step(lr, 0.1, 0.9 - 0.005 * step, 0);
            fb.step(lr, 0.1, 0.9 - 0.005 * step, 0);
        }
        for (int i = 0; i < a.parameters().size(); i++) {
            // float arithmetic in two orders: agreement to ~1e-6 relative over 20 steps
            INDArray va = a.parameters().get(i).value();
            INDArray vb = b.parameters().get(i).value();
            assertTrue(va.equalsWithEps(vb, 1e-5), a.parameters().get(i) + ": " + va + " vs " + vb);
        }
    }
}
