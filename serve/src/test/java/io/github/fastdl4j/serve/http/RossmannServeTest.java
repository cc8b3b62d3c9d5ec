package io.github.fastdl4j.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.fastdl4j.common.testing.CliRun;
import io.github.fastdl4j.serve.ServeConfig;
import io.github.fastdl4j.serve.testing.Http;
import io.github.fastdl4j.tabular.cli.TabularMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model of the lesson's Rossmann data records the store table it joined (inside model.zip), so
 * {@code tabular predict} needs no store files and the server predicts a day's row of train.csv's
 * raw columns, equal to predict's answers; a model saved before (no table) predicts with the store
 * files as it did, and the server answers it 422 in one line.
 */
class RossmannServeTest {

    @TempDir
    Path tmp;

    private static final String TEST_CSV = "Id,Store,DayOfWeek,Date,Open,Promo,StateHoliday,SchoolHoliday\n"
            + "1,1,1,2015-08-03,1,1,0,1\n2,2,1,2015-08-03,0,1,0,1\n3,2,2,2015-08-04,1,1,0,1\n4,3,3,2015-08-05,1,0,a,0\n";
    /** The same days in train.csv's columns (Sales and Customers are what a row of train.csv has; they are not used). */
    private static final String TRAIN_ROWS = "{\"rows\": ["
            + "{\"Store\": 1, \"DayOfWeek\": 1, \"Date\": \"2015-08-03\", \"Sales\": 5000, \"Customers\": 500, \"Open\": 1, \"Promo\": 1, "
            + "\"StateHoliday\": \"0\", \"SchoolHoliday\": 1},"
            + "{\"Store\": 2, \"DayOfWeek\": 1, \"Date\": \"2015-08-03\", \"Sales\": 0, \"Customers\": 0, \"Open\": 0, \"Promo\": 1, "
            + "\"StateHoliday\": \"0\", \"SchoolHoliday\": 1},"
            + "{\"Store\": 2, \"DayOfWeek\": 2, \"Date\": \"2015-08-04\", \"Sales\": 6000, \"Customers\": 600, \"Open\": 1, \"Promo\": 1, "
            + "\"StateHoliday\": \"0\", \"SchoolHoliday\": 1},"
            + "{\"Store\": 3, \"DayOfWeek\": 3, \"Date\": \"2015-08-05\", \"Sales\": 7000, \"Customers\": 700, \"Open\": 1, \"Promo\": 0, "
            + "\"StateHoliday\": \"a\", \"SchoolHoliday\": 0}]}";

