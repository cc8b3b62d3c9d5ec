package io.github.fastdl4j.tabular;

import io.github.fastdl4j.tabular.data.TabularFrame;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** fastai's show_results: a missing category is #na#, a missing number NaN; every column asked for is shown. */
class TabularShowResultsTest {

    @Test
    void missingValuesShowAsFastaiShowsThem() {
        TabularFrame f = TabularResumeTest.frame();
        String[] shop = new String[f.rows()];
        double[] x = f.numbers("x").clone();
        for (int i = 0; i < shop.length; i++) {
            shop[i] = i % 2 == 0 ? null : f.column("shop").key(i);
            if (i % 3 == 0) {
                x[i] = Double.NaN;
            }
        }
        f.put("shop", shop);
        f.put("x", x);
        TabularLearner learn = TabularLearner.of(f).cat("shop").cont("x").y("y").layers(4).seed(1).build();
        List<Map<String, String>> rows = learn.showResults(f, List.of("shop", "x"), 40, 1);
        assertEquals(40, rows.size());
        assertTrue(rows.stream().allMatch(r -> r.keySet().equals(Set.of("shop", "x", "y", "y_pred"))), rows.toString());
        assertTrue(rows.stream().anyMatch(r -> r.get("shop").equals("#na#")), rows.toString());
        assertTrue(rows.stream().anyMatch(r -> r.get("x").equals("NaN")), rows.toString());
        assertFalse(rows.stream().anyMatch(r -> r.containsValue(null)), "no value prints as null: " + rows);
    }
}
