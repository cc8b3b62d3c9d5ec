package io.github.fastdl4j.collab.cli;

import io.github.fastdl4j.collab.interpret.Ranked;

import java.util.List;
import java.util.Locale;

/** Prints a titled list of ranked movies or users, as interpret, similar and recommend show them. */
final class RankedLists {

    private RankedLists() {
    }

    static void print(String title, List<Ranked> rows) {
        System.out.println();
        System.out.println(title + ":");
        for (Ranked r : rows) {
            System.out.printf(Locale.ROOT, "  %8.4f  %s%n", r.value(), r.name());
        }
    }
}
