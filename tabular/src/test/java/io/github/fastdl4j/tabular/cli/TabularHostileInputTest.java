package io.github.fastdl4j.tabular.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fastdl4j.common.testing.CliRun;
import io.github.fastdl4j.common.train.ModelArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the second hostile round found: numbers a double cannot hold, and numbers far outside the
 * training rows (missing values when training, never a reason to switch to a classifier; one line
 * naming the row and field when predicting, never a NaN answer), trailing separators, a model file
 * lacking a field.
 */
class TabularHostileInputTest {

    @TempDir
    static Path dir;
    static Path regression;
    static Path classifier;

    /** age (continuous), city (categorical), y = 1.5 age + noise, and the class of y. */
    static String table(int rows, String trailing) {
        Random r = new Random(3);
        StringBuilder b = new StringBuilder("age,city,y,big" + trailing + "\n");
        for (int i = 0; i < rows; i++) {
            int age = 18 + r.nextInt(60);
            double y = 1.5 * age + 3 * r.nextDouble();
            b.append(age).append(',').append("abcde".charAt(r.nextInt(5))).append(',')
                    .append(String.format(Locale.ROOT, "%.3f", y)).append(',').append(y > 75 ? "yes" : "no")
                    .append(trailing).append('\n');
        }
        return b.toString();
    }

