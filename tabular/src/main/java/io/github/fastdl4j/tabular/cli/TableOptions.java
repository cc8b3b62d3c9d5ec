package io.github.fastdl4j.tabular.cli;

import io.github.fastdl4j.common.cli.Checks;
import io.github.fastdl4j.common.cli.CsvFormatOptions;
import io.github.fastdl4j.common.cli.ParsingConverter;
import io.github.fastdl4j.tabular.TabularLearner;
import io.github.fastdl4j.tabular.TabularLearnerBuilder;
import io.github.fastdl4j.tabular.data.DatePart;
import io.github.fastdl4j.tabular.data.Dates;
import io.github.fastdl4j.tabular.data.TabularCsv;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A user's table (a picocli mixin): {@code --csv} with its target and columns, fastai's
 * {@code TabularPandas(df, procs, cat_names, cont_names, y_names, splits)} on the command line.
 * Without {@code --cat} and {@code --cont} the columns are split as fastai's
 * {@code cont_cat_split} does; without {@code --csv} the commands run the Rossmann lesson.
 */
public class TableOptions extends CsvFormatOptions {

    @Option(names = "--csv", paramLabel = "FILE", description = "Any table (CSV, a header line by default; or Parquet: a *.parquet "
            + "file or a folder of parts) instead of the lesson's shop sales.")
    Path csv;

    @Option(names = "--y", paramLabel = "C", description = "The target column of --csv.")
    String y;

    @Option(names = "--cat", split = ",", paramLabel = "C", description = "Categorical columns (default: fastai's cont_cat_split of the other columns).")
    List<String> cat;

    @Option(names = "--cont", split = ",", paramLabel = "C", description = "Continuous columns (default: fastai's cont_cat_split).")
    List<String> cont;

    @Option(names = "--classify", description = "A classifier, whatever the target holds (default: text targets classify, numbers regress).")
    boolean classify;

    @Option(names = "--regress", description = "A regression (the target must be numbers).")
    boolean regress;

    @Option(names = "--log-y", description = "Model log(target) (a positive target such as sales or prices: errors become relative).")
    boolean logY;

    @Option(names = "--y-range", split = ",", paramLabel = "LO,HI", converter = Checks.FiniteDouble.class,
            description = "The regression's sigmoid_range, on the log scale with --log-y (default: the training targets' range "
                    + "widened by 10%% each side).")
    double[] yRange;

    @Option(names = "--valid-pct", paramLabel = "P", converter = Checks.Fraction.class,
            description = "Validate on a seeded random share of the rows (default: 0.2 unless --valid-col or --date-col).")
    Double validPct;

    @Option(names = "--valid-col", paramLabel = "C", description = "Validate on the rows whose column is true (1/true/yes/valid), fastai's ColSplitter.")
    String validCol;

    @Option(names = "--date-col", paramLabel = "C", description = "Validate on the last days of this date column (with --valid-last-days).")
    String dateCol;

    @Option(names = "--valid-last-days", paramLabel = "N", converter = Checks.PositiveInt.class,
            description = "Days at the end of --date-col to validate on.")
    Integer validLastDays;

    @Option(names = "--date-parts", split = ",", paramLabel = "C",
            description = "Date columns to expand into fastai's date parts (Year, Month, Week, Day, Dayofweek, Dayofyear, "
                    + "Is_month_end, ..., Elapsed).")
    List<String> dateParts = List.of();

    @Option(names = "--date-format", paramLabel = "PATTERN", converter = DatePatternConverter.class,
            description = "How the dates are written, e.g. dd/MM/yyyy (default: year first, 2015-07-31 or 2015/07/31).")
    String dateFormat;

    @Option(names = "--max-card", paramLabel = "N", converter = Checks.PositiveInt.class,
            description = "cont_cat_split: whole-number columns with more distinct values are continuous (default: ${DEFAULT-VALUE}).")
    int maxCard = 20;

    /** A DateTimeFormatter pattern, checked before any data is read. */
    static final class DatePatternConverter extends ParsingConverter<String> {
        DatePatternConverter() {
            super(v -> {
                Dates.of(v); // throws IllegalArgumentException for letters that make no pattern
                return v;
            });
        }
    }

    /** Whether a table was given (else the lesson's data). */
    boolean given() {
        return csv != null;
    }

