package io.github.fastdl4j.tabular.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fastdl4j.common.testing.CliRun;
import io.github.fastdl4j.common.train.ModelArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model of the lesson's data records the store table it joined (stores.json), so predict needs no
 * store files; a crafted table (dates out of range, an unknown store type, a store twice, none) is
 * refused on load in one line.
 */
class StoreTableModelTest {

    @TempDir
    Path tmp;

    /** The zip with stores.json changed by {@code edit}. */
    private static void editStores(Path from, Path to, Consumer<ObjectNode> edit) throws Exception {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(from));
             OutputStream os = Files.newOutputStream(to); ZipOutputStream out = new ZipOutputStream(os)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] b = in.readAllBytes();
                if (e.getName().equals("stores.json")) {
                    ObjectNode t = (ObjectNode) ModelArchive.JSON.readTree(b);
                    edit.accept(t);
                    b = ModelArchive.JSON.writeValueAsBytes(t);
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(b);
                out.closeEntry();
            }
        }
    }

    @Test
    void predictUsesTheRecordedStoreTableAndRefusesACraftedOne() throws Exception {
        Path sim = tmp.resolve("sim");
        assertEquals(0, CliRun.run(new TabularMain(), "tabular", "generate", "--out", sim.toString(), "--stores", "3",
                "--from", "2015-05-01", "--to", "2015-07-31").code());
        Path run = tmp.resolve("run");
        CliRun t = CliRun.run(new TabularMain(), "tabular", "train", "--data-dir", sim.toString(), "--epochs", "1", "--layers", "8",
                "--bs", "256", "--out", run.toString());
        assertEquals(0, t.code(), t.err());
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Path test = Files.writeString(elsewhere.resolve("test.csv"), "Id,Store,DayOfWeek,Date,Open,Promo,StateHoliday,SchoolHoliday\n"
                + "1,1,1,2015-08-03,1,1,0,1\n2,3,1,2015-08-03,1,0,0,0\n");
        Path model = run.resolve("model.zip");
        CliRun p = CliRun.run(new TabularMain(), "tabular", "predict", "--model-file", model.toString(), "--csv", test.toString(),
                "--out", tmp.resolve("s.csv").toString());
        assertEquals(0, p.code(), "no store files beside the rows: " + p.err());
        List<Consumer<ObjectNode>> crafted = List.of(
                s -> ((ObjectNode) s.get("stores").get(0)).set("numbers", ModelArchive.JSON.valueToTree(List.of(10, 1, 2000, 1, 5, 1e300))),
                s -> ((ObjectNode) s.get("stores").get(0)).put("type", "z"),
                s -> ((ObjectNode) s.get("stores").get(1)).put("store", s.get("stores").get(0).get("store").asInt()),
                s -> ((ArrayNode) s.get("stores")).removeAll(),
                s -> ((ObjectNode) s.get("stores").get(0)).set("numbers", ModelArchive.JSON.valueToTree(List.of(10, 13, 2000, 1, 5, 2010))),
                s -> ((ObjectNode) s.get("stores").get(0)).remove("numbers"));
        int i = 0;
        for (Consumer<ObjectNode> c : crafted) {
            Path bad = tmp.resolve("bad" + i++ + ".zip");
            editStores(model, bad, c);
            CliRun r = CliRun.run(new TabularMain(), "tabular", "predict", "--model-file", bad.toString(), "--csv", test.toString(),
                    "--out", tmp.resolve("s" + i + ".csv").toString());
            assertEquals(1, r.code(), "crafted table " + i + ": " + r.out() + r.err());
            List<String> err = r.err().strip().lines().filter(l -> !l.startsWith("backend: ")).toList();
            assertEquals(1, err.size(), r.err());
            assertTrue(err.get(0).startsWith("error: ") && err.get(0).contains("stores.json"), r.err());
        }
    }
}