    static CliRun train(Path csv, String y, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--csv", csv.toString(), "--y", y, "--epochs", "1",
                "--layers", "8", "--out", out.toString()));
        args.addAll(List.of(more));
        return CliRun.run(new TabularMain(), "tabular", args.toArray(String[]::new));
    }

    @BeforeAll
    static void trainTwoModels() throws IOException {
        Path csv = Files.writeString(dir.resolve("t.csv"), table(300, ""));
        regression = dir.resolve("reg");
        CliRun r = train(csv, "y", regression, "--cat", "city", "--cont", "age");
        assertEquals(0, r.code(), r.out() + r.err());
        classifier = dir.resolve("cls");
        CliRun c = train(csv, "big", classifier, "--cat", "city", "--cont", "age");
        assertEquals(0, c.code(), c.out() + c.err());
    }

    @Test
    void anInfiniteTargetIsAMissingValueNotAReasonToClassify() throws IOException {
        for (String bad : new String[]{"Infinity", "-inf", "1e999", "NaN"}) {
            List<String> lines = new ArrayList<>(table(300, "").lines().toList());
            lines.set(5, lines.get(5).replaceFirst(",[0-9.]+,(yes|no)$", "," + bad + ",$1"));
            Path csv = Files.writeString(dir.resolve("bad-y.csv"), String.join("\n", lines) + "\n");
            CliRun r = train(csv, "y", dir.resolve("run-" + bad.replace('.', '_')));
            assertEquals(0, r.code(), r.out() + r.err());
            assertTrue(r.out().contains("target y: regression"), bad + ": " + r.out());
            assertTrue(r.out().contains("(1 rows without a usable target left out)"), r.out());
            assertTrue(r.out().contains("missing values: y 1" + (bad.equals("NaN") ? "\n"
                    : " (1 not a finite number: '" + bad + "' at line 6)")), r.out());
            CliRun d = CliRun.run(new TabularMain(), "tabular", "describe", "--csv", csv.toString(), "--out",
                    dir.resolve("describe-" + bad.replace('.', '_')).toString());
            assertEquals(0, d.code(), d.err());
            String yLine = d.out().lines().filter(l -> l.startsWith("y ")).findFirst().orElseThrow();
            assertTrue(yLine.matches("y\\s+double\\s+1\\s+.*"), "numbers with one missing: " + yLine);
            assertEquals(!bad.equals("NaN"), d.out().contains("not finite numbers, counted as missing: y 1 ('" + bad + "' at line 6)"),
                    d.out());
        }
    }

    @Test
    void aTrainingValueTooLargeToNormaliseIsOneLine() throws IOException {
        List<String> lines = new ArrayList<>(table(300, "").lines().toList());
        lines.set(9, "1e308" + lines.get(9).substring(lines.get(9).indexOf(',')));
        Path csv = Files.writeString(dir.resolve("huge-age.csv"), String.join("\n", lines) + "\n");
        CliRun r = train(csv, "y", dir.resolve("run-huge"), "--cont", "age", "--cat", "city");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("huge-age.csv: continuous column age holds 1.0E308, too large to normalise"), r.err());
        assertFalse(Files.exists(dir.resolve("run-huge")), "no model that cannot be loaded");
    }

    @Test
    void predictRefusesARowFarOutsideTheTrainingRowsNamingItsLineAndField() throws IOException {
        for (Path model : new Path[]{regression, classifier}) {
            Path in = Files.writeString(dir.resolve("new.csv"), "age,city\n30,a\n1e308,b\n40,c\n");
            CliRun r = CliRun.run(new TabularMain(), "tabular", "predict", "--model-file", model.resolve("model.zip").toString(),
                    "--csv", in.toString(), "--out", dir.resolve("pred.csv").toString());
            assertEquals(1, r.code(), r.out() + r.err());
            List<String> err = r.err().strip().lines().filter(l -> !l.startsWith("backend: ")).toList();
            assertEquals(1, err.size(), r.err());
            assertTrue(err.get(0).contains("new.csv:3: field 'age': 1.0E308 is too far from the training rows"), r.err());
            assertFalse(Files.exists(dir.resolve("pred.csv")), "no NaN answers written");
        }
    }

    @Test
    void predictRefusesAnInfinityAtItsOwnLine() throws IOException {
        for (String bad : new String[]{"Infinity", "-Infinity", "1e400"}) {
            Path in = Files.writeString(dir.resolve("new.csv"), "age,city\n30,a\n41,b\n" + bad + ",c\n");
            CliRun r = CliRun.run(new TabularMain(), "tabular", "predict", "--model-file",
                    classifier.resolve("model.zip").toString(), "--csv", in.toString(), "--out", dir.resolve("pred.csv").toString());
            assertEquals(1, r.code(), r.out() + r.err());
            assertTrue(r.err().contains("new.csv:4: field 'age': '" + bad + "' is not a finite number"), r.err());
        }
        // finite rows still predict, as before
        Path in = Files.writeString(dir.resolve("ok.csv"), "age,city\n30,a\n\n");
        CliRun ok = CliRun.run(new TabularMain(), "tabular", "predict", "--model-file", regression.resolve("model.zip").toString(),
                "--csv", in.toString(), "--out", dir.resolve("ok-pred.csv").toString());
        assertEquals(0, ok.code(), ok.err());
    }

    @Test
    void trailingSeparatorsTrainAsPandasReadsThem() throws IOException {
        Path csv = Files.writeString(dir.resolve("trailing.csv"), table(200, ",,,"));
        CliRun r = train(csv, "y", dir.resolve("run-trailing"));
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("trailing.csv: dropped 3 unnamed columns without a value in any row (5, 6, 7)"), r.out());
        assertTrue(r.out().contains("200 rows, 4 columns"), r.out());
        CliRun d = CliRun.run(new TabularMain(), "tabular", "describe", "--csv", csv.toString(), "--out",
                dir.resolve("describe").toString());
        assertEquals(0, d.code(), d.err());
        assertTrue(d.out().contains("200 rows, 4 columns"), d.out());
    }

    @Test
    void predictOptionsThatDoNotApplyToTheModelAreUsageErrors() throws IOException {
        Path in = Files.writeString(dir.resolve("rows.csv"), "age,city\n30,a\n");
        CliRun r = CliRun.run(new TabularMain(), "tabular", "predict", "--model-file", regression.resolve("model.zip").toString(),
                "--csv", in.toString(), "--store-dir", dir.toString(), "--out", dir.resolve("p.csv").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--store-dir does not apply to"), r.err());
        assertFalse(Files.exists(dir.resolve("p.csv")));
    }

    @Test
    void aModelFileLackingARequiredFieldIsOneLineNamingIt() throws IOException {
        Path in = Files.writeString(dir.resolve("rows.csv"), "age,city\n30,a\n");
        for (String entry : new String[]{"spec", "pipeline"}) {
            for (String field : entry.equals("spec") ? new String[]{"catNames", "cardinalities", "layers", "ps", "yLow"}
                    : new String[]{"catNames", "contNames", "normalize"}) {
                Path bad = dir.resolve("no-" + field + ".zip");
                withoutField(regression.resolve("model.zip"), bad, entry + ".json", field);
                CliRun r = CliRun.run(new TabularMain(), "tabular", "predict", "--model-file", bad.toString(), "--csv", in.toString(),
                        "--out", dir.resolve("p.csv").toString());
                assertEquals(1, r.code(), r.err());
                List<String> err = r.err().strip().lines().filter(l -> !l.startsWith("backend: ")).toList();
                assertEquals(List.of("error: " + bad + ": entry " + entry + ".json lacks field '" + field + "'"), err);
            }
        }
    }

    /** A copy of a model zip whose JSON entry lacks one field. */
    static void withoutField(Path zip, Path out, String entry, String field) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile());
             ZipOutputStream o = new ZipOutputStream(Files.newOutputStream(out))) {
            for (ZipEntry e : Collections.list(z.entries())) {
                byte[] b = z.getInputStream(e).readAllBytes();
                if (e.getName().equals(entry)) {
                    ObjectNode n = (ObjectNode)
                            ModelArchive.JSON.readTree(b);
                    n.remove(field);
                    b = n.toString().getBytes(StandardCharsets.UTF_8);
                }
                o.putNextEntry(new ZipEntry(e.getName()));
                o.write(b);
                o.closeEntry();
            }
        }
    }
}
