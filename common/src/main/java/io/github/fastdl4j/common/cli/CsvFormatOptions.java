package io.github.fastdl4j.common.cli;

import io.github.fastdl4j.common.data.CsvTable;
import io.github.fastdl4j.common.data.ParquetTable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * How a user's CSV file is written (picocli options, inherited by the commands' own option
 * classes): the separator, whether it has a header line, its encoding.
 */
public class CsvFormatOptions {

    @Option(names = "--sep", paramLabel = "SEP", converter = SeparatorConverter.class,
            description = "The separator of --csv: , ; | tab or :: (default: guessed from the first line).")
    public String sep;

    @Option(names = "--no-header", description = "--csv has no header line: its columns are column1, column2, ...")
    public boolean noHeader;

    @Option(names = "--encoding", paramLabel = "NAME", description = "The encoding of the input files (default: ${DEFAULT-VALUE}).")
    public Charset encoding = StandardCharsets.UTF_8;

    /** A separator: one character, {@code ::}, or the word {@code tab} (also {@code \t}). */
    public static final class SeparatorConverter extends ParsingConverter<String> {
        public SeparatorConverter() {
            super(v -> {
                String s = v.equalsIgnoreCase("tab") || v.equals("\\t") ? "\t" : v;
                if (s.length() != 1 && !s.equals("::")) {
                    throw new IllegalArgumentException("expected one character, :: or tab, got '" + v + "'");
                }
                if (s.equals("\"") || s.equals("\n") || s.equals("\r")) {
                    throw new IllegalArgumentException("a quote or a line end cannot separate fields");
                }
                return s;
            });
        }
    }

    /**
     * How a CSV is written means nothing for a Parquet table (its columns have names and types):
     * {@code --sep}, {@code --no-header} or {@code --encoding} typed with one is a usage error,
     * before any data loads.
     */
    public static void refuseForParquet(CommandLine cl, Path table) {
        if (table == null || cl.getParseResult() == null || !ParquetTable.isParquet(table)) {
            return;
        }
        for (String o : List.of("--sep", "--no-header", "--encoding")) {
            if (cl.getParseResult().hasMatchedOption(o)) {
                throw new CommandLine.ParameterException(cl, o + " is about how a CSV is written, and " + table
                        + " is Parquet (its columns have names and types)");
            }
        }
    }

    /** The format these options describe. */
    public CsvTable.Format format() {
        CsvTable.Format f = CsvTable.Format.csv().separator(sep).charset(encoding);
        return noHeader ? f.noHeader(null) : f;
    }
}