    /** The option combinations that cannot work, refused before any data is read (exit 2). */
    void check(CommandSpec spec) {
        if (csv == null) {
            for (Object o : new Object[]{y, cat, cont, validPct, validCol, dateCol, validLastDays, dateFormat, yRange}) {
                if (o != null) {
                    throw new ParameterException(spec.commandLine(), "the table options (--y, --cat, --cont, --valid-*, "
                            + "--date-*, --y-range) need --csv");
                }
            }
            if (classify || regress || logY || !dateParts.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--classify, --regress, --log-y and --date-parts need --csv");
            }
            // how a table is written, or split into columns: meaningless for the lesson's files
            for (String o : new String[]{"--sep", "--no-header", "--encoding", "--max-card"}) {
                if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
                    throw new ParameterException(spec.commandLine(), o + " is about the table of --csv, which is not given "
                            + "(the lesson's data has its own format)");
                }
            }
            return;
        }
        refuseForParquet(spec.commandLine(), csv);
        if (dateFormat != null && dateParts.isEmpty() && dateCol == null) {
            throw new ParameterException(spec.commandLine(), "--date-format says how the dates of --date-parts or --date-col "
                    + "are written: give one of them");
        }
        if (y == null || y.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--csv needs --y, the target column");
        }
        if (classify && regress) {
            throw new ParameterException(spec.commandLine(), "--classify and --regress exclude each other");
        }
        if (logY && classify) {
            throw new ParameterException(spec.commandLine(), "--log-y is for a regression, not with --classify");
        }
        if (yRange != null && (yRange.length != 2 || !(yRange[1] > yRange[0]))) {
            throw new ParameterException(spec.commandLine(), "--y-range needs LO,HI with HI > LO");
        }
        if (yRange != null && classify) {
            throw new ParameterException(spec.commandLine(), "--y-range is for a regression, not with --classify");
        }
        int splits = (validPct != null ? 1 : 0) + (validCol != null ? 1 : 0) + (dateCol != null ? 1 : 0);
        if (splits > 1) {
            throw new ParameterException(spec.commandLine(), "choose one of --valid-pct, --valid-col and --date-col");
        }
        if ((dateCol == null) != (validLastDays == null)) {
            throw new ParameterException(spec.commandLine(), "--date-col and --valid-last-days go together");
        }
        Set<String> used = new LinkedHashSet<>();
        for (List<String> l : new List[]{cat == null ? List.of() : cat, cont == null ? List.of() : cont}) {
            for (String c : l) {
                if (c.isBlank()) {
                    throw new ParameterException(spec.commandLine(), "an empty column name in --cat or --cont");
                }
                if (!used.add(c)) {
                    throw new ParameterException(spec.commandLine(), "column " + c + " is named twice in --cat/--cont");
                }
            }
        }
        if (used.contains(y)) {
            throw new ParameterException(spec.commandLine(), "the target " + y + " cannot also be an input (--cat/--cont)");
        }
        if (dateParts.contains(y)) {
            throw new ParameterException(spec.commandLine(), "the target " + y + " cannot be a --date-parts column");
        }
    }

    /** The date columns to read as dates: the split's and those expanded into parts. */
    List<String> dateColumns() {
        List<String> d = new ArrayList<>(dateParts);
        if (dateCol != null && !d.contains(dateCol)) {
            d.add(dateCol);
        }
        return d;
    }

    /** Reads --csv through DataVec and checks the named columns against it (one line naming file, line, column). */
    TabularCsv.Table read() {
        TabularCsv.Table t = TabularCsv.read(csv, format(), dateColumns(), Dates.of(dateFormat));
        List<String> named = new ArrayList<>(List.of(y));
        if (cat != null) {
            named.addAll(cat);
        }
        if (cont != null) {
            named.addAll(cont);
        }
        if (validCol != null) {
            named.add(validCol);
        }
        t.require(named, "named by an option");
        if (cont != null) {
            cont.forEach(c -> t.requireNumbers(c, "a continuous column"));
        }
        if (regress || logY) {
            t.requireNumbers(y, "a regression target");
        }
        if (validCol != null) {
            t.requireFlags(validCol);
        }
        return t;
    }

    /** The columns: as given, or cont_cat_split of the others (printed, with the ones left out). */
    TabularCsv.ColumnKinds columns(TabularCsv.Table t) {
        List<String> parts = new ArrayList<>();
        dateParts.forEach(d -> parts.addAll(DatePart.names(d)));
        if (cat != null || cont != null) {
            List<String> c = new ArrayList<>(cat == null ? List.of() : cat);
            List<String> k = new ArrayList<>(cont == null ? List.of() : cont);
            addParts(c, k);
            return new TabularCsv.ColumnKinds(c, k, List.of());
        }
        Set<String> exclude = new LinkedHashSet<>(List.of(y));
        if (validCol != null) {
            exclude.add(validCol);
        }
        exclude.addAll(dateColumns()); // a date is used through its parts, not as a category of days
        TabularCsv.ColumnKinds split = TabularCsv.contCatSplit(t, maxCard, exclude);
        List<String> c = new ArrayList<>(split.cats());
        List<String> k = new ArrayList<>(split.conts());
        addParts(c, k);
        return new TabularCsv.ColumnKinds(c, k, split.skipped());
    }

    /** The date parts of --date-parts: the few-valued ones categorical, the many-valued ones continuous (as cont_cat_split). */
    private void addParts(List<String> cats, List<String> conts) {
        for (String d : dateParts) {
            for (String p : DatePart.names(d)) {
                (DatePart.isContinuous(p) ? conts : cats).add(p);
            }
        }
    }

    /** The learner's table choices; the model's come from {@code Hyper}. */
    TabularLearnerBuilder learner(TabularCsv.Table t, TabularCsv.ColumnKinds kinds) {
        TabularLearnerBuilder b = TabularLearner.of(t.frame()).cat(kinds.cats()).cont(kinds.conts()).y(y).logY(logY)
                .dateParts(dateParts).dateFormat(dateFormat);
        if (classify) {
            b.classify();
        } else if (regress) {
            b.regress();
        }
        if (yRange != null) {
            b.yRange(yRange[0], yRange[1]);
        }
        if (validCol != null) {
            b.validColumn(validCol);
        } else if (dateCol != null) {
            b.validLast(dateCol, validLastDays);
        } else if (validPct != null) {
            b.validPct(validPct);
        }
        return b;
    }

    /** How validation rows are chosen, for the run's printout and metrics.json. */
    String validDescription(long seed) {
        if (validCol != null) {
            return "rows where " + validCol + " is true";
        }
        if (dateCol != null) {
            return "the last " + validLastDays + " days of " + dateCol;
        }
        return String.format(Locale.ROOT, "a random %.0f%% (seed %d)", 100 * (validPct == null ? 0.2 : validPct), seed);
    }
}
