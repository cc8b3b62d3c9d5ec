package io.github.fastdl4j.tabular;

import io.github.fastdl4j.common.data.CsvTable;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.train.ModelArchive;
import io.github.fastdl4j.common.train.Provenance;
import io.github.fastdl4j.tabular.data.Dates;
import io.github.fastdl4j.tabular.data.TabularCsv;
import io.github.fastdl4j.tabular.data.TabularData;
import io.github.fastdl4j.tabular.data.TabularFrame;
import io.github.fastdl4j.tabular.model.TabularPredictor;
import io.github.fastdl4j.tabular.testing.CensusTable;
import org.datavec.api.records.reader.impl.csv.CSVRecordReader;
import org.datavec.api.split.FileSplit;
import org.datavec.api.transform.TransformProcess;
import org.datavec.api.writable.Writable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generic path: any table through DataVec, a classifier and a regression that learn, the DataVec export. */
class TabularTableTest {

    @TempDir
    static Path dir;
    static Path census;
    static double richShare;

    @BeforeAll
    static void write() throws IOException {
        census = dir.resolve("adult.csv");
        richShare = CensusTable.write(census, 4000, 1);
    }

    static TabularCsv.Table read(Path file) {
        return TabularCsv.read(file, CsvTable.Format.csv(), List.of(), Dates.of(null));
    }

    static final List<String> CATS = List.of("workclass", "education", "marital-status", "occupation", "relationship", "race", "sex");
    static final List<String> CONTS = List.of("age", "education-num", "hours-per-week");

    @Test
    void censusClassifierClearlyBeatsTheMajorityClassAndReloadsExactly() throws IOException {
        assertTrue(richShare > 0.15 && richShare < 0.35, "about a quarter earn >=50k: " + richShare);
        TabularCsv.Table t = read(census);
        TabularLearner learn = TabularLearner.of(t.frame()).cat(CATS).cont(CONTS).y("salary").seed(3).build();
        assertTrue(learn.classifier(), "a text target classifies");
        assertEquals(List.of("<50k", ">=50k"), learn.predictor().classes());
        assertEquals(64, learn.batchSize(), "3,200 training rows: fastai's 64");
        learn.learner().quiet(true);
        learn.fitOneCycle(4, 1e-2, 0.01);
        Map<String, Object> r = learn.validationReport();
        double acc = (double) r.get("accuracy"), majority = (double) r.get("majority_class_accuracy");
        // seed-fixed run: accuracy ~0.84 against ~0.75 for always answering <50k
        assertTrue(acc > majority + 0.05, "accuracy " + acc + " vs majority class " + majority);
        assertEquals("<50k", r.get("majority_class"));

        TabularFrame valid = t.frame().rows(learn.validRows());
        double[][] p = learn.predictor().predictProbabilities(valid);
        for (double[] row : p) {
            assertEquals(1, row[0] + row[1], 1e-5, "probabilities sum to one");
        }
        Path file = dir.resolve("census.zip");
        learn.predictor().save(file, Provenance.of("tabular", "tabular", Map.of(), 3, "x", "test"));
        TabularPredictor back = TabularPredictor.load(file);
        assertArrayEquals(p, back.predictProbabilities(valid), "identical probabilities after reloading");
        assertTrue(ModelArchive.open(file).has(TabularPredictor.TRANSFORM_PROCESS), "the DataVec export is saved");
    }

    @Test
    void theDataVecTransformProcessGivesTheModelsInputsFromRawRecords() throws Exception {
        TabularCsv.Table t = read(census);
        TabularLearner learn = TabularLearner.of(t.frame()).cat(CATS).cont(CONTS).y("salary").seed(3).build();
        TransformProcess tp = TransformProcess.fromJson(learn.predictor().transformProcess().toJson()); // survives JSON
        TabularData expected = learn.predictor().pipeline().transform(t.frame());
        try (CSVRecordReader rr = new CSVRecordReader(1, ',')) {
            rr.initialize(new FileSplit(census.toFile()));
            int row = 0;
            while (rr.hasNext()) {
                List<Writable> out = tp.execute(rr.next());
                int nc = expected.nCat(), nk = expected.nCont();
                assertEquals(nc + nk + 1, out.size());
                for (int j = 0; j < nc; j++) {
                    assertEquals(expected.cats()[row * nc + j], out.get(j).toInt(), "row " + row + " categorical " + j);
                }
                for (int j = 0; j < nk; j++) {
                    assertEquals(expected.conts()[row * nk + j], out.get(nc + j).toDouble(), 1e-5, "row " + row + " continuous " + j);
                }
                assertEquals(expected.y()[row], out.get(nc + nk).toInt(), "row " + row + " class");
                row++;
            }
            assertEquals(4000, row);
        }
        assertTrue(expected.nCat() == CATS.size() + 1, "age has missing values: an age_na indicator");
    }

