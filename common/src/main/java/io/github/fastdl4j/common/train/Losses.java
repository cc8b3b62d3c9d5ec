package io.github.fastdl4j.common.train;

import io.github.fastdl4j.common.module.Loss;
import io.github.fastdl4j.common.module.NioView;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The losses fastdl4j uses; each computed by our own code on predictions. */
public final class Losses {

    private Losses() {
    }

    /** Mean squared error over all outputs, like PyTorch's {@code MSELoss}. */
    public static Loss mse() {
        return new Loss() {
            @Override
            public String name() {
                return "mse";
            }

            @Override
            public double value(INDArray p, INDArray t) {
                return Metrics.meanSquaredError(p, t);
            }

            @Override
            public INDArray gradient(INDArray p, INDArray t) {
                return p.sub(t.reshape(p.shape())).muli(2.0 / p.length());
            }

            /** One JVM pass instead of five ND4J ops: for a mini-batch of predictions the ops' dispatch dominates. */
            @Override
            public ValueAndGradient valueAndGradient(INDArray p, INDArray t) {
                INDArray pc = p.isView() || p.ordering() != 'c' ? p.dup('c') : p;
                INDArray tc = t.isView() || t.ordering() != 'c' || t.dataType() != p.dataType() ? t.castTo(p.dataType()).dup('c') : t;
                INDArray grad = Nd4j.create(p.dataType(), p.shape());
                NioView pv = NioView.of(pc);
                NioView tv = NioView.of(tc);
                NioView gv = NioView.of(grad);
                int n = pv.length();
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    double d = pv.get(i) - tv.get(i);
                    sum += d * d;
                    gv.set(i, 2 * d / n);
                }
                gv.commit();
                return new ValueAndGradient(sum / n, grad);
            }
        };
    }

    /**
     * Softmax cross-entropy on what {@code model} outputs: on its probabilities where it ends in a
     * softmax ({@link Trainable#outputsProbabilities}), else on its logits.
     */
    public static Loss crossEntropy(Trainable model) {
        return model.outputsProbabilities() ? crossEntropyOnProbabilities() : crossEntropyOnLogits();
    }

    /** A classifier's class probabilities from {@code model}'s outputs for a batch (softmax of logits, or as they are). */
    public static INDArray probabilities(Trainable model, INDArray outputs) {
        return model.outputsProbabilities() ? outputs : Transforms.softmax(outputs, true);
    }

    /**
     * Cross-entropy for a network whose output is already a softmax (probabilities) and one-hot
     * targets: mean of -log p[true class]. Probabilities are clipped at 1e-7 so a confident wrong
     * answer gives a large, finite loss.
     */
    public static Loss crossEntropyOnProbabilities() {
        return new Loss() {
            @Override
            public String name() {
                return "cross_entropy";
            }

            @Override
            public double value(INDArray p, INDArray t) {
                INDArray logp = Transforms.log(Transforms.max(p, 1e-7, true), false);
                return -logp.muli(t).sumNumber().doubleValue() / p.rows();
            }

            @Override
            public INDArray gradient(INDArray p, INDArray t) {
                return t.div(Transforms.max(p, 1e-7, true)).negi().divi(p.rows());
            }
        };
    }

    /** Softmax cross-entropy on logits with one-hot targets, as PyTorch's {@code CrossEntropyLoss}. */
    public static Loss crossEntropyOnLogits() {
        return new Loss() {
            @Override
            public String name() {
                return "cross_entropy";
            }

            @Override
            public double value(INDArray logits, INDArray t) {
                INDArray logSoftmax = logSoftmax(logits);
                return -logSoftmax.muli(t).sumNumber().doubleValue() / logits.rows();
            }

            @Override
            public INDArray gradient(INDArray logits, INDArray t) {
                INDArray softmax = Transforms.exp(logSoftmax(logits), false);
                return softmax.subi(t).divi(logits.rows());
            }
        };
    }

    private static INDArray logSoftmax(INDArray logits) {
        INDArray max = logits.max(true, 1);
        INDArray shifted = logits.subColumnVector(max);
        INDArray lse = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
        return shifted.subiColumnVector(lse);
    }
}
