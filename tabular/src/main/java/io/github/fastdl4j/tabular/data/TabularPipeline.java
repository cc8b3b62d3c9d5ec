package io.github.fastdl4j.tabular.data;

import io.github.fastdl4j.tabular.model.TabularSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * fastai's {@code TabularPandas} processing: date parts ({@link DatePart}) of the date columns,
 * then {@link FillMissing}, {@link Categorify} and {@link Normalize}, fitted on the training rows and
 * applied to any frame with the same raw columns. It is saved with a model (as JSON) so a reloaded
 * model predicts from raw CSV rows, and exported as a DataVec {@code TransformProcess}
 * ({@link TransformProcessExport}) for DL4J pipelines.
 *
 * @param catNames    categorical columns as given (the {@code _na} indicators come after them)
 * @param contNames   continuous columns
 * @param yName       the target column, or null
 * @param logY        whether the target is modelled as log(y) (sales: so errors are relative)
 * @param fillMissing fitted FillMissing
 * @param categorify  fitted Categorify (over {@link #allCats()})
 * @param normalize   fitted Normalize
 * @param classes     a classifier's target classes (the target becomes the class index); empty for a regression
 * @param dateParts   date columns (epoch days in the frame) whose parts are added first, fastai's {@code add_datepart}
 * @param dateFormat  how the table writes those dates ({@link Dates}; null: ISO forms)
 * @param preset      {@code csv} for a table read with {@code --csv}, {@code rossmann} for the lesson's
 *                    features (models saved before the generic path have none: rossmann)
 * @param sourceColumns the columns of the table the pipeline was fitted on, in order (for the DataVec
 *                    export, whose records come in that order); empty when unknown
 */
public record TabularPipeline(List<String> catNames, List<String> contNames, String yName, boolean logY,
                              FillMissing fillMissing, Categorify categorify, Normalize normalize,
                              List<String> classes, List<String> dateParts, String dateFormat, String preset,
                              List<String> sourceColumns) {

    public static final String ROSSMANN = "rossmann";
    public static final String CSV = "csv";

    public TabularPipeline {
        classes = classes == null ? List.of() : classes;
        dateParts = dateParts == null ? List.of() : dateParts;
        preset = preset == null ? ROSSMANN : preset;
        sourceColumns = sourceColumns == null ? List.of() : sourceColumns;
    }

    /** Fits the three procs on {@code train} (the lesson's layout: no date parts, no classes). */
    public static TabularPipeline fit(TabularFrame train, List<String> cats, List<String> conts, String y, boolean logY) {
        return fit(train, cats, conts, y, logY, List.of(), List.of(), null, ROSSMANN);
    }

    /**
     * Fits the procs on {@code train}: date parts of {@code dateParts} first (their part columns
     * may be named in {@code cats} and {@code conts}), then FillMissing, Categorify, Normalize.
     */
    public static TabularPipeline fit(TabularFrame train, List<String> cats, List<String> conts, String y, boolean logY,
                                      List<String> classes, List<String> dateParts, String dateFormat, String preset) {
        TabularFrame f = train.copy();
        dateParts.forEach(d -> DatePart.add(f, d));
        FillMissing fm = FillMissing.fit(f, conts);
        fm.apply(f);
        List<String> all = new ArrayList<>(cats);
        all.addAll(fm.indicatorNames());
        Categorify cat = Categorify.fit(f, all);
        Normalize norm = Normalize.fit(f, conts);
        return new TabularPipeline(List.copyOf(cats), List.copyOf(conts), y, logY, fm, cat, norm, List.copyOf(classes),
                List.copyOf(dateParts), dateFormat, preset, List.copyOf(train.names()));
    }

    /** Whether the target is a class (the model a classifier). */
    public boolean classifier() {
        return !classes.isEmpty();
    }

    /**
     * Whether a model spec fits this pipeline (read back from a model zip, where either could be
     * damaged): the same categorical columns with the same vocabulary sizes, as many continuous ones.
     */
    public boolean describes(TabularSpec spec) {
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

    /**
     * The raw columns a frame needs for {@link #transform}: the categorical and continuous ones,
     * with a date column in place of the parts made from it.
     */
    public List<String> rawColumns() {
        java.util.Set<String> parts = new java.util.HashSet<>();
        for (String d : dateParts) {
            parts.addAll(DatePart.names(d));
        }
        List<String> all = new ArrayList<>(dateParts);
        for (String c : catNames) {
            if (!parts.contains(c) && !all.contains(c)) {
                all.add(c);
            }
        }
        for (String c : contNames) {
            if (!parts.contains(c) && !all.contains(c)) {
                all.add(c);
            }
        }
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
        dateParts.forEach(d -> DatePart.add(f, d));
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
        if (yName != null && f.has(yName) && classifier()) {
            // the class index; -1 for a missing or unknown class (such rows are not trained on)
            Map<String, Integer> index = new HashMap<>();
            for (int c = 0; c < classes.size(); c++) {
                index.put(classes.get(c), c);
            }
            TabularFrame.Column t = f.column(yName);
            y = new float[n];
            for (int i = 0; i < n; i++) {
                String k = t.key(i);
                y[i] = k == null ? -1 : index.getOrDefault(k, -1);
            }
        } else if (yName != null && f.has(yName)) {
            double[] t = f.numbers(yName);
            y = new float[n];
            for (int i = 0; i < n; i++) {
                y[i] = (float) (logY ? Math.log(t[i]) : t[i]);
            }
        }
        return new TabularData(n, nc, codes, nk, conts, y);
    }
}