    /** A regression table with dates, a missing-value column and a multiplicative target. */
    static Path houses(int rows, long seed) throws IOException {
        Random r = new Random(seed);
        String[] hoods = {"North", "South", "East", "West", "Centre", "Harbour"};
        double[] hoodEffect = {0.1, -0.2, 0.0, 0.3, 0.5, -0.1};
        StringBuilder b = new StringBuilder("sold;hood;rooms;area;garden;price\n");
        LocalDate start = LocalDate.of(2019, 1, 1);
        for (int i = 0; i < rows; i++) {
            LocalDate d = start.plusDays(r.nextInt(3 * 365));
            int h = r.nextInt(hoods.length);
            int rooms = 1 + r.nextInt(6);
            double area = 30 + rooms * 18 + r.nextGaussian() * 8;
            boolean garden = r.nextBoolean();
            double log = 11 + hoodEffect[h] + 0.006 * area + (garden ? 0.15 : 0) + 0.0002 * (d.toEpochDay() - start.toEpochDay())
                    + r.nextGaussian() * 0.05;
            b.append(d.toString().replace('-', '/')).append(';').append(hoods[h]).append(';').append(rooms).append(';')
                    .append(r.nextDouble() < 0.05 ? "NA" : String.format(Locale.ROOT, "%.1f", area)).append(';')
                    .append(garden ? "yes" : "no").append(';').append(Math.round(Math.exp(log))).append('\n');
        }
        Path file = dir.resolve("houses.csv");
        Files.writeString(file, b.toString());
        return file;
    }

    @Test
    void regressionWithDatePartsALogTargetAndASplitByDateBeatsTheMean() throws IOException {
        TabularCsv.Table t = TabularCsv.read(houses(3000, 2), CsvTable.Format.csv(), List.of("sold"), Dates.of(null));
        TabularCsv.ColumnKinds kinds = TabularCsv.contCatSplit(t, 20, List.of("price", "sold"));
        assertEquals(List.of("hood", "rooms", "garden"), kinds.cats());
        assertEquals(List.of("area"), kinds.conts());
        List<String> cats = new ArrayList<>(kinds.cats());
        cats.addAll(List.of("soldYear", "soldMonth"));
        List<String> conts = new ArrayList<>(kinds.conts());
        conts.add("soldElapsed");
        TabularLearner learn = TabularLearner.of(t.frame()).cat(cats).cont(conts).y("price").logY(true).dateParts(List.of("sold"))
                .validLast("sold", 90).seed(1).build();
        double[] sold = t.frame().numbers("sold");
        double last = Arrays.stream(sold).max().orElseThrow();
        assertTrue(Arrays.stream(learn.validRows()).allMatch(i -> sold[i] > last - 90), "validation = the last 90 days");
        learn.learner().quiet(true);
        learn.fitOneCycle(5, 1e-2, 0.01);
        Map<String, Object> r = learn.validationReport();
        double rmse = (double) r.get("rmse"), mean = (double) r.get("train_mean_rmse");
        assertTrue(rmse < 0.6 * mean, "rmse " + rmse + " vs predicting the training mean " + mean);
        assertNull(learn.predictor().transformProcess(), "date parts have no DataVec transform");
        double[] pred = learn.predictor().predict(t.frame().rows(learn.validRows()));
        assertTrue(Arrays.stream(pred).allMatch(v -> v > 10_000 && v < 1_000_000), "prices on their own scale");
    }

    @Test
    void aValidationColumnSplitsLikeFastaisColSplitter() throws IOException {
        Path f = dir.resolve("flags.csv");
        StringBuilder b = new StringBuilder("x,k,y,is_valid\n");
        for (int i = 0; i < 200; i++) {
            b.append(i % 7).append(',').append("k").append(i % 3).append(',').append(i % 7 * 2 + (i % 3)).append(',')
                    .append(i % 5 == 0 ? "True" : "False").append('\n');
        }
        Files.writeString(f, b.toString());
        TabularCsv.Table t = read(f);
        t.requireFlags("is_valid");
        TabularLearner learn = TabularLearner.of(t.frame()).cat("k").cont("x").y("y").validColumn("is_valid").build();
        assertEquals(40, learn.validRows().length);
        assertTrue(Arrays.stream(learn.validRows()).allMatch(i -> i % 5 == 0));
        assertTrue(!learn.classifier(), "a number target regresses");
        assertTrue(TabularLearner.of(t.frame()).cat("k").cont("x").y("y").classify().build().classifier());
    }

    @Test
    void tableProblemsNameTheFileLineAndColumn() throws IOException {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "when,what,value\n2020-01-01,a,1\n2020-02-30,b,2\n");
        BadInputException e = assertThrows(BadInputException.class, () -> TabularCsv.read(f, CsvTable.Format.csv(), List.of("when"),
                Dates.of(null)));
        assertTrue(e.getMessage().contains("bad.csv") && e.getMessage().contains("3") && e.getMessage().contains("when")
                && e.getMessage().contains("2020-02-30"), e.getMessage());
        Files.writeString(f, "when,what,value\n01/02/2020,a,1\n");
        e = assertThrows(BadInputException.class, () -> TabularCsv.read(f, CsvTable.Format.csv(), List.of("when"), Dates.of(null)));
        assertTrue(e.getMessage().contains("--date-format"), "day- or month-first needs a pattern: " + e.getMessage());
        assertEquals(LocalDate.of(2020, 2, 1).toEpochDay(), TabularCsv.read(f, CsvTable.Format.csv(), List.of("when"),
                Dates.of("dd/MM/yyyy")).frame().numbers("when")[0]);
        Files.writeString(f, "a,b,flag\n1,x,yes\n2,y,maybe\n");
        TabularCsv.Table t = read(f);
        e = assertThrows(BadInputException.class, () -> t.requireFlags("flag"));
        assertTrue(e.getMessage().contains("bad.csv:3: field 'flag'"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> t.requireNumbers("b", "a continuous column"));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> t.require(List.of("nope"), "named by an option"));
        assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("a, b, flag"), e.getMessage());
        Files.writeString(f, "a,b\n1,x\n2,x\n3,x\n");
        TabularFrame same = read(f).frame();
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> TabularLearner.of(same).cont("a").y("b").build());
        assertTrue(one.getMessage().contains("two classes"), one.getMessage());
    }
}
