package io.github.fastdl4j.common.module;

import io.github.fastdl4j.common.testing.LinearModule;
import io.github.fastdl4j.common.train.Losses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

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
            public List<Parameter> parameters() {
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
        assertThrows(NoSuchElementException.class, () -> m.parameter("nope"));
    }

    @ParameterizedTest
    @EnumSource(AdamW.Kernel.class)
    void adamWStepMatchesTheFormulaAndReadsTheRateEachStep(AdamW.Kernel kernel) {
        Module one = new Module() {
            final Parameter p = new Parameter("p", Nd4j.create(new float[][]{{1.0f}}), true);

            @Override
            public List<Parameter> parameters() {
                return List.of(p);
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
            for (LinearModule m : List.of(a, b)) {
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

    /** An embedding sum: out[i] = sum of table row idx[i]; the table is sparse. */
    private static final class TableSum implements Module {
        final EmbeddingTable rows;
        final Parameter table;
        final Parameter scale = new Parameter("scale", Nd4j.create(new float[][]{{1.0f}}), true);
        private int[] last;

        TableSum(long seed) {
            Nd4j.getRandom().setSeed(seed);
            rows = EmbeddingTable.sparse("table", Nd4j.randn(DataType.FLOAT, 6, 4), true);
            table = rows.parameter();
        }

        @Override
        public List<Parameter> parameters() {
            return List.of(table, scale);
        }

        @Override
        public INDArray forward(INDArray[] inputs, boolean training) {
            last = inputs[0].toIntVector();
            INDArray out = Nd4j.create(DataType.FLOAT, last.length, 1);
            for (int i = 0; i < last.length; i++) {
                if (training) {
                    rows.sync(last[i]);
                }
                out.putScalar(i, table.value().getRow(last[i]).sumNumber().doubleValue() * scale.value().getDouble(0));
            }
            return out;
        }

        @Override
        public void backward(INDArray g) {
            double s = scale.value().getDouble(0);
            for (int i = 0; i < last.length; i++) {
                double gi = g.getDouble(i);
                table.grad().getRow(last[i]).addi(gi * s);
                scale.grad().addi(gi * table.value().getRow(last[i]).sumNumber().doubleValue());
                rows.touch(last[i]);
            }
        }
    }

    private static void stepOn(TableSum m, AdamW opt, int[] rows, double lr, double wd) {
        INDArray x = Nd4j.createFromArray(rows).reshape(rows.length, 1);
        INDArray y = Nd4j.linspace(DataType.FLOAT, 1, rows.length, 1).reshape(rows.length, 1);
        INDArray out = m.forward(new INDArray[]{x}, true);
        m.backward(Losses.mse().gradient(out, y));
        opt.step(lr, wd, 0.9, 0);
    }

    @Test
    void lazyAdamWEqualsDenseWhenEveryBatchTouchesEveryRow() {
        TableSum dense = new TableSum(3);
        TableSum lazy = new TableSum(3);
        AdamW d = new AdamW(dense, 0.9, 0.99, 1e-5, AdamW.Kernel.FUSED, AdamW.Mode.DENSE);
        AdamW l = new AdamW(lazy, 0.9, 0.99, 1e-5, AdamW.Kernel.FUSED, AdamW.Mode.LAZY);
        assertEquals(AdamW.Mode.LAZY, l.mode());
        int[][] batches = {{5, 0, 1, 2, 3, 4, 2}, {1, 1, 0, 3, 2, 5, 4}, {0, 1, 2, 3, 4, 5}};
        for (int step = 0; step < 12; step++) {
            stepOn(dense, d, batches[step % 3], 1e-2 * (1 + step % 4), 0.1);
            stepOn(lazy, l, batches[step % 3], 1e-2 * (1 + step % 4), 0.1);
        }
        // the same float operations on every value, row by row instead of all at once: bitwise equal
        assertArrayEquals(dense.table.value().data().asFloat(), lazy.table.value().data().asFloat(), 0f);
        assertArrayEquals(dense.scale.value().data().asFloat(), lazy.scale.value().data().asFloat(), 0f);
    }

    @Test
    void lazyAdamWReplaysMissedStepsLikeDense() {
        TableSum dense = new TableSum(4);
        TableSum lazy = new TableSum(4);
        AdamW d = new AdamW(dense, 0.9, 0.99, 1e-5, AdamW.Kernel.FUSED, AdamW.Mode.DENSE);
        AdamW l = new AdamW(lazy, 0.9, 0.99, 1e-5, AdamW.Kernel.FUSED, AdamW.Mode.LAZY);
        Random rng = new Random(7);
        float[] rowBefore = null;
        for (int step = 0; step < 60; step++) {
            // sparse batches: 1-3 of the 6 rows, row 5 only in the first step and after step 50
            int[] rows = rng.ints(1 + rng.nextInt(3), 0, 5).toArray();
            if (step == 0 || step > 50) {
                rows = Arrays.copyOf(rows, rows.length + 1);
                rows[rows.length - 1] = 5;
            }
            double lr = 0.02 * (1 + Math.sin(step / 9.0)); // a one-cycle-like schedule
            double beta1 = 0.85 + 0.1 * Math.cos(step / 9.0);
            for (TableSum m : List.of(dense, lazy)) {
                AdamW opt = m == dense ? d : l;
                INDArray x = Nd4j.createFromArray(rows).reshape(rows.length, 1);
                INDArray out = m.forward(new INDArray[]{x}, true);
                m.backward(Losses.mse().gradient(out, Nd4j.ones(DataType.FLOAT, rows.length, 1).muli(3)));
                opt.step(lr, 0.1, beta1, 0);
            }
            if (step == 1) {
                rowBefore = lazy.table.value().getRow(5).toFloatVector();
                assertEquals(0, lazy.rows.touchedCount(), "touched rows are forgotten after the step");
                assertEquals(0.0, lazy.table.grad().sumNumber().doubleValue(), "gradients are zeroed after the step");
            }
            if (step == 40) {
                // row 5 has not been touched since step 0: lazy has not moved it, dense has
                assertArrayEquals(rowBefore, lazy.table.value().getRow(5).toFloatVector(), 0f);
                assertTrue(Math.abs(dense.table.value().getFloat(5, 0) - rowBefore[0]) > 1e-4);
            }
        }
        l.sync();
        // the same float arithmetic but for eps inside the replayed drift (eps 1e-5 against
        // sqrt(v) ~ 1e-1 here) and float rounding over 60 steps: 1e-4
        float[] a = dense.table.value().data().asFloat();
        float[] b = lazy.table.value().data().asFloat();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-4 * Math.max(1, Math.abs(a[i])), "value " + i);
        }
        assertEquals(dense.scale.value().getFloat(0), lazy.scale.value().getFloat(0), 1e-4);
    }

    @Test
    void lazyAdamWReplaysTinyGradientsWithEps() {
        // gradients far below eps: dense's drift is ~ m / eps, not m / sqrt(v); the replay must agree
        TableSum dense = new TableSum(5);
        TableSum lazy = new TableSum(5);
        AdamW d = new AdamW(dense, 0.9, 0.99, 1e-5, AdamW.Kernel.FUSED, AdamW.Mode.DENSE);
        AdamW l = new AdamW(lazy, 0.9, 0.99, 1e-5, AdamW.Kernel.FUSED, AdamW.Mode.LAZY);
        for (TableSum m : List.of(dense, lazy)) {
            m.table.grad().getRow(2).assign(1e-8);
            m.rows.touch(2);
            (m == dense ? d : l).step(0.01, 0, 0.9, 0);
        }
        for (int step = 0; step < 30; step++) {
            d.step(0.01, 0, 0.9, 0);
            l.step(0.01, 0, 0.9, 0);
        }
        l.sync();
        float[] a = dense.table.value().getRow(2).toFloatVector();
        float[] b = lazy.table.value().getRow(2).toFloatVector();
        assertArrayEquals(a, b, 1e-6f);
    }

    @Test
    void lazyAdamWRestoresASnapshotAndGoesOn() {
        TableSum m = new TableSum(6);
        AdamW l = new AdamW(m, 0.9, 0.99, 1e-5, AdamW.Kernel.FUSED, AdamW.Mode.LAZY);
        stepOn(m, l, new int[]{0, 1}, 0.05, 0.1);
        stepOn(m, l, new int[]{2}, 0.05, 0.1);
        AdamW.State snap = l.snapshot(); // syncs: rows 0, 1 replay step 2
        INDArray at = m.table.value().dup();
        stepOn(m, l, new int[]{3, 4}, 0.05, 0.1);
        stepOn(m, l, new int[]{0}, 0.05, 0.1);
        m.table.value().assign(at); // what ModuleModel.restore does with the values
        l.restore(snap);
        assertEquals(2, l.iteration());
        stepOn(m, l, new int[]{5}, 0.05, 0.1);
        l.sync();
        // rows 0..4 missed step 3 only: decayed by (1 - 0.05 * 0.1) and drifted a little, not reset
        for (int r = 0; r < 5; r++) {
            float before = at.getFloat(r, 0);
            float after = m.table.value().getFloat(r, 0);
            assertTrue(Math.abs(after - before * 0.995f) < 0.05 * 1.01, "row " + r + ": " + before + " -> " + after);
        }
    }

    @Test
    void onlySparseTablesTrackRows() {
        EmbeddingTable dense = EmbeddingTable.dense("w", Nd4j.zeros(DataType.FLOAT, 3, 2), true);
        dense.touch(0);
        assertEquals(0, dense.touchedCount(), "a dense table tracks no rows");
        assertThrows(IllegalArgumentException.class, () -> EmbeddingTable.sparse("v", Nd4j.zeros(DataType.FLOAT, 3), true));
        EmbeddingTable t = EmbeddingTable.sparse("t", Nd4j.zeros(DataType.FLOAT, 100, 2), true);
        for (int i = 0; i < 300; i++) {
            t.touch(i % 100);
        }
        assertEquals(100, t.touchedCount(), "each row once");
        assertEquals(7, t.touchedRow(7));
        t.clearTouched();
        assertEquals(0, t.touchedCount());
    }
}
