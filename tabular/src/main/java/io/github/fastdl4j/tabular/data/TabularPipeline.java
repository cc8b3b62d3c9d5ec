package io.github.fastdl4j.tabular.data;

import io.github.fastdl4j.tabular.model.TabularSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /**
     * {@link #fit fit(frame.rows(rows), ...)} without copying the training rows of every column at
     * once: the procs fit each column on its own, so each column's rows are copied, fitted and let
     * go in turn (a million-row frame is not held twice), in fit's order: FillMissing over the
     * continuous columns, Categorify, then Normalize. The same pipeline, and the same errors: a
     * column the frame lacks is left to fit on the copied rows, which names it as it always did.
     */
    public static TabularPipeline fitRows(TabularFrame frame, int[] rows, List<String> cats, List<String> conts, String y,
                                          boolean logY, List<String> classes, List<String> dateParts, String dateFormat,
                                          String preset) {
        List<String> needed = new ArrayList<>(dateParts);
        needed.addAll(cats);
        needed.addAll(conts);
        for (String c : needed) {
            if (!frame.has(c) && partOf(c, dateParts) == null || dateParts.contains(c) && !frame.has(c)) {
                return fit(frame.rows(rows), cats, conts, y, logY, classes, dateParts, dateFormat, preset);
            }
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        List<String> na = new ArrayList<>();
        for (String c : conts) {
            FillMissing one = FillMissing.fit(column(frame, rows, c, dateParts), List.of(c));
            medians.putAll(one.medians());
            na.addAll(one.naColumns());
        }
        FillMissing fm = new FillMissing(Map.copyOf(medians), List.copyOf(na));
        Map<String, List<String>> vocabs = new LinkedHashMap<>();
        List<String> all = new ArrayList<>(cats);
        all.addAll(fm.indicatorNames());
        for (String c : all) {
            // an indicator is made from its column (and replaces a column of the frame so named, as apply's put does)
            String source = c.endsWith("_na") && na.contains(c.substring(0, c.length() - 3)) ? c.substring(0, c.length() - 3) : c;
            vocabs.putAll(Categorify.fit(filled(frame, rows, source, dateParts, fm, conts), List.of(c)).vocabs());
        }
        Map<String, double[]> stats = new LinkedHashMap<>();
        for (String c : conts) {
            stats.putAll(Normalize.fit(filled(frame, rows, c, dateParts, fm, conts), List.of(c)).stats());
        }
        return new TabularPipeline(List.copyOf(cats), List.copyOf(conts), y, logY, fm, new Categorify(Map.copyOf(vocabs)),
                new Normalize(Map.copyOf(stats)), List.copyOf(classes), List.copyOf(dateParts), dateFormat, preset,
                List.copyOf(frame.names()));
    }

    /** The date column whose parts include {@code column} (the last one, whose parts fit writes last), or null. */
    private static String partOf(String column, List<String> dateParts) {
        for (int i = dateParts.size() - 1; i >= 0; i--) {
            if (DatePart.names(dateParts.get(i)).contains(column)) {
                return dateParts.get(i);
            }
        }
        return null;
    }

    /** A frame of one column's {@code rows}: copied from {@code frame}, or the date part made from its date column. */
    private static TabularFrame column(TabularFrame frame, int[] rows, String c, List<String> dateParts) {
        TabularFrame one = new TabularFrame(rows.length);
        String date = partOf(c, dateParts);
        if (date == null) {
            return one.put(c, frame.column(c).rows(rows));
        }
        one.put(date, frame.column(date).rows(rows));
        DatePart.add(one, date);
        return new TabularFrame(rows.length).put(c, one.column(c));
    }

    /** {@link #column}, filled by {@code fm} as fit fills it when it is continuous (with its _na column when it has one). */
    private static TabularFrame filled(TabularFrame frame, int[] rows, String c, List<String> dateParts, FillMissing fm,
                                       List<String> conts) {
        TabularFrame one = column(frame, rows, c, dateParts);
        if (conts.contains(c)) {
            new FillMissing(Map.of(c, fm.medians().get(c)), fm.naColumns().contains(c) ? List.of(c) : List.of()).apply(one);
        }
        return one;
    }

    /**
     * {@link #transform} of {@code frame.rows(rows)}, a block of rows at a time: the same data (each
     * row is processed on its own) without a copy of every column's rows.
     */
    public TabularData transform(TabularFrame frame, int[] rows) {
        int block = 1 << 16;
        if (rows.length <= block) {
            return transform(frame.rows(rows));
        }
        int nc = allCats().size(), nk = contNames.size();
        int[] codes = new int[rows.length * nc];
        float[] conts = new float[rows.length * nk];
        float[] y = null;
        for (int from = 0; from < rows.length; from += block) {
            int to = Math.min(rows.length, from + block);
            TabularData d = transform(frame.rows(Arrays.copyOfRange(rows, from, to)));
            System.arraycopy(d.cats(), 0, codes, from * nc, d.cats().length);
            System.arraycopy(d.conts(), 0, conts, from * nk, d.conts().length);
            if (d.y() != null) {
                if (y == null) {
                    y = new float[rows.length];
                }
                System.arraycopy(d.y(), 0, y, from, d.y().length);
            }
        }
        return new TabularData(rows.length, nc, codes, nk, conts, y);
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
                    && Arrays.equals(cardinalities(), spec.cardinalities().stream().mapToInt(Integer::intValue).toArray())
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
        Set<String> parts = new HashSet<>();
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
