package io.github.fastdl4j.tabular.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.fastdl4j.common.testing.CliRun;
import io.github.fastdl4j.common.train.ModelArchive;
import io.github.fastdl4j.tabular.data.Rossmann;
import io.github.fastdl4j.tabular.data.ShopSalesSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** generate -> train -> predict -> interpret through the command line, on a tiny simulation. */
class TabularMainTest {

    @Test
    void generateTrainPredictInterpret(@TempDir Path dir) throws IOException {
        Path sim = dir.resolve("sim");
        CliRun gen = CliRun.run(new TabularMain(), "tabular", "generate", "--out", sim.toString(), "--stores", "8",
                "--from", "2015-03-01", "--to", "2015-07-31");
        assertEquals(0, gen.code(), gen.out());
        assertTrue(gen.out().contains("SIMULATED"));
        Path out = dir.resolve("run");
        CliRun train = CliRun.run(new TabularMain(), "tabular", "train", "--data-dir", sim.toString(), "--epochs", "2",
                "--layers", "50,20", "--bs", "64", "--out", out.toString());
        assertEquals(0, train.code(), train.out() + train.err());
        assertTrue(train.out().contains("noise floor"), train.out());
        assertTrue(train.out().contains("show_results (validation rows):"), train.out());
        String metrics = Files.readString(out.resolve("metrics.json"));
        assertTrue(metrics.contains("\"exp_rmspe\"") && metrics.contains("\"noise_floor_rmspe\""), metrics);
        // the settings used, only those: the preset's dropout, no table options, no default simulation (files were read)
        JsonNode config = ModelArchive.JSON.readTree(metrics)
                .path("config");
        assertEquals("[50,20]", config.path("layers").toString());
        assertEquals("[0.001,0.01]", config.path("ps").toString());
        assertEquals(0.04, config.path("emb_drop").asDouble());
        assertEquals(64, config.path("bs").asInt());
        for (String absent : new String[]{"csv", "y", "max_card", "date_parts", "stores", "sim_seed", "onednn", "early_stop"}) {
            assertFalse(config.has(absent), absent + " does not apply: " + config);
        }
        assertTrue(Files.exists(out.resolve("charts/embedding_State.png")));

        // a Kaggle-style test.csv for two stores
        Path test = sim.resolve("test.csv");
        Files.writeString(test, "Id,Store,DayOfWeek,Date,Open,Promo,StateHoliday,SchoolHoliday\n"
                + "1,1,1,2015-08-03,1,1,0,1\n2,2,1,2015-08-03,0,1,0,1\n3,2,2,2015-08-04,1,1,0,1\n");
        Path sub = dir.resolve("submission.csv");
        CliRun pred = CliRun.run(new TabularMain(), "tabular", "predict", "--model-file", out.resolve("model.zip").toString(),
                "--csv", test.toString(), "--out", sub.toString());
        assertEquals(0, pred.code(), pred.err());
        List<String> lines = Files.readAllLines(sub);
        assertEquals("Id,Sales", lines.get(0));
        assertEquals(4, lines.size());
        assertEquals("2,0.00", lines.get(2), "closed days are 0");
        assertTrue(Double.parseDouble(lines.get(1).split(",")[1]) > 100);

        // --features scores on the data the model was trained on, found through its provenance
        CliRun interp = CliRun.run(new TabularMain(), "tabular", "interpret", "--model-file", out.resolve("model.zip").toString(),
                "--features", "--sample", "2000", "--out", dir.resolve("interp").toString());
        assertEquals(0, interp.code(), interp.out() + interp.err());
        assertTrue(interp.out().contains("State embeddings vs geography"), interp.out());
        assertTrue(interp.out().contains("k-NN"), interp.out());
        assertTrue(Files.exists(dir.resolve("interp/embeddings/Store.csv")));
        Path other = dir.resolve("other");
        assertEquals(0, CliRun.run(new TabularMain(), "tabular", "generate", "--out", other.toString(), "--stores", "8",
                "--from", "2015-03-01", "--to", "2015-07-31", "--seed", "9").code());
        CliRun wrong = CliRun.run(new TabularMain(), "tabular", "interpret", "--model-file", out.resolve("model.zip").toString(),
                "--data-dir", other.toString(), "--features", "--out", dir.resolve("interp2").toString());
        assertEquals(1, wrong.code(), wrong.out() + wrong.err());
        assertTrue(wrong.err().contains("not the data") && wrong.err().contains("model.zip was trained on"), wrong.err());

        CliRun bench = CliRun.run(new TabularMain(), "tabular", "bench", "--data-dir", sim.toString(), "--epochs", "1",
                "--layers", "20", "--ps", "0", "--bs", "64", "--variants", "embeddings,layers-one-hot");
        assertEquals(0, bench.code(), bench.err());
        List<String> json = bench.out().lines().filter(l -> l.startsWith("{")).toList();
        assertEquals(2, json.size(), bench.out());
        assertTrue(json.get(0).contains("\"model\":\"tabular\"") && json.get(0).contains("\"rows_per_sec\""), json.get(0));
        assertTrue(json.get(1).contains("\"model\":\"tabular-layers-one-hot\""), json.get(1));
        CliRun defaults = CliRun.run(new TabularMain(), "tabular", "bench", "--data-dir", sim.toString(), "--epochs", "1");
        assertEquals(0, defaults.code(), defaults.err());
        assertTrue(defaults.out().contains("\"layers\":[1000,500]"), "the lesson's layers by default: " + defaults.out());
        assertTrue(defaults.out().contains("\"peak_rss_mb\""), defaults.out());
        // how many rows train.csv has and how long reading it (with the features) took, beside the peak memory
        long rows = Files.lines(sim.resolve("train.csv")).count() - 1;
        assertTrue(defaults.out().contains("\"rows\":" + rows + ","), defaults.out());
        assertTrue(defaults.out().matches("(?s).*\"load_seconds\":[0-9.]+,.*"), defaults.out());
    }