    /** submission.csv's Sales column. */
    private static double[] sales(Path submission) throws Exception {
        return Files.readAllLines(submission).stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[1])).toArray();
    }

    /** The model zip without its store table: a model as saved before models recorded one. */
    private static void withoutStores(Path from, Path to) throws Exception {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(from));
             OutputStream os = Files.newOutputStream(to); ZipOutputStream out = new ZipOutputStream(os)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.getName().equals("stores.json")) {
                    continue;
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                in.transferTo(out);
                out.closeEntry();
            }
        }
    }

    @Test
    void aServedLessonModelPredictsADaysRowAsTabularPredictDoes() throws Exception {
        Path sim = tmp.resolve("sim");
        assertEquals(0, CliRun.run(new TabularMain(), "tabular", "generate", "--out", sim.toString(), "--stores", "4",
                "--from", "2015-05-01", "--to", "2015-07-31").code());
        Path runs = tmp.resolve("runs");
        CliRun train = CliRun.run(new TabularMain(), "tabular", "train", "--data-dir", sim.toString(), "--epochs", "1",
                "--layers", "20,10", "--bs", "64", "--out", runs.resolve("ross").toString());
        assertEquals(0, train.code(), train.out() + train.err());
        Path model = runs.resolve("ross/model.zip");
        try (InputStream in = Files.newInputStream(model); ZipInputStream z = new ZipInputStream(in)) {
            boolean found = false;
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                found |= e.getName().equals("stores.json");
            }
            assertTrue(found, "model.zip records the store table");
        }
        // predict with no store files beside the rows
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("test.csv"), TEST_CSV);
        Path sub = tmp.resolve("sub.csv");
        CliRun pred = CliRun.run(new TabularMain(), "tabular", "predict", "--model-file", model.toString(), "--csv",
                elsewhere.resolve("test.csv").toString(), "--out", sub.toString());
        assertEquals(0, pred.code(), pred.err());
        double[] cli = sales(sub);
        assertEquals(0.0, cli[1], "closed");
        // --store-dir still overrides: the same files give the same answers
        Path sub2 = tmp.resolve("sub2.csv");
        assertEquals(0, CliRun.run(new TabularMain(), "tabular", "predict", "--model-file", model.toString(), "--csv",
                elsewhere.resolve("test.csv").toString(), "--store-dir", sim.toString(), "--out", sub2.toString()).code());
        assertEquals(Files.readString(sub), Files.readString(sub2));
        // a model saved before: predict reads the store files beside the rows, as it did
        Path old = tmp.resolve("old.zip");
        withoutStores(model, old);
        Files.writeString(sim.resolve("test.csv"), TEST_CSV);
        Path sub3 = tmp.resolve("sub3.csv");
        assertEquals(0, CliRun.run(new TabularMain(), "tabular", "predict", "--model-file", old.toString(), "--csv",
                sim.resolve("test.csv").toString(), "--out", sub3.toString()).code());
        assertEquals(Files.readString(sub), Files.readString(sub3));
        CliRun noStores = CliRun.run(new TabularMain(), "tabular", "predict", "--model-file", old.toString(), "--csv",
                elsewhere.resolve("test.csv").toString(), "--out", tmp.resolve("sub4.csv").toString());
        assertEquals(1, noStores.code());
        assertTrue(noStores.err().contains("store.csv"), noStores.err());

        try (ServeApp app = ServeApp.start(new ServeConfig(List.of(runs), List.of(old), "127.0.0.1", 0, null, tmp.resolve("fb"), 8, 1,
                60_000, ServeConfig.Limits.defaults()))) {
            Http http = new Http(app.port());
            JsonNode d = http.get("/api/models/ross").json();
            assertEquals("[\"Store\",\"DayOfWeek\",\"Date\",\"Open\",\"Promo\",\"StateHoliday\",\"SchoolHoliday\"]", d.get("columns").toString());
            Http.Res r = http.postJson("/api/models/ross/predict", TRAIN_ROWS);
            assertEquals(200, r.status(), r.text());
            JsonNode p = r.json().get("predictions");
            assertEquals(4, p.size());
            for (int i = 0; i < 4; i++) {
                assertEquals(cli[i], p.get(i).get("prediction").asDouble(), 0.005 + 1e-9, "row " + i + ": " + r.text());
            }
            // test.csv's layout as a CSV body: the same
            Http.Res c = http.post("/api/models/ross/predict", "text/csv", TEST_CSV.getBytes(StandardCharsets.UTF_8));
            assertEquals(200, c.status(), c.text());
            assertEquals(p, c.json().get("predictions"));
            // a store the table lacks, a bad date: 422 in one line naming the field
            Http.Res bad = http.postJson("/api/models/ross/predict", TRAIN_ROWS.replace("\"Store\": 3", "\"Store\": 99"));
            assertEquals(422, bad.status(), bad.text());
            assertTrue(bad.json().get("error").asText().contains("store 99 is not in the model's store table"), bad.text());
            assertEquals(422, http.postJson("/api/models/ross/predict", TRAIN_ROWS.replace("2015-08-05", "yesterday")).status());
            // the old model: 422, one line saying why
            String oldId = http.get("/api/models").json().get("models").findValuesAsText("id").stream().filter(x -> !x.equals("ross"))
                    .findFirst().orElseThrow();
            Http.Res o = http.postJson("/api/models/" + oldId + "/predict", TRAIN_ROWS);
            assertEquals(422, o.status(), o.text());
            assertTrue(o.json().get("error").asText().contains("saved before"), o.text());
        }
    }
}
