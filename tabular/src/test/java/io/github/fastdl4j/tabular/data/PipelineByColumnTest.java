package io.github.fastdl4j.tabular.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link TabularPipeline#fitRows} and {@link TabularPipeline#transform(TabularFrame, int[])}, which
 * never copy the rows of every column at once, against {@link TabularPipeline#fit} and
 * {@link TabularPipeline#transform(TabularFrame)} on the copied rows: the same pipeline and data.
 */
class PipelineByColumnTest {

    /** A frame with missing numbers, text, a date, a column that is both a category and continuous. */
    private static TabularFrame frame(int n, long seed) {
        Random r = new Random(seed);
        double[] dist = new double[n], age = new double[n], day = new double[n], y = new double[n];
        String[] shop = new String[n], label = new String[n];
        for (int i = 0; i < n; i++) {
            dist[i] = r.nextInt(8) == 0 ? Double.NaN : r.nextInt(5000);
            age[i] = r.nextInt(20) == 0 ? Double.NaN : r.nextInt(90);
            day[i] = r.nextInt(30) == 0 ? Double.NaN : 16000 + r.nextInt(900);
            y[i] = 1 + r.nextDouble() * 100;
            shop[i] = r.nextInt(15) == 0 ? null : "s" + r.nextInt(40);
            label[i] = r.nextBoolean() ? "yes" : "no";
        }
        return new TabularFrame(n).put("dist", dist).put("age", age).put("Date", day).put("y", y).put("shop", shop)
                .put("label", label).put("unused", new double[n]);
    }

    private static void assertSame(TabularPipeline a, TabularPipeline b, TabularFrame f, int[] rows) {
        assertEquals(a.allCats(), b.allCats());
        assertEquals(a.fillMissing().naColumns(), b.fillMissing().naColumns());
        assertEquals(a.fillMissing().medians(), b.fillMissing().medians());
        for (String c : a.allCats()) {
            assertEquals(a.categorify().vocab(c), b.categorify().vocab(c), c);
        }
        assertEquals(a.normalize().stats().keySet(), b.normalize().stats().keySet());
        a.normalize().stats().forEach((c, s) -> assertArrayEquals(s, b.normalize().stats().get(c), c));
        assertEquals(a.sourceColumns(), b.sourceColumns());
        TabularData x = a.transform(f.rows(rows)), z = b.transform(f, rows);
        assertArrayEquals(x.cats(), z.cats());
        assertArrayEquals(x.conts(), z.conts());
        assertArrayEquals(x.y(), z.y());
    }

    @Test
    void fittingAColumnAtATimeGivesTheSamePipelineAndData() {
        TabularFrame f = frame(3000, 1);
        int[] train = IntStream.range(0, 3000).filter(i -> i % 5 != 0).toArray();
        List<String> parts = DatePart.names("Date");
        List<String> cats = new ArrayList<>(List.of("shop", "age", parts.get(0), parts.get(1)));
        List<String> conts = new ArrayList<>(List.of("dist", "age", parts.get(12)));
        for (boolean log : new boolean[]{false, true}) {
            TabularPipeline copied = TabularPipeline.fit(f.rows(train), cats, conts, "y", log, List.of(), List.of("Date"), null, "csv");
            TabularPipeline byColumn = TabularPipeline.fitRows(f, train, cats, conts, "y", log, List.of(), List.of("Date"), null, "csv");
            assertSame(copied, byColumn, f, train);
        }
        // a classifier, no date parts, an indicator named as a category too
        List<String> classes = List.of("no", "yes");
        TabularPipeline copied = TabularPipeline.fit(f.rows(train), List.of("shop", "dist_na"), List.of("dist"), "label", false,
                classes, List.of(), null, "csv");
        TabularPipeline byColumn = TabularPipeline.fitRows(f, train, List.of("shop", "dist_na"), List.of("dist"), "label", false,
                classes, List.of(), null, "csv");
        assertSame(copied, byColumn, f, train);
    }

    @Test
    void blocksOfRowsAreProcessedAsTheWholeIs() {
        TabularFrame f = frame(150_000, 2);
        int[] rows = IntStream.range(0, 150_000).map(i -> 149_999 - i).filter(i -> i % 7 != 3).toArray();
        TabularPipeline p = TabularPipeline.fitRows(f, rows, List.of("shop"), List.of("dist", "age"), "y", true, List.of(),
                List.of(), null, "csv");
        assertSame(TabularPipeline.fit(f.rows(rows), List.of("shop"), List.of("dist", "age"), "y", true, List.of(), List.of(),
                null, "csv"), p, f, rows);
        assertEquals(rows.length, p.transform(f, rows).rows());
        assertArrayEquals(Arrays.copyOf(p.transform(f.rows(rows)).conts(), 10), Arrays.copyOf(p.transform(f, rows).conts(), 10));
    }

    @Test
    void aColumnTheFrameLacksIsNamedAsBefore() {
        TabularFrame f = frame(50, 3);
        int[] rows = IntStream.range(0, 40).toArray();
        String copied = assertThrows(IllegalArgumentException.class, () -> TabularPipeline.fit(f.rows(rows), List.of("nope"),
                List.of("dist"), "y", false, List.of(), List.of(), null, "csv")).getMessage();
        String byColumn = assertThrows(IllegalArgumentException.class, () -> TabularPipeline.fitRows(f, rows, List.of("nope"),
                List.of("dist"), "y", false, List.of(), List.of(), null, "csv")).getMessage();
        assertEquals(copied, byColumn);
        String text = assertThrows(IllegalArgumentException.class, () -> TabularPipeline.fitRows(f, rows, List.of(),
                List.of("shop"), "y", false, List.of(), List.of(), null, "csv")).getMessage();
        assertEquals(assertThrows(IllegalArgumentException.class, () -> TabularPipeline.fit(f.rows(rows), List.of(),
                List.of("shop"), "y", false, List.of(), List.of(), null, "csv")).getMessage(), text);
    }
}