    @Test
    void badInputsAreClearErrors(@TempDir Path dir) {
        CliRun noData = CliRun.run(new TabularMain(), "tabular", "train", "--data-dir", dir.toString(), "--out",
                dir.resolve("run").toString());
        assertEquals(1, noData.code());
        assertTrue(noData.err().contains("has no train.csv"), noData.err());
        CliRun badOption = CliRun.run(new TabularMain(), "tabular", "generate", "--out", dir.toString(), "--stores", "many");
        assertEquals(2, badOption.code());
        CliRun badDates = CliRun.run(new TabularMain(), "tabular", "generate", "--out", dir.toString(),
                "--from", "2015-01-02", "--to", "2015-01-01");
        assertEquals(2, badDates.code(), badDates.err());
        assertTrue(badDates.err().contains("before"), badDates.err());
        String[][] cases = {{"--ps", "1.5,0"}, {"--emb-drop", "-1"}, {"--layers", "0"}, {"--epochs", "-1"}, {"--lr", "NaN"},
                {"--stores", "0"}};
        for (String[] c : cases) {
            CliRun r = CliRun.run(new TabularMain(), "tabular", "train", c[0], c[1], "--data-dir", dir.resolve("none").toString(),
                    "--out", dir.resolve("run").toString());
            assertEquals(2, r.code(), String.join(" ", c) + ": " + r.err());
            assertTrue(r.err().startsWith("error: Invalid value for option '" + c[0] + "'"), r.err());
        }
        CliRun ps = CliRun.run(new TabularMain(), "tabular", "train", "--layers", "10,5", "--ps", "0.1", "--data-dir",
                dir.resolve("none").toString());
        assertEquals(2, ps.code(), ps.err());
        assertTrue(ps.err().contains("--ps needs one probability per layer"), ps.err());
    }

    @Test
    void damagedRowsAreNamedNotSilentlyAccepted(@TempDir Path dir) throws IOException {
        Path sim = dir.resolve("sim");
        assertEquals(0, CliRun.run(new TabularMain(), "tabular", "generate", "--out", sim.toString(), "--stores", "3",
                "--from", "2015-07-01", "--to", "2015-07-31").code());
        List<String> train = Files.readAllLines(sim.resolve("train.csv"));
        String[] f = train.get(1).split(",");
        String[][] damage = {{"0", "1.5", "expected a whole number"}, {"3", "-12", "negative"}, {"5", "2", "expected 0..1"},
                {"1", "8", "expected 1..7"}};
        for (String[] d : damage) {
            String[] g = f.clone();
            g[Integer.parseInt(d[0])] = d[1];
            List<String> copy = new ArrayList<>(train);
            copy.set(1, String.join(",", g));
            Files.write(sim.resolve("train.csv"), copy);
            CliRun r = CliRun.run(new TabularMain(), "tabular", "train", "--data-dir", sim.toString(), "--out",
                    dir.resolve("run").toString());
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().contains("train.csv:2: field '" + Rossmann.TRAIN_COLUMNS.get(Integer.parseInt(d[0])) + "'")
                    && r.err().contains(d[2]), r.err());
            assertTrue(Files.notExists(dir.resolve("run")), "nothing written");
        }
    }

    @Test
    void simulatorDefaultsAreTheCompetitionSpan() {
        ShopSalesSimulator.Config c = ShopSalesSimulator.Config.defaults();
        assertEquals(1115, c.stores());
        assertEquals(LocalDate.of(2013, 1, 1), c.from());
        assertEquals(LocalDate.of(2015, 7, 31), c.to());
    }
}
