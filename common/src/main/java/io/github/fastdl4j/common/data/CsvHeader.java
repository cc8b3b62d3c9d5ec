package io.github.fastdl4j.common.data;

import org.datavec.api.records.reader.impl.csv.CSVRecordReader;
import org.datavec.api.split.InputStreamInputSplit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A table's header line as pandas' {@code read_csv} reads it: the names (pandas' {@code Unnamed: i}
 * for an empty one) and which were empty (0-based), and what happens to those unnamed columns
 * after the rows are read. {@link CsvTable} and {@link CsvBytes} read the rows under it.
 *
 * @param names   the column names
 * @param unnamed the 0-based positions the header left empty
 */
record CsvHeader(List<String> names, Set<Integer> unnamed) {

    /** The header line {@code first} of {@code file}, split at {@code sep}: names stripped, a BOM dropped, no name twice. */
    static CsvHeader split(Path file, String first, String sep) {
        CSVRecordReader one = new CSVRecordReader(0, sep.equals("::") ? ':' : sep.charAt(0), '"');
        List<String> names = new ArrayList<>();
        if (sep.equals("::")) {
            names.addAll(Arrays.asList(first.split("::", -1)));
        } else {
            try {
                one.initialize(new InputStreamInputSplit(new ByteArrayInputStream(first.getBytes(StandardCharsets.UTF_8))));
                one.next().forEach(w -> names.add(w.toString()));
            } catch (IOException | InterruptedException | RuntimeException e) {
                throw BadInputException.at(file, 1, "header", "unreadable: " + e.getMessage());
            }
        }
        Set<String> seen = new HashSet<>();
        Set<Integer> unnamed = new TreeSet<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i).strip();
            if (i == 0 && n.startsWith("\uFEFF")) {
                n = n.substring(1);
            }
            if (n.isEmpty()) {
                n = CsvTable.UNNAMED + i; // pandas' name for it; dropped after reading if it holds no value
                unnamed.add(i);
            }
            if (!seen.add(n)) {
                throw BadInputException.at(file, 1, "header", "column '" + n + "' appears twice");
            }
            names.set(i, n);
        }
        return new CsvHeader(names, unnamed);
    }

    /** Whether columns {@code from..to-1} are all unnamed (trailing separators of the header). */
    static boolean unnamedFrom(Set<Integer> unnamed, int from, int to) {
        for (int j = from; j < to; j++) {
            if (!unnamed.contains(j)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Columns the header leaves unnamed, as pandas' {@code read_csv} treats them: those without a
     * value in any row are dropped (trailing separators, {@code a,b,c,,,}), those with values keep
     * pandas' generated name; either is said in one note on stdout.
     */
    static List<CsvColumn> dropEmptyUnnamed(Path file, Set<Integer> unnamed, List<CsvColumn> cols) {
        if (unnamed.isEmpty()) {
            return cols;
        }
        List<CsvColumn> kept = new ArrayList<>();
        List<Integer> dropped = new ArrayList<>();
        List<String> named = new ArrayList<>();
        for (int j = 0; j < cols.size(); j++) {
            CsvColumn c = cols.get(j);
            if (unnamed.contains(j) && c.allMissing()) {
                dropped.add(j + 1);
                continue;
            }
            if (unnamed.contains(j)) {
                named.add(j + 1 + " '" + c.name + "'");
            }
            kept.add(c);
        }
        if (kept.isEmpty()) {
            throw BadInputException.at(file, 1, "header", "no column has a name or a value");
        }
        List<String> said = new ArrayList<>();
        if (!dropped.isEmpty()) {
            said.add("dropped " + dropped.size() + " unnamed column" + (dropped.size() == 1 ? "" : "s") + " without a value in any "
                    + "row (" + BadInputException.listed(dropped.stream().map(String::valueOf).toList(), 20) + ")");
        }
        if (!named.isEmpty()) {
            said.add("named " + named.size() + " unnamed column" + (named.size() == 1 ? "" : "s") + " that hold values as pandas does ("
                    + BadInputException.listed(named, 20) + ")");
        }
        System.out.println("note: " + file + ": " + String.join("; ", said));
        return kept;
    }
}
