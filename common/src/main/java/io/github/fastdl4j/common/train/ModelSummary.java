package io.github.fastdl4j.common.train;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * fastai's {@code learn.summary()}: one row per layer (DL4J networks) or per parameter (from-scratch
 * modules) with its output or value shape and parameter count, for a sample batch.
 *
 * @param model      what the model is
 * @param inputShape the sample batch's first input shape
 * @param rows       the rows, in order
 */
public record ModelSummary(String model, long[] inputShape, List<Row> rows) {

    /**
     * @param name      layer or parameter name
     * @param type      layer type, or "parameter"
     * @param shape     output shape (layers, batch first) or value shape (parameters)
     * @param params    trainable values
     * @param trainable whether an optimiser updates them
     */
    public record Row(String name, String type, long[] shape, long params, boolean trainable) {
    }

    public long totalParams() {
        return rows.stream().mapToLong(Row::params).sum();
    }

    public long trainableParams() {
        return rows.stream().filter(Row::trainable).mapToLong(Row::params).sum();
    }

    /** The table as fastai prints it. */
    public String table() {
        StringBuilder b = new StringBuilder();
        String rule = "=".repeat(78);
        b.append(model).append(" (input shape: ").append(shape(inputShape)).append(")\n").append(rule).append('\n');
        b.append(String.format(Locale.ROOT, "%-28s %-18s %-16s %10s %s%n", "Layer (type)", "", "Output Shape", "Param #",
                "Trainable"));
        b.append(rule).append('\n');
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "%-28s %-18s %-16s %,10d %s%n", cut(r.name(), 28), cut(r.type(), 18),
                    shape(r.shape()), r.params(), r.params() == 0 ? "" : r.trainable() ? "True" : "False"));
        }
        b.append(rule).append('\n');
        b.append(String.format(Locale.ROOT, "Total params: %,d%nTotal trainable params: %,d%nTotal non-trainable params: %,d",
                totalParams(), trainableParams(), totalParams() - trainableParams()));
        return b.toString();
    }

    private static String shape(long[] s) {
        return s == null ? "" : String.join(" x ", Arrays.stream(s).mapToObj(Long::toString).toList());
    }

    private static String cut(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "~";
    }
}
