package io.github.fastdl4j.common.module;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Checks a {@link Module}'s hand-written backward pass against central finite differences of
 * the loss, like DL4J's {@code GradientCheckUtil}. Use double-precision parameters: in float the
 * finite differences are too noisy to compare.
 */
public final class GradientCheck {

    private GradientCheck() {
    }

    /**
     * The largest relative error {@code |a - n| / max(|a| + |n|, 1e-8)} between analytic (a) and
     * numeric (n) gradients, over up to {@code maxPerParameter} entries of each parameter (all of
     * them when fewer; else a seeded sample, half of it among the non-zero analytic entries so that
     * sparse gradients, like embedding rows a batch touches, are really tested).
     */
    public static double maxRelativeError(Module module, INDArray[] inputs, INDArray targets, Loss loss,
                                          double eps, int maxPerParameter, long seed) {
        for (Parameter p : module.parameters()) {
            if (p.value().dataType() != DataType.DOUBLE) {
                throw new IllegalArgumentException("gradient checks need DOUBLE parameters; " + p + " is " + p.value().dataType());
            }
        }
        analyticGradients(module, inputs, targets, loss);
        Random rnd = new Random(seed);
        double worst = 0;
        for (Parameter p : module.parameters()) {
            INDArray analytic = p.grad().dup();
            INDArray flatValue = p.value().reshape(p.value().length());
            INDArray flatGrad = analytic.reshape(analytic.length());
            for (long i : entries(flatGrad, maxPerParameter, rnd)) {
                double orig = flatValue.getDouble(i);
                flatValue.putScalar(i, orig + eps);
                double plus = loss.value(module.forward(inputs, true), targets);
                flatValue.putScalar(i, orig - eps);
                double minus = loss.value(module.forward(inputs, true), targets);
                flatValue.putScalar(i, orig);
                double numeric = (plus - minus) / (2 * eps);
                double a = flatGrad.getDouble(i);
                double rel = Math.abs(a - numeric) / Math.max(Math.abs(a) + Math.abs(numeric), 1e-8);
                worst = Math.max(worst, rel);
            }
        }
        return worst;
    }

    /**
     * A gradient check that works in single precision: for each parameter, the derivative of
     * the loss along the parameter's own gradient direction, by central differences
     * {@code (L(p + eps u) - L(p - eps u)) / 2 eps} with {@code u = g / |g|}, against the analytic
     * value {@code |g|}. Along the gradient the directional derivative is as large as it gets,
     * so float rounding of the loss matters least; a wrong gradient g' gives
     * {@code g . g' / |g'|}, which equals {@code |g'|} only if g' = g. A parameter whose
     * analytic gradient is zero (e.g. batchnorm running statistics) is checked along a random
     * direction instead, where the loss must not move.
     *
     * @return the largest {@code |a - n| / max(|a| + |n|, 1e-3)} over the parameters
     */
    public static double maxDirectionalError(Module module, INDArray[] inputs, INDArray targets, Loss loss, double eps,
                                             long seed) {
        analyticGradients(module, inputs, targets, loss);
        Random rnd = new Random(seed);
        double worst = 0;
        for (Parameter p : module.parameters()) {
            INDArray g = p.grad().castTo(DataType.DOUBLE);
            double norm = g.norm2Number().doubleValue();
            INDArray u;
            if (norm > 0) {
                u = g.div(norm);
            } else {
                double[] r = new double[(int) g.length()];
                for (int i = 0; i < r.length; i++) {
                    r[i] = rnd.nextGaussian();
                }
                u = Nd4j.create(r, g.shape(), 'c');
                u.divi(u.norm2Number());
            }
            INDArray orig = p.value().dup();
            INDArray step = u.mul(eps).castTo(p.value().dataType());
            p.value().addi(step);
            double plus = loss.value(module.forward(inputs, true), targets);
            p.value().assign(orig).subi(step);
            double minus = loss.value(module.forward(inputs, true), targets);
            p.value().assign(orig);
            double numeric = (plus - minus) / (2 * eps);
            worst = Math.max(worst, Math.abs(norm - numeric) / Math.max(Math.abs(norm) + Math.abs(numeric), 1e-3));
        }
        return worst;
    }

    /** Zeroes every gradient, then one training forward and backward: each grad() holds dLoss/dParameter. */
    private static void analyticGradients(Module module, INDArray[] inputs, INDArray targets, Loss loss) {
        for (Parameter p : module.parameters()) {
            p.grad().assign(0);
        }
        INDArray out = module.forward(inputs, true);
        module.backward(loss.gradient(out, targets));
    }

    private static List<Long> entries(INDArray flatGrad, int max, Random rnd) {
        long n = flatGrad.length();
        List<Long> out = new ArrayList<>();
        if (n <= max) {
            for (long i = 0; i < n; i++) {
                out.add(i);
            }
            return out;
        }
        List<Long> nonZero = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            if (flatGrad.getDouble(i) != 0) {
                nonZero.add(i);
            }
        }
        for (int k = 0; k < max / 2 && !nonZero.isEmpty(); k++) {
            out.add(nonZero.remove(rnd.nextInt(nonZero.size())));
        }
        while (out.size() < max) {
            out.add((long) rnd.nextInt((int) n));
        }
        return out;
    }
}
