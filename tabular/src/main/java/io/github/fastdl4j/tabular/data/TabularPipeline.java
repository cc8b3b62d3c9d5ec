package io.github.fastdl4j.tabular.data;

import java.util.ArrayList;
import java.util.List;

/**
 * fastai's {@code TabularPandas} processing: {@link FillMissing}, {@link Categorify} and
 * {@link Normalize}, fitted on the training rows and applied to any frame with the same raw
 * columns. It is saved with a model (as JSON) so a reloaded model predicts from raw CSV rows.
 *
 * @param catNames    categorical columns as given (the {@code _na} indicators come after them)
 * @param contNames   continuous columns
 * @param yName       the target column, or null
 * @param logY        whether the target is modelled as log(y) (sales: so errors are relative)
 * @param fillMissing fitted FillMissing
 * @param categorify  fitted Categorify (over {@link #allCats()})
 * @param normalize   fitted Normalize
 */
public record TabularPipeline(List<String> catNames, List<String> contNames, String yName, boolean logY,
                              FillMissing fillMissing, Categorify categorify, Normalize normalize) {

    /** Fits the three procs on {@code train}. */
    public static TabularPipeline fit(TabularFrame train, List<String> cats, List<String> conts, String y, boolean logY) {
        TabularFrame f = train.copy();
        FillMissing fm = FillMissing.fit(f, conts);
        fm.apply(f);
        List<String> all = new ArrayList<>(cats);
        all.addAll(fm.indicatorNames());
        Categorify cat = Categorify.fit(f, all);
        Normalize norm = Normalize.fit(f, conts);
        return new TabularPipeline(List.copyOf(cats), List.copyOf(conts), y, logY, fm, cat, norm);
    }

    /**
     * Whether a model spec fits this pipeline (read back from a model zip, where either could be
     * damaged): the same categorical columns with the same vocabulary sizes, as many continuous ones.
     */
    public boolean describes(io.github.fastdl4j.tabular.model.TabularModel.Spec spec) {
        try {
            return catNames != null && contNames != null && fillMissing != null && categorify != null && normalize != null
                    && !catNames.contains(null) && !contNames.contains(null)
                    && allCats().equals(spec.catNames()) && contNames.size() == spec.nCont()
                    && java.util.Arrays.equals(cardinalities(), spec.cardinalities().stream().mapToInt(Integer::intValue).toArray())
                    && contNames.stream().allMatch(normalize::knows);
        } catch (RuntimeException e) {
            return false; // a table missing inside the fitted procs
        }
    }

    /** The raw columns a frame needs for {@link #transform}: the categorical and continuous ones. */
    public List<String> rawColumns() {
        List<String> all = new ArrayList<>(catNames);
        all.addAll(contNames);
        return all;
    }

    /** Categorical columns the model sees: the given ones, then FillMissing's indicators. */
    public List<String> allCats() {
        List<String> all = new ArrayList<>(catNames);
        all.addAll(fillMissing.indicatorNames());
        return all;
    }

    /** Embedding rows per categorical column, in {@link #allCats()} order. */
    public int[] cardinalities() {
        return allCats().stream().mapToInt(categorify::cardinality).toArray();
    }

    /** Processes {@code frame} (left unchanged); the target is included when the frame has it. */
    public TabularData transform(TabularFrame frame) {
        TabularFrame f = frame.copy();
        fillMissing.apply(f);
        List<String> cats = allCats();
        int n = f.rows(), nc = cats.size(), nk = contNames.size();
        int[] codes = new int[n * nc];
        for (int j = 0; j < nc; j++) {
            int[] c = categorify.codes(f, cats.get(j));
            for (int i = 0; i < n; i++) {
                codes[i * nc + j] = c[i];
            }
        }
        float[] conts = new float[n * nk];
        for (int j = 0; j < nk; j++) {
            String name = contNames.get(j);
            double[] v = f.numbers(name);
            for (int i = 0; i < n; i++) {
                conts[i * nk + j] = (float) normalize.apply(name, v[i]);
            }
        }
        float[] y = null;
        if (yName != null && f.has(yName)) {
            double[] t = f.numbers(yName);
            y = new float[n];
            for (int i = 0; i < n; i++) {
                y[i] = (float) (logY ? Math.log(t[i]) : t[i]);
            }
        }
        return new TabularData(n, nc, codes, nk, conts, y);
    }
}
