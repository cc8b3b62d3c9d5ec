package io.github.fastdl4j.tabular.cli;

import io.github.fastdl4j.common.cli.Checks;
import io.github.fastdl4j.common.cli.CommonOptions;
import io.github.fastdl4j.common.cli.CsvFormatOptions;
import io.github.fastdl4j.common.data.CsvTable;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.io.RunFolder;
import io.github.fastdl4j.tabular.interpret.TableDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code tabular describe}: a table's columns before training, by {@link TableDescription}. */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Describe a table before training: per column the type read, missing and distinct values, "
                + "min/max/mean/std/median (DataVec's analysis); writes describe.html with the histograms to --out.")
final class DescribeCommand extends CsvFormatOptions implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Option(names = "--csv", required = true, paramLabel = "FILE", description = "The table.")
    Path csv;
    @Option(names = "--buckets", converter = Checks.PositiveInt.class,
            description = "Histogram buckets (default: ${DEFAULT-VALUE}).")
    int buckets = 20;

    @Override
    public Integer call() throws IOException {
        refuseForParquet(spec.commandLine(), csv);
        try (RunFolder out = common.openOut("tabular-describe", Set.of("describe.html"))) {
            long t0 = System.nanoTime();
            CsvTable t = CsvTable.read(csv, format());
            TableDescription d = TableDescription.of(t, Math.min(buckets, 200));
            System.out.printf(Locale.ROOT, "%s: %,d rows, %d columns (%.1f s)%n", csv, t.rows(), t.names().size(),
                    (System.nanoTime() - t0) / 1e9);
            d.print(System.out);
            List<String> nonFinite = new ArrayList<>();
            for (String c : t.names()) {
                List<CsvTable.Cell> bad = t.nonFinite(c);
                if (!bad.isEmpty()) {
                    nonFinite.add(String.format(Locale.ROOT, "%s %,d ('%s' at line %d%s)", c, bad.size(), bad.get(0).value(),
                            bad.get(0).line(), bad.size() > 1 ? ", ..." : ""));
                }
            }
            if (!nonFinite.isEmpty()) {
                System.out.println("not finite numbers, counted as missing: " + BadInputException.listed(nonFinite, 20));
            }
            d.writeHtml(out.resolve("describe.html"));
            out.commit();
            System.out.println("wrote " + out.target().resolve("describe.html"));
        }
        return 0;
    }
}
