package io.github.fastdl4j.tabular.cli;

import io.github.fastdl4j.common.cli.Checks;
import io.github.fastdl4j.common.cli.ParsingConverter;
import io.github.fastdl4j.common.io.RunFolder;
import io.github.fastdl4j.tabular.data.ShopSalesSimulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code tabular generate}: the shop-sales simulation written as the Kaggle files. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Simulate shop sales: train.csv, store.csv, store_states.csv (Kaggle layout) and expected.csv.")
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "Folder to write.")
    Path out;
    @Option(names = "--stores", converter = Checks.PositiveInt.class, description = "Stores (default: ${DEFAULT-VALUE}).")
    int stores = 1115;
    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed = 1;
    @Option(names = "--from", converter = DateConverter.class, description = "First date, 1900..2100 (default: ${DEFAULT-VALUE}).")
    LocalDate from = LocalDate.of(2013, 1, 1);
    @Option(names = "--to", converter = DateConverter.class, description = "Last date, 1900..2100 (default: ${DEFAULT-VALUE}).")
    LocalDate to = LocalDate.of(2015, 7, 31);

    /** yyyy-MM-dd between 1900 and 2100 (the holiday calendar's years); anything else is a usage error. */
    static final class DateConverter extends ParsingConverter<LocalDate> {
        DateConverter() {
            super(v -> {
                LocalDate d;
                try {
                    d = LocalDate.parse(v.strip());
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("expected a date yyyy-MM-dd, got '" + v + "'");
                }
                if (d.getYear() < 1900 || d.getYear() > 2100) {
                    throw new IllegalArgumentException("expected a date in 1900..2100, got " + d);
                }
                return d;
            });
        }
    }
    @Option(names = "--noise", converter = Checks.NonNegativeDouble.class,
            description = "Sigma of the log-normal noise (default: ${DEFAULT-VALUE}).")
    double noise = ShopSalesSimulator.NOISE_SIGMA;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (to.isBefore(from)) {
            throw new ParameterException(spec.commandLine(), "--to " + to + " is before --from " + from);
        }
        try (RunFolder folder = RunFolder.open(out, spec.qualifiedName(" "),
                Set.of("train.csv", "store.csv", "store_states.csv", "expected.csv"))) {
            long t0 = System.nanoTime();
            ShopSalesSimulator.Summary s = ShopSalesSimulator.write(
                    new ShopSalesSimulator.Config(stores, from, to, seed, noise), folder.dir());
            folder.commit();
            System.out.printf(Locale.ROOT, "SIMULATED shop sales: %,d rows (%,d open, mean sales %.0f) for %d stores, %s..%s, "
                            + "seed %d, noise sigma %.3f, in %.1f s; wrote train.csv, store.csv, store_states.csv, expected.csv to %s%n",
                    s.rows(), s.openRows(), s.meanOpenSales(), stores, from, to, seed, noise,
                    (System.nanoTime() - t0) / 1e9, folder.target());
        }
        return 0;
    }
}
