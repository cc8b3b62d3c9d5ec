package io.github.fastdl4j.common.testing;

import io.github.fastdl4j.common.module.Module;
import io.github.fastdl4j.common.module.Parameter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;

/** A small from-scratch module for tests: y = tanh(x W1 + b1) W2 + b2, with hand-written backward. */
public final class LinearModule implements Module {

    private final Parameter w1;
    private final Parameter b1;
    private final Parameter w2;
    private final Parameter b2;
    private INDArray x;
    private INDArray h;

    public LinearModule(int nIn, int hidden, DataType type, long seed) {
        Nd4j.getRandom().setSeed(seed);
        w1 = new Parameter("w1", Nd4j.randn(type, nIn, hidden).muli(0.5), true);
        b1 = new Parameter("b1", Nd4j.zeros(type, 1, hidden), false);
        w2 = new Parameter("w2", Nd4j.randn(type, hidden, 1).muli(0.5), true);
        b2 = new Parameter("b2", Nd4j.zeros(type, 1, 1), false);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(w1, b1, w2, b2);
    }

    @Override
    public INDArray forward(INDArray[] inputs, boolean training) {
        x = inputs[0].castTo(w1.value().dataType());
        h = Transforms.tanh(x.mmul(w1.value()).addiRowVector(b1.value()), false);
        return h.mmul(w2.value()).addiRowVector(b2.value());
    }

    @Override
    public void backward(INDArray g) {
        g = g.castTo(w1.value().dataType()).reshape(g.size(0), 1);
        w2.grad().addi(h.transpose().mmul(g));
        b2.grad().addi(g.sum(true, 0));
        INDArray dh = g.mmul(w2.value().transpose());
        INDArray dpre = dh.muli(h.mul(h).rsubi(1));
        w1.grad().addi(x.transpose().mmul(dpre));
        b1.grad().addi(dpre.sum(true, 0));
    }
}
