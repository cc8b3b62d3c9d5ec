package io.github.fastdl4j.tabular.interpret;

import java.io.PrintStream;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * fastai's {@code show_results} printed: the rows {@code TabularLearner.showResults} picks, as a
 * table of a few input columns, the actual and the predicted target. Here rather than in the CLI
 * because it is a report of the model, like the others in this package.
 */
public final class ResultsTable {

    /** Input columns a user's table shows at most. */
    public static final int SHOWN_COLUMNS = 20;

    /** The lesson's columns, in the order printed. */
    public static final List<String> LESSON_COLUMNS = List.of("Store", "Date", "DayOfWeek", "Promo", "StateHoliday",
            "SchoolHoliday");

    private ResultsTable() {
    }

    /**
     * A user's table: {@code rows} (from show_results) with their columns as headers, each cut to
     * 18 characters; {@code inputs} is how many input columns the table has, of which the rows hold
     * {@code shown}.
     */
    public static void printTable(PrintStream out, List<Map<String, String>> rows, int shown, int inputs) {
        if (rows.isEmpty()) {
            return;
        }
        out.println();
        out.println("show_results (validation rows" + (inputs > shown ? String.format(Locale.ROOT,
                "; the first %d of %,d input columns", shown, inputs) : "") + "):");
        List<String> header = List.copyOf(rows.get(0).keySet());
        int[] width = header.stream().mapToInt(h -> Math.min(18, Math.max(h.length(),
                rows.stream().mapToInt(r -> String.valueOf(r.get(h)).length()).max().orElse(1)))).toArray();
        StringBuilder line = new StringBuilder("  ");
        for (int j = 0; j < header.size(); j++) {
            line.append(String.format(Locale.ROOT, "%-" + width[j] + "s ", clip(header.get(j), width[j])));
        }
        out.println(line.toString().stripTrailing());
        for (Map<String, String> r : rows) {
            line = new StringBuilder("  ");
            for (int j = 0; j < header.size(); j++) {
                line.append(String.format(Locale.ROOT, "%-" + width[j] + "s ", clip(String.valueOf(r.get(header.get(j))), width[j])));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** The lesson's data: {@link #LESSON_COLUMNS} with the actual and predicted sales, dates as dates. */
    public static void printLesson(PrintStream out, List<Map<String, String>> rows) {
        out.println();
        out.println("show_results (validation rows):");
        out.printf(Locale.ROOT, "  %-6s %-10s %-9s %-5s %-12s %-13s %8s %10s%n", "Store", "Date", "DayOfWeek", "Promo",
                "StateHoliday", "SchoolHoliday", "Sales", "predicted");
        for (Map<String, String> r : rows) {
            String date = r.get("Date").matches("-?\\d+") ? LocalDate.ofEpochDay(Long.parseLong(r.get("Date"))).toString()
                    : r.get("Date");
            out.printf(Locale.ROOT, "  %-6s %-10s %-9s %-5s %-12s %-13s %8s %10s%n", r.get("Store"), date, r.get("DayOfWeek"),
                    r.get("Promo"), r.get("StateHoliday"), r.get("SchoolHoliday"), r.get("Sales"), r.get("Sales_pred"));
        }
    }

    private static String clip(String s, int width) {
        String flat = s.replaceAll("\\p{Cntrl}", " ");
        return flat.length() <= width ? flat : flat.substring(0, width - 1) + "~";
    }
}
