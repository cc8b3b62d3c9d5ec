package io.github.fastdl4j.tabular.model;

/** The competition's score: root mean squared percentage error over rows with actual sales > 0. */
public final class Rmspe {

    private Rmspe() {
    }

    /** sqrt(mean(((actual - predicted) / actual)^2)) over the rows where actual > 0. */
    public static double of(double[] actual, double[] predicted) {
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException(actual.length + " actual values but " + predicted.length + " predictions");
        }
        double ss = 0;
        int n = 0;
        for (int i = 0; i < actual.length; i++) {
            if (actual[i] > 0) {
                double e = (actual[i] - predicted[i]) / actual[i];
                ss += e * e;
                n++;
            }
        }
        return n == 0 ? Double.NaN : Math.sqrt(ss / n);
    }
}
