package io.github.fastdl4j.tabular.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.fastdl4j.common.testing.CliRun;
import io.github.fastdl4j.common.train.ModelArchive;
import io.github.fastdl4j.tabular.model.TabularPredictor;
import io.github.fastdl4j.tabular.testing.CensusTable;
import org.datavec.api.transform.TransformProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** describe -> train -> predict on a user's table through the command line; its mistakes as one line. */
class TabularTableCliTest {

    @Test
    void describeTrainAndPredictACensusTable(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("adult.csv");
        CensusTable.write(csv, 2000, 5);

        CliRun describe = CliRun.run(new TabularMain(), "tabular", "describe", "--csv", csv.toString(), "--out",
                dir.resolve("describe").toString());
        assertEquals(0, describe.code(), describe.out() + describe.err());
        assertTrue(describe.out().contains("2,000 rows, 11 columns"), describe.out());
        String ageLine = describe.out().lines().filter(l -> l.startsWith("age ")).findFirst().orElseThrow();
        assertTrue(ageLine.contains("integer") && ageLine.matches(".*integer\\s+[1-9]\\d*\\s+\\d+.*"), "age has missing values: " + ageLine);
        String html = Files.readString(dir.resolve("describe/describe.html"));
        assertTrue(html.contains("<svg") && html.contains("&gt;=50k"), "histograms, values escaped");

        Path run = dir.resolve("run");
        CliRun train = CliRun.run(new TabularMain(), "tabular", "train", "--csv", csv.toString(), "--y", "salary",
                "--epochs", "3", "--lr", "1e-2", "--wd", "0.01", "--out", run.toString());
        assertEquals(0, train.code(), train.out() + train.err());
        assertTrue(train.out().contains("classification into 2 classes [<50k, >=50k]"), train.out());
        assertTrue(train.out().contains("categorical (8): workclass, education, education-num, marital-status, occupation, "
                + "relationship, race, sex"), "fastai's cont_cat_split: " + train.out());
        assertTrue(train.out().contains("continuous (2): age, hours-per-week"), train.out());
        assertTrue(train.out().contains("accuracy") && train.out().contains("error_rate"), train.out());
        assertTrue(train.out().contains("show_results (validation rows):"), train.out());
        String header = train.out().lines().dropWhile(l -> !l.startsWith("show_results")).skip(1).findFirst().orElseThrow();
        for (String column : List.of("age", "workclass", "relationship", "race", "sex", "hours-per-week", "salary", "salary_pred")) {
            assertTrue(header.contains(column), "every input column is shown: " + header);
        }
        assertFalse(train.out().contains(" null "), "a missing value is #na#, never null: " + train.out());
        String metrics = Files.readString(run.resolve("metrics.json"));
        assertTrue(metrics.contains("\"majority_class_accuracy\"") && metrics.contains("\"accuracy\""), metrics);
        // what the run used, as it printed it: the batch size sized to the table, tabular_learner's layers
        assertTrue(train.out().contains("batch size 64"), train.out());
        JsonNode config = ModelArchive.JSON.readTree(metrics).path("config");
        assertEquals(64, config.path("bs").asInt(), config.toString());
        assertEquals("[200,100]", config.path("layers").toString());
        assertEquals("[0.0,0.0]", config.path("ps").toString());
        assertEquals("classify", config.path("task").asText());
        assertEquals(0.2, config.path("valid_pct").asDouble());
        for (String absent : new String[]{"stores", "sim_seed", "onednn", "y_range", "log_y", "cat", "classify"}) {
            assertFalse(config.has(absent), absent + " does not apply: " + config);
        }
        String tp = ModelArchive.open(run.resolve("model.zip")).json(TabularPredictor.TRANSFORM_PROCESS,
                JsonNode.class).toString();
        assertFalse(TransformProcess.fromJson(tp).getActionList().isEmpty(), "a DL4J user can read the TransformProcess");

        // new rows without the target, with an id column the model never saw
        List<String> rows = Files.readAllLines(csv);
        StringBuilder test = new StringBuilder("id," + rows.get(0).replace(",salary", "") + "\n");
        for (int i = 1; i <= 5; i++) {
            test.append("p").append(i).append(", ").append(rows.get(i).substring(0, rows.get(i).lastIndexOf(','))).append('\n');
        }
        Path in = dir.resolve("new.csv");
        Files.writeString(in, test.toString(), StandardCharsets.UTF_8);
        Path out = dir.resolve("pred.csv");
        CliRun predict = CliRun.run(new TabularMain(), "tabular", "predict", "--model-file", run.resolve("model.zip").toString(),
                "--csv", in.toString(), "--id-col", "id", "--out", out.toString());
        assertEquals(0, predict.code(), predict.out() + predict.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals("id,salary,p_<50k,p_>=50k", lines.get(0));
        assertEquals(6, lines.size());
        String[] first = lines.get(1).split(",");
        assertEquals("p1", first[0]);
        assertEquals(1, Double.parseDouble(first[2]) + Double.parseDouble(first[3]), 2e-4);

        // a table without a column the model needs: one line naming it
        Files.writeString(in, "id,age\n1,30\n");
        CliRun missing = CliRun.run(new TabularMain(), "tabular", "predict", "--model-file", run.resolve("model.zip").toString(),
                "--csv", in.toString(), "--out", out.toString());
        assertEquals(1, missing.code(), missing.err());
        assertTrue(missing.err().contains("new.csv:1: field 'workclass': no such column"), missing.err());
    }

    @Test
    void optionMistakesAreUsageErrorsBeforeAnyDataIsRead(@TempDir Path dir) {
        String absent = dir.resolve("absent.csv").toString();
        String[][] cases = {
                {"--y", "salary"},                                                   // no --csv
                {"--csv", absent},                                                   // no --y
                {"--csv", absent, "--y", "s", "--classify", "--regress"},
                {"--csv", absent, "--y", "s", "--classify", "--log-y"},
                {"--csv", absent, "--y", "s", "--valid-pct", "0.2", "--valid-col", "v"},
                {"--csv", absent, "--y", "s", "--date-col", "d"},
                {"--csv", absent, "--y", "s", "--cat", "a", "--cont", "a"},
                {"--csv", absent, "--y", "s", "--cat", "s"},
                {"--csv", absent, "--y", "s", "--y-range", "5,1"},
                {"--csv", absent, "--y", "s", "--valid-pct", "1.5"},
                {"--csv", absent, "--y", "s", "--date-format", "qqqq-bb"},
                {"--csv", absent, "--y", "s", "--sep", "ab"},
                {"--csv", absent, "--y", "s", "--date-format", "dd/MM/yyyy"},   // no date column to read with it
                {"--sep", ";"},                                                      // a table's format without --csv
                {"--no-header"},
                {"--encoding", "latin1"},
                {"--max-card", "5"},
        };
        for (String[] c : cases) {
            String[] args = new String[c.length + 3];
            args[0] = "train";
            System.arraycopy(c, 0, args, 1, c.length);
            args[c.length + 1] = "--out";
            args[c.length + 2] = dir.resolve("run").toString();
            CliRun r = CliRun.run(new TabularMain(), "tabular", args);
            assertEquals(2, r.code(), String.join(" ", c) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }

    @Test
    void dataMistakesNameTheFileLineAndColumn(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("t.csv");
        Files.writeString(csv, "a,b,y\n1,x,1.5\n2,y,2.5\n3,z,oops\n");
        String[][] cases = {
                {"--y", "nope"}, "t.csv:1: field 'nope': no such column".split("\\|"),
                {"--y", "y", "--regress"}, "t.csv:4: field 'y': expected numbers, got 'oops'".split("\\|"),
                {"--y", "a", "--cont", "b"}, "t.csv:2: field 'b': expected numbers, got 'x'".split("\\|"),
        };
        for (int i = 0; i < cases.length; i += 2) {
            String[] c = cases[i];
            String[] args = new String[c.length + 5];
            args[0] = "train";
            args[1] = "--csv";
            args[2] = csv.toString();
            System.arraycopy(c, 0, args, 3, c.length);
            args[c.length + 3] = "--out";
            args[c.length + 4] = dir.resolve("run").toString();
            CliRun r = CliRun.run(new TabularMain(), "tabular", args);
            assertEquals(1, r.code(), String.join(" ", c) + ": " + r.err());
            assertTrue(r.err().contains(cases[i + 1][0]), r.err());
            assertFalse(Files.exists(dir.resolve("run")), "nothing written");
        }
    }
}
