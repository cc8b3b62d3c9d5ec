package io.github.fastdl4j.common.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.function.ToDoubleBiFunction;

/** fastai's metrics: mse, rmse, accuracy, error_rate, exp_rmspe. */
public final class Metrics {

    private Metrics() {
    }

    public static Metric mse() {
        return metric("mse", Metrics::meanSquaredError);
    }

    public static Metric rmse() {
        return metric("rmse", (p, t) -> Math.sqrt(meanSquaredError(p, t)));
    }

    /** Fraction of rows whose arg-max prediction equals the arg-max of the one-hot target. */
    public static Metric accuracy() {
        return metric("accuracy", (p, t) -> {
            INDArray pc = p.argMax(1);
            INDArray tc = t.argMax(1);
            return pc.eq(tc).castTo(DataType.DOUBLE).meanNumber().doubleValue();
        });
    }

    /** fastai's {@code error_rate}: 1 - accuracy. */
    public static Metric errorRate() {
        Metric accuracy = accuracy();
        return metric("error_rate", (p, t) -> 1 - accuracy.compute(p, t));
    }

    /**
     * Root mean squared percentage error of exp(prediction) against exp(target), for models that
     * predict log(sales) as in the Rossmann competition: sqrt(mean(((y - yhat) / y)^2)).
     */
    public static Metric expRmspe() {
        return metric("exp_rmspe", (p, t) -> {
            INDArray y = Transforms.exp(t.reshape(p.shape()), true);
            INDArray yhat = Transforms.exp(p, true);
            INDArray pct = y.sub(yhat).divi(y);
            return Math.sqrt(pct.muli(pct).meanNumber().doubleValue());
        });
    }

    static double meanSquaredError(INDArray p, INDArray t) {
        INDArray d = p.sub(t.reshape(p.shape()));
        return d.muli(d).meanNumber().doubleValue();
    }

    /** A metric from a name and a function. */
    public static Metric metric(String name, ToDoubleBiFunction<INDArray, INDArray> f) {
        return new Metric() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public double compute(INDArray predictions, INDArray targets) {
                return f.applyAsDouble(predictions, targets);
            }
        };
    }
}
