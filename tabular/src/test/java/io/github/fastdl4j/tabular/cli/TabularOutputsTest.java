package io.github.fastdl4j.tabular.cli;

import io.github.fastdl4j.common.testing.CliRun;
import io.github.fastdl4j.common.testing.Untouched;
import io.github.fastdl4j.tabular.testing.CensusTable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every tabular command that writes refuses an {@code --out} that is one of its inputs (however the
 * path is spelled) or another command's folder, in one line (exit 2), and leaves every file as it
 * was: a prediction never turns the model into a CSV.
 */
class TabularOutputsTest {

    @TempDir
    static Path tmp;
    static Path data;   // a folder holding the table
    static Path csv;
    static Path run;    // a trained run
    static Path model;
    static Path sim;    // a generate folder

    private static CliRun run(String... args) {
        return CliRun.run(new TabularMain(), "tabular", args);
    }

    @BeforeAll
    static void runs() throws Exception {
        data = Files.createDirectories(tmp.resolve("data"));
        csv = data.resolve("adult.csv");
        CensusTable.write(csv, 300, 5);
        run = tmp.resolve("run");
        CliRun t = run("train", "--csv", csv.toString(), "--y", "salary", "--epochs", "1", "--layers", "8", "--out", run.toString());
        assertEquals(0, t.code(), t.err());
        model = run.resolve("model.zip");
        sim = tmp.resolve("sim");
        CliRun g = run("generate", "--out", sim.toString(), "--stores", "3", "--from", "2015-06-01", "--to", "2015-07-31");
        assertEquals(0, g.code(), g.err());
    }

    @Test
    void predictNeverWritesOverTheModelTheRowsOrARunsFiles() throws Exception {
        Untouched u = Untouched.of(data, run);
        Path cwd = Path.of("").toAbsolutePath();
        Path link = Files.createSymbolicLink(tmp.resolve("model-link.zip"), model);
        for (Path out : new Path[]{model, csv, link, cwd.relativize(csv), Path.of(".").resolve(cwd.relativize(model)),
                data.resolve("sub/../adult.csv")}) {
            Untouched.refused(run("predict", "--model-file", model.toString(), "--csv", csv.toString(), "--out", out.toString()),
                    "which this run reads");
        }
        Untouched.refused(run("predict", "--model-file", model.toString(), "--csv", csv.toString(), "--out",
                run.resolve("metrics.json").toString()), "is part of the run folder", "'tabular train'");
        u.check();
        // a model of the lesson's data reads the store files beside the rows: not those either
        Untouched s = Untouched.of(sim);
        Path lesson = tmp.resolve("lesson");
        assertEquals(0, run("train", "--data-dir", sim.toString(), "--epochs", "1", "--layers", "8", "--ps", "0", "--out",
                lesson.toString()).code());
        Path test = Files.writeString(tmp.resolve("test.csv"), "Id,Store,DayOfWeek,Date,Open,Promo,StateHoliday,SchoolHoliday\n"
                + "1,1,1,2015-08-03,1,1,0,1\n");
        Path stores = Files.createDirectories(tmp.resolve("stores"));
        Files.copy(sim.resolve("store.csv"), stores.resolve("store.csv"));
        Files.copy(sim.resolve("store_states.csv"), stores.resolve("store_states.csv"));
        Untouched st = Untouched.of(stores, tmp.resolve("test.csv"));
        for (String f : new String[]{"store.csv", "store_states.csv"}) {
            Untouched.refused(run("predict", "--model-file", lesson.resolve("model.zip").toString(), "--csv", test.toString(),
                    "--store-dir", stores.toString(), "--out", stores.resolve(f).toString()), "is the store file");
        }
        Untouched.refused(run("predict", "--model-file", lesson.resolve("model.zip").toString(), "--csv", test.toString(),
                "--store-dir", stores.toString(), "--out", test.toString()), "is --csv");
        st.check();
        s.check();
    }

    @Test
    void trainAndLrFindRefuseTheirDataAndAnotherCommandsFolder() {
        Untouched u = Untouched.of(data, run, sim);
        for (String command : new String[]{"train", "lr-find"}) {
            Untouched.refused(run(command, "--csv", csv.toString(), "--y", "salary", "--out", data.toString()), "holds --csv");
            Untouched.refused(run(command, "--csv", csv.toString(), "--y", "salary", "--out", csv.toString()), "is --csv");
            Untouched.refused(run(command, "--data-dir", sim.toString(), "--out", sim.toString()), "is --data-dir");
            Untouched.refused(run(command, "--csv", csv.toString(), "--y", "salary", "--out", sim.toString()),
                    "'tabular generate'");
        }
        Untouched.refused(run("lr-find", "--csv", csv.toString(), "--y", "salary", "--out", run.toString()), "'tabular train'");
        u.check();
    }

    @Test
    void describeInterpretAndGenerateRefuseTheirInputsAndAnotherCommandsFolder() {
        Untouched u = Untouched.of(data, run, sim);
        Untouched.refused(run("describe", "--csv", csv.toString(), "--out", data.toString()), "holds --csv");
        Untouched.refused(run("describe", "--csv", csv.toString(), "--out", csv.toString()), "is --csv");
        Untouched.refused(run("describe", "--csv", csv.toString(), "--out", run.toString()), "'tabular train'");
        Untouched.refused(run("interpret", "--model-file", model.toString(), "--out", model.toString()), "is --model-file");
        Untouched.refused(run("interpret", "--model-file", model.toString(), "--out", run.toString()), "'tabular train'");
        Untouched.refused(run("interpret", "--model-file", model.toString(), "--out", sim.toString()), "'tabular generate'");
        Untouched.refused(run("generate", "--out", run.toString(), "--stores", "2"), "'tabular train'");
        u.check();
    }
}
