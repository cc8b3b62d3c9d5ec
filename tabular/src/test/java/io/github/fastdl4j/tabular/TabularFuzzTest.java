package io.github.fastdl4j.tabular;

import io.github.fastdl4j.common.data.DataException;
import io.github.fastdl4j.common.testing.CliRun;
import io.github.fastdl4j.common.testing.Fuzz;
import io.github.fastdl4j.tabular.cli.TabularMain;
import io.github.fastdl4j.tabular.data.ShopSales;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
        io.github.fastdl4j.tabular.testing.CensusTable.write(csv, 200, 3);
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
                            throw new DataException(err.get(0));
                        }
                        throw new AssertionError("exit " + r.code() + ": " + r.err());
                    }));
        }
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
