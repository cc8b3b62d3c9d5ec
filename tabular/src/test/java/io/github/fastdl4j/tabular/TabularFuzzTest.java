package io.github.fastdl4j.tabular;

import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.data.CsvTable;
import io.github.fastdl4j.common.testing.CliRun;
import io.github.fastdl4j.common.testing.Fuzz;
import io.github.fastdl4j.common.testing.ParquetFixtures;
import io.github.fastdl4j.common.train.ModelArchive;
import io.github.fastdl4j.tabular.cli.TabularMain;
import io.github.fastdl4j.tabular.data.Dates;
import io.github.fastdl4j.tabular.data.ShopSales;
import io.github.fastdl4j.tabular.data.TabularCsv;
import io.github.fastdl4j.tabular.model.TabularPredictor;
import io.github.fastdl4j.tabular.testing.CensusTable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Mutated train.csv, store.csv and store_states.csv in the Rossmann layout (from a small
 * simulation) and tabular model zips (TabularNet and the DL4J graph): each loads or is used, or is
 * refused with one line naming the file. {@code -Dfastdl4j.fuzz=N} tries N inputs per kind.
 */
@Tag("slow")
class TabularFuzzTest {

    @TempDir
    Path tmp;

    /** Outputs equal to inputs, however spelled: every writing command refuses them and changes nothing. */
    @Test
    void outputsEqualToInputsAreRefusedAndChangeNothing() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("table"));
        Path csv = data.resolve("adult.csv");
        CensusTable.write(csv, 200, 3);
        Path run = tmp.resolve("run");
        assertEquals(0, CliRun.run(new TabularMain(), "tabular", "train", "--csv", csv.toString(), "--y", "salary", "--epochs", "1",
                "--layers", "8", "--out", run.toString()).code());
        Path model = run.resolve("model.zip");
        List<Fuzz.Command> commands = List.of(
                new Fuzz.Command(List.of("predict", "--model-file", model.toString(), "--csv", csv.toString()), List.of(model, csv)),
                new Fuzz.Command(List.of("describe", "--csv", csv.toString()), List.of(csv, data)),
                new Fuzz.Command(List.of("train", "--csv", csv.toString(), "--y", "salary", "--epochs", "1"), List.of(csv, data)),
                new Fuzz.Command(List.of("lr-find", "--csv", csv.toString(), "--y", "salary"), List.of(csv, data)),
                new Fuzz.Command(List.of("interpret", "--model-file", model.toString()), List.of(model, run)));
        assertNoFailures(List.of(Fuzz.outputsEqualToInputs("--out = an input (tabular)", tmp.resolve("links"), commands,
                args -> CliRun.run(new TabularMain(), "tabular", args))));
    }

    @Test
    void rossmannFilesAreLoadedOrRefusedInOneLine() throws IOException {
        Path sim = tmp.resolve("sim");
        CliRun gen = CliRun.run(new TabularMain(), "tabular", "generate", "--out", sim.toString(), "--stores", "6",
                "--from", "2015-06-01", "--to", "2015-07-31");
        assertEquals(0, gen.code(), gen.err());
        Files.delete(sim.resolve("expected.csv"));
        List<Fuzz.Report> reports = new ArrayList<>();
        long seed = 1;
        for (String f : new String[]{"train.csv", "store.csv", "store_states.csv"}) {
            byte[] original = Files.readAllBytes(sim.resolve(f));
            // the daily file is long: fuzz its first 300 lines (the store files whole)
            byte[] sample = f.equals("train.csv") ? head(original, 300) : original;
            reports.add(Fuzz.run(f, seed++, rng -> Fuzz.mutate(sample, rng), f, bytes -> {
                Files.write(sim.resolve(f), bytes);
                ShopSales.load(sim);
            }));
            Files.write(sim.resolve(f), original);
        }
        assertNoFailures(reports);
    }

    /** A Parquet table (what Spark and pandas write) damaged, cut or garbled: read, or refused in one line naming it. */
    @Test
    void parquetTablesAreLoadedOrRefusedInOneLine() throws IOException {
        List<Object[]> rows = new ArrayList<>();
        Random r = new Random(5);
        for (int i = 0; i < 300; i++) {
            rows.add(new Object[]{1 + r.nextInt(9), i % 11 == 0 ? null : r.nextGaussian(), i % 7 == 0 ? null : "s" + r.nextInt(4),
                    r.nextBoolean(), 16_000 + i, (long) r.nextInt(1000)});
        }
        byte[] table = Files.readAllBytes(ParquetFixtures.write(tmp.resolve("base.parquet"),
                "message t { required int32 store; optional double temp; optional binary state (STRING); required boolean promo; "
                        + "required int32 date (DATE); required int64 y; }", rows));
        Path mutant = tmp.resolve("mutant.parquet");
        assertNoFailures(List.of(Fuzz.run("table.parquet", 31, rng -> Fuzz.mutate(table, rng), "mutant.parquet", bytes -> {
            Files.write(mutant, bytes);
            TabularCsv.read(mutant, CsvTable.Format.csv(),
                    List.of("date"), Dates.of(null));
        })));
    }

    @Test
    void modelZipsAreUsedOrRefusedInOneLine() throws IOException {
        Path sim = tmp.resolve("sim");
        assertEquals(0, CliRun.run(new TabularMain(), "tabular", "generate", "--out", sim.toString(), "--stores", "6",
                "--from", "2015-05-01", "--to", "2015-07-31").code());
        Path test = Files.writeString(sim.resolve("test.csv"), "Id,Store,DayOfWeek,Date,Open,Promo,StateHoliday,SchoolHoliday\n"
                + "1,1,1,2015-08-03,1,1,0,1\n2,2,1,2015-08-03,0,1,0,1\n");
        List<Fuzz.Report> reports = new ArrayList<>();
        long seed = 10;
        for (String variant : new String[]{"", "--dl4j"}) {
            Path run = tmp.resolve("run" + variant);
            List<String> args = new ArrayList<>(List.of("train", "--data-dir", sim.toString(), "--epochs", "1", "--layers", "16",
                    "--ps", "0", "--bs", "256", "--out", run.toString()));
            if (!variant.isEmpty()) {
                args.add(variant);
            }
            CliRun t = CliRun.run(new TabularMain(), "tabular", args.toArray(String[]::new));
            assertEquals(0, t.code(), t.err());
            byte[] zip = Files.readAllBytes(run.resolve("model.zip"));
            Path mutant = tmp.resolve("mutant" + variant + ".zip");
            Path sub = tmp.resolve("submission.csv");
            reports.add(Fuzz.run("model.zip (tabular" + variant + ")", seed++,
                    rng -> rng.nextInt(4) == 0 ? Fuzz.mutate(zip, rng) : Fuzz.mutateZip(zip, rng), mutant.getFileName().toString(),
                    bytes -> {
                        Files.write(mutant, bytes);
                        CliRun r = CliRun.run(new TabularMain(), "tabular", "predict", "--model-file", mutant.toString(),
                                "--csv", test.toString(), "--out", sub.toString());
                        if (r.code() == 0) {
                            return;
                        }
                        List<String> err = r.err().strip().lines().filter(l -> !l.startsWith("backend: ")).toList();
                        if (r.code() == 1 && err.size() == 1 && err.get(0).startsWith("error: ") && !r.err().contains("\tat ")) {
                            throw new BadInputException(err.get(0));
                        }
                        throw new AssertionError("exit " + r.code() + ": " + r.err());
                    }));
        }
        assertNoFailures(reports);
    }

    /** Numbers a double cannot hold, or far outside any training rows: what the second hostile round fed tabular. */
    static final String[] NON_FINITE = {"1e308", "-1e308", "Infinity", "-Infinity", "NaN", "inf", "-inf", "1e999", "-1e400"};

    /** age (continuous), city (categorical), y = 1.5 age + noise: a small regression table. */
    static List<String> table(int rows, long seed) {
        Random r = new Random(seed);
        List<String> lines = new ArrayList<>(List.of("age,city,y"));
        for (int i = 0; i < rows; i++) {
            int age = 18 + r.nextInt(60);
            lines.add(age + "," + "abcde".charAt(r.nextInt(5)) + "," + String.format(Locale.ROOT, "%.3f",
                    1.5 * age + 3 * r.nextDouble()));
        }
        return lines;
    }

    /** A cell of a line (not the header) replaced by a non-finite number. */
    static String withNonFinite(List<String> lines, Random rng, int column) {
        List<String> out = new ArrayList<>(lines);
        int row = 1 + rng.nextInt(out.size() - 1);
        String[] f = out.get(row).split(",", -1);
        f[column] = NON_FINITE[rng.nextInt(NON_FINITE.length)];
        out.set(row, String.join(",", f));
        return String.join("\n", out) + "\n";
    }

    /** A CLI run as the fuzz harness wants it: exit 0, or exit 1 with one error line (a refusal), else a failure. */
    static CliRun refusedOrOk(CliRun r) {
        if (r.code() == 0) {
            return r;
        }
        List<String> err = r.err().strip().lines().filter(l -> !l.startsWith("backend: ")).toList();
        if (r.code() == 1 && err.size() == 1 && err.get(0).startsWith("error: ") && !r.err().contains("\tat ")) {
            throw new BadInputException(err.get(0));
        }
        throw new AssertionError("exit " + r.code() + ": " + r.err());
    }

    @Test
    void nonFiniteNumbersTrailingSeparatorsAndWideTablesTrainAndPredictOrAreRefusedInOneLine() throws IOException {
        Path csv = tmp.resolve("table.csv");
        List<String> base = table(80, 1);
        Files.writeString(csv, String.join("\n", base) + "\n");
        Path model = tmp.resolve("model");
        CliRun t = CliRun.run(new TabularMain(), "tabular", "train", "--csv", csv.toString(), "--y", "y", "--epochs", "1",
                "--layers", "8", "--out", model.toString());
        assertEquals(0, t.code(), t.err());
        List<Fuzz.Report> reports = new ArrayList<>();

        // rows to predict with a number the model cannot answer for: refused at its line, or a finite answer
        Path rows = tmp.resolve("rows.csv");
        Path pred = tmp.resolve("pred.csv");
        List<String> newRows = table(6, 2).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
        reports.add(Fuzz.run("predict rows (non-finite)", 21, rng -> {
            String text = withNonFinite(newRows, rng, rng.nextInt(3) == 0 ? 1 : 0);
            return new Fuzz.Mutant(text.getBytes(StandardCharsets.UTF_8), text.replace('\n', '|'));
        }, "rows.csv", bytes -> {
            Files.write(rows, bytes);
            Files.deleteIfExists(pred);
            refusedOrOk(CliRun.run(new TabularMain(), "tabular", "predict", "--model-file", model.resolve("model.zip").toString(),
                    "--csv", rows.toString(), "--out", pred.toString()));
            for (String line : Files.readAllLines(pred).subList(1, 7)) {
                double v = Double.parseDouble(line.split(",")[1]);
                if (!Double.isFinite(v)) {
                    throw new AssertionError("a non-finite answer written: " + line);
                }
            }
        }));

        // tables to train on: non-finite targets and inputs, trailing separators, thousands of columns
        Path mutant = tmp.resolve("mutant.csv");
        AtomicInteger runs = new AtomicInteger();
        Fuzz.Target trains = bytes -> {
            Files.write(mutant, bytes);
            Path out = tmp.resolve("run-mutant-" + runs.incrementAndGet()); // a fresh folder: nothing of another run is replaced
            CliRun run = CliRun.run(new TabularMain(), "tabular", "train", "--csv", mutant.toString(), "--y", "y",
                    "--epochs", "1", "--layers", "4", "--out", out.toString());
            String header = new String(bytes, StandardCharsets.UTF_8).lines().findFirst().orElse("");
            if (header.endsWith(",") && run.code() != 0) {
                throw new AssertionError("trailing separators on every line are read as pandas reads them: " + run.err());
            }
            CliRun r = refusedOrOk(run);
            if (!r.out().contains("target y: regression")) {
                throw new AssertionError("a numeric target must stay a regression: " + r.out());
            }
            double rmse = ModelArchive.JSON.readTree(out.resolve("metrics.json").toFile())
                    .path("final").path("rmse").asDouble(Double.NaN);
            if (!Double.isFinite(rmse)) {
                throw new AssertionError("validation rmse " + rmse);
            }
            TabularPredictor.load(out.resolve("model.zip")); // what was trained can be used
            if (r.out().lines().anyMatch(l -> l.length() > 2000)) {
                throw new AssertionError("a line of " + r.out().lines().mapToInt(String::length).max().orElse(0) + " characters");
            }
        };
        // fields quoted whole, which CsvTable reads from the bytes (CsvBytes): a quoted number is still a number
        reports.add(Fuzz.run("train table (quoted fields)", 23, rng -> {
            List<String> out = new ArrayList<>();
            for (String line : base) {
                List<String> fields = new ArrayList<>();
                for (String v : line.split(",", -1)) {
                    fields.add(!v.isEmpty() && rng.nextInt(3) == 0 ? "\"" + v + "\"" : v);
                }
                out.add(String.join(",", fields));
            }
            return new Fuzz.Mutant((String.join(rng.nextBoolean() ? "\n" : "\r\n", out) + "\n").getBytes(StandardCharsets.UTF_8),
                    "quoted fields");
        }, "mutant.csv", trains));
        reports.add(Fuzz.run("train table (non-finite, trailing, wide)", 22, rng -> {
            int kind = rng.nextInt(8);
            String text;
            String what;
            if (kind < 4) {
                text = withNonFinite(base, rng, kind % 2 == 0 ? 2 : 0);
                what = "non-finite " + (kind % 2 == 0 ? "target" : "age");
            } else if (kind < 7) {
                String sep = ",".repeat(1 + rng.nextInt(4));
                boolean header = rng.nextBoolean();
                List<String> out = new ArrayList<>();
                for (int i = 0; i < base.size(); i++) {
                    out.add(base.get(i) + (i == 0 && !header ? "" : sep));
                }
                text = String.join("\n", out) + "\n";
                what = "trailing " + sep + (header ? " on every line" : " on data lines");
            } else {
                int columns = 500 + rng.nextInt(1500);
                StringBuilder b = new StringBuilder();
                for (int j = 0; j < columns; j++) {
                    b.append('c').append(j).append(',');
                }
                b.append("y\n");
                for (int i = 0; i < 30; i++) {
                    for (int j = 0; j < columns; j++) {
                        b.append(rng.nextInt(5)).append(',');
                    }
                    b.append(rng.nextDouble()).append('\n');
                }
                text = b.toString();
                what = columns + " columns";
            }
            return new Fuzz.Mutant(text.getBytes(StandardCharsets.UTF_8), what);
        }, "mutant.csv", trains));
        assertNoFailures(reports);
    }

    private static byte[] head(byte[] file, int lines) {
        List<String> all = new String(file, StandardCharsets.UTF_8).lines().toList();
        return (String.join("\n", all.subList(0, Math.min(lines, all.size()))) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void assertNoFailures(List<Fuzz.Report> reports) {
        List<String> failures = new ArrayList<>();
        reports.forEach(r -> r.failures().forEach(f -> failures.add(r.kind() + " #" + f)));
        assertEquals(List.of(), failures);
    }
}
