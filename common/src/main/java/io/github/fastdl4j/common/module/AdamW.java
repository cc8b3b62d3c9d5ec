package io.github.fastdl4j.common.module;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

import java.util.ArrayList;
import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter) over a {@link Module}'s parameters,
 * as fastai trains: {@code p -= lr * wd * p}, then ND4J's own {@link GradientUpdater} for Adam
 * turns the gradient into the step. Learning rate and beta1 can change every step (one-cycle).
 *
 * <p>ND4J's Adam adds epsilon to sqrt(v) before bias correction of the step size, PyTorch after;
 * with eps = 1e-5 the difference is negligible in practice.
 */
public final class AdamW {

    private final List<Parameter> params;
    private final Adam config;
    private final List<GradientUpdater<?>> updaters = new ArrayList<>();
    private final List<INDArray> states = new ArrayList<>();
    private int iteration;

    /** fastai's defaults: beta1 0.9, beta2 0.99, eps 1e-5. */
    public AdamW(Module module) {
        this(module, 0.9, 0.99, 1e-5);
    }

    public AdamW(Module module, double beta1, double beta2, double eps) {
        this.params = module.parameters();
        this.config = new Adam(1e-3, beta1, beta2, eps);
        for (Parameter p : params) {
            INDArray state = Nd4j.zeros(p.value().dataType(), 1, config.stateSize(p.length()));
            states.add(state);
            GradientUpdater<?> u = config.instantiate(state, true);
            u.setStateViewArray(state, p.shape(), p.value().ordering(), true);
            updaters.add(u);
        }
    }

    /**
     * One step with the parameters' current gradients (which are consumed: ND4J turns them into
     * the update in place).
     */
    public void step(double lr, double wd, double beta1, int epoch) {
        config.setLearningRate(lr);
        config.setBeta1(beta1);
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            if (wd != 0 && p.decay()) {
                p.value().muli(1 - lr * wd);
            }
            INDArray g = p.grad();
            updaters.get(i).applyUpdater(g, iteration, epoch);
            p.value().subi(g);
        }
        iteration++;
    }

    /** Number of steps taken. */
    public int iteration() {
        return iteration;
    }

    /** A copy of the optimiser state (moments and step count), for {@link #restore}. */
    public Object snapshot() {
        List<INDArray> copy = new ArrayList<>();
        for (INDArray s : states) {
            copy.add(s.dup());
        }
        return new State(copy, iteration);
    }

    /** Puts back a state taken by {@link #snapshot}. */
    public void restore(Object snapshot) {
        State st = (State) snapshot;
        for (int i = 0; i < states.size(); i++) {
            states.get(i).assign(st.states.get(i));
        }
        iteration = st.iteration;
    }

    private record State(List<INDArray> states, int iteration) {
    }
}
