package io.github.fastdl4j.tabular.data;

import org.datavec.api.transform.MathFunction;
import org.datavec.api.transform.MathOp;
import org.datavec.api.transform.TransformProcess;
import org.datavec.api.transform.condition.BooleanCondition;
import org.datavec.api.transform.condition.ConditionOp;
import org.datavec.api.transform.condition.column.StringColumnCondition;
import org.datavec.api.transform.condition.string.StringRegexColumnCondition;
import org.datavec.api.transform.schema.Schema;
import org.datavec.api.transform.transform.categorical.CategoricalToIntegerTransform;
import org.datavec.api.transform.transform.categorical.StringToCategoricalTransform;
import org.datavec.api.transform.transform.column.DuplicateColumnsTransform;
import org.datavec.api.transform.transform.column.RemoveAllColumnsExceptForTransform;
import org.datavec.api.transform.transform.column.ReorderColumnsTransform;
import org.datavec.api.transform.transform.condition.ConditionalReplaceValueTransform;
import org.datavec.api.transform.transform.condition.ConditionalReplaceValueTransformWithDefault;
import org.datavec.api.transform.transform.doubletransform.ConvertToDouble;
import org.datavec.api.transform.transform.doubletransform.DoubleMathFunctionTransform;
import org.datavec.api.transform.transform.doubletransform.DoubleMathOpTransform;
import org.datavec.api.transform.transform.string.ReplaceStringTransform;
import org.datavec.api.writable.Text;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A fitted {@link TabularPipeline} as a DataVec {@link TransformProcess}, for a DL4J user's own
 * pipeline: raw CSV records (every field text, as {@code CSVRecordReader} gives them) in, the
 * model's inputs out: one integer code per categorical column (0 = {@code #na#}: missing or never
 * seen in training), then the {@code _na} indicators' codes, then the normalised continuous
 * columns, then the target (a class index, or the value, its log with a log target) when the
 * records have it. Saved as {@code transform_process.json} in model.zip.
 *
 * <p>What it cannot say: fastai's date parts (the month-end and quarter flags have no DataVec
 * transform), so a pipeline with date parts has no export ({@link #of} returns null). Category
 * values are compared as text after trimming spaces, numbers in the form the table read them
 * ({@code 2015}, {@code 1.5}); a number written another way ({@code 2015.0}) is an unseen value.
 */
public final class TransformProcessExport {

    /** A number as {@link io.github.fastdl4j.common.data.CsvTable} reads one: what is not one is missing. */
    static final String NUMBER = "[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?";

    private TransformProcessExport() {
    }

    /**
     * Schema columns DataVec may hold for one export. Why: each step of a TransformProcess keeps
     * the schema it was given, so the export costs steps x columns (about 3 steps per column):
     * 10,000 columns are 400 million column descriptions, far beyond the heap; 2,000 fit.
     */
    static final long MAX_SCHEMA_CELLS = 15_000_000L;

    /** Whether the export of {@code p} fits {@link #MAX_SCHEMA_CELLS} (a wider table's model has none). */
    public static boolean fits(TabularPipeline p) {
        long width = p.rawColumns().size() + 1L + p.fillMissing().naColumns().size();
        long steps = 2L + width + 6L * p.contNames().size() + 3L * p.allCats().size();
        return steps * width <= MAX_SCHEMA_CELLS;
    }

    /**
     * The transform process of {@code p} for records of {@code rawColumns} (the CSV's header, in
     * order); null when the pipeline has date parts (see the class comment).
     */
    public static TransformProcess of(TabularPipeline p, List<String> rawColumns) {
        if (!p.dateParts().isEmpty() || !fits(p)) {
            return null;
        }
        Schema.Builder sb = new Schema.Builder();
        rawColumns.forEach(sb::addColumnString);
        Schema schema = sb.build();
        boolean withY = p.yName() != null && rawColumns.contains(p.yName());
        List<String> keep = new ArrayList<>(p.rawColumns());
        if (withY) {
            keep.add(p.yName());
        }
        TransformProcess.Builder b = new TransformProcess.Builder(schema)
                .transform(new RemoveAllColumnsExceptForTransform(keep.toArray(String[]::new)));
        for (String c : keep) {
            // CSV readers keep the spaces after a separator (", Private"); the pipeline's reader does not
            b.transform(new ReplaceStringTransform(c, Map.of("^\\s+|\\s+$", "")));
        }
        FillMissing fm = p.fillMissing();
        for (String c : p.contNames()) {
            StringRegexColumnCondition isNumber = new StringRegexColumnCondition(c, NUMBER);
            BooleanCondition missing = new BooleanCondition(BooleanCondition.Type.NOT, isNumber);
            if (fm.naColumns().contains(c)) {
                String na = c + "_na";
                b.transform(new DuplicateColumnsTransform(List.of(c), List.of(na)));
                b.transform(new ConditionalReplaceValueTransformWithDefault(na, new Text("1"), new Text("0"),
                        new BooleanCondition(BooleanCondition.Type.NOT, new StringRegexColumnCondition(na, NUMBER))));
            }
            double median = fm.medians().get(c);
            b.transform(new ConditionalReplaceValueTransform(c, new Text(Double.toString(median)), missing));
            b.transform(new ConvertToDouble(c));
            double[] stats = p.normalize().stats().get(c);
            b.transform(new DoubleMathOpTransform(c, MathOp.Subtract, stats[0]));
            b.transform(new DoubleMathOpTransform(c, MathOp.Divide, stats[1]));
        }
        for (String c : p.allCats()) {
            List<String> vocab = p.categorify().vocab(c);
            Set<String> known = new HashSet<>(vocab);
            b.transform(new ConditionalReplaceValueTransform(c, new Text(Categorify.NA),
                    new StringColumnCondition(c, ConditionOp.NotInSet, known)));
            b.transform(new StringToCategoricalTransform(c, vocab));
            b.transform(new CategoricalToIntegerTransform(c));
        }
        if (withY) {
            String y = p.yName();
            if (p.classifier()) {
                b.transform(new StringToCategoricalTransform(y, p.classes()));
                b.transform(new CategoricalToIntegerTransform(y));
            } else {
                b.transform(new ConvertToDouble(y));
                if (p.logY()) {
                    b.transform(new DoubleMathFunctionTransform(y, MathFunction.LOG));
                }
            }
        }
        List<String> order = new ArrayList<>(p.allCats());
        order.addAll(p.contNames());
        if (withY) {
            order.add(p.yName());
        }
        b.transform(new ReorderColumnsTransform(order));
        return b.build();
    }
}
