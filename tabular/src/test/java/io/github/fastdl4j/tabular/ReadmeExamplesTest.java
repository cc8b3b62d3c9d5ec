package io.github.fastdl4j.tabular;

import io.github.fastdl4j.common.data.CsvTable;
import io.github.fastdl4j.tabular.data.Dates;
import io.github.fastdl4j.tabular.data.TabularCsv;
import io.github.fastdl4j.tabular.testing.CensusTable;
import org.datavec.api.transform.TransformProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** README's tabular library example, as written. */
class ReadmeExamplesTest {

    @Test
    void tabularOnAnyCsvTable(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("adult.csv");
        CensusTable.write(csv, 1500, 3);

        // --- README example starts
        TabularCsv.Table table = TabularCsv.read(csv, CsvTable.Format.csv(), List.of(), Dates.of(null)); // through DataVec
        TabularLearner learn = TabularLearner.of(table.frame())
                .cat("workclass", "education", "marital-status", "occupation", "relationship", "race", "sex")
                .cont("age", "hours-per-week").y("salary").build();    // a text target: a classifier
        learn.fitOneCycle(3, 1e-2, 0.01);
        Map<String, Object> report = learn.validationReport();      // accuracy beside the majority class's
        double[][] p = learn.predictor().predictProbabilities(table.frame().rows(learn.validRows()));
        TransformProcess tp = learn.predictor().transformProcess();  // the same preprocessing for a DataVec pipeline
        // --- README example ends

        assertTrue(report.containsKey("accuracy"));
        assertEquals(learn.validRows().length, p.length);
        assertNotNull(tp);
    }
}
