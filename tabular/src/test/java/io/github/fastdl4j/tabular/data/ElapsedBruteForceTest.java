package io.github.fastdl4j.tabular.data;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * {@link Elapsed}'s sweep (pointers moving with the day, a primitive sort of the rows) against its
 * definition computed row by row over every row of the group: rows in any order, gaps, repeated
 * days, groups without events, and a missing date.
 */
class ElapsedBruteForceTest {

    @Test
    void theSweepGivesTheDefinitionsValues() {
        Random r = new Random(8);
        for (int t = 0; t < 40; t++) {
            int n = 1 + r.nextInt(400);
            double[] g = new double[n], d = new double[n];
            boolean[] event = new boolean[n];
            for (int i = 0; i < n; i++) {
                g[i] = 1 + r.nextInt(1 + t % 7);
                d[i] = t % 10 == 9 && r.nextInt(50) == 0 ? Double.NaN : 16000 + r.nextInt(60);
                event[i] = r.nextInt(1 + t % 5) == 0 && g[i] != 3;
            }
            TabularFrame f = new TabularFrame(n).put("g", g).put("d", d);
            Elapsed.add(f, "g", "d", "E", i -> event[i]);
            double[] after = new double[n], before = new double[n], bw = new double[n], fw = new double[n];
            boolean missingDate = false;
            for (double x : d) {
                missingDate |= Double.isNaN(x);
            }
            for (int i = 0; i < n; i++) {
                long day = (long) d[i];
                after[i] = Double.NaN;
                before[i] = Double.NaN;
                TreeSet<Long> days = new TreeSet<>();
                for (int j = 0; j < n; j++) {
                    if (g[j] == g[i] && event[j]) {
                        days.add((long) d[j]);
                    }
                }
                Long le = days.floor(day), ge = days.ceiling(day);
                after[i] = le == null ? Double.NaN : day - le;
                before[i] = ge == null ? Double.NaN : ge - day;
                bw[i] = days.subSet(day - 6, true, day, true).size();
                fw[i] = days.subSet(day, true, day + 6, true).size();
            }
            if (missingDate) {
                continue; // a missing date reads as day 0, a case the definition has no answer for: it must only not fail
            }
            assertArrayEquals(after, f.numbers("AfterE"), "table " + t);
            assertArrayEquals(before, f.numbers("BeforeE"), "table " + t);
            assertArrayEquals(bw, f.numbers("E_bw"), "table " + t);
            assertArrayEquals(fw, f.numbers("E_fw"), "table " + t);
        }
    }
}
