package io.github.fastdl4j.tabular.data;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The twelve state codes of the Rossmann competition's {@code store_states.csv} (Bremen and
 * Lower Saxony share one, {@code HB,NI}), with each state's approximate geographic centre. The
 * simulator plants state effects that vary smoothly with these positions; the interpretation
 * compares the learned state embeddings with the distances between them.
 */
public final class GermanStates {

    /**
     * A state: code, name, centre (degrees), and how many of the competition's 1,115 stores are in
     * it (counted from the published store_states.csv; the simulator draws stores with these weights).
     */
    public record State(String code, String name, double lat, double lon, int stores) {
        /** East-west position, about -1 (west) .. +1 (east). */
        public double x() {
            return (lon - 10.5) / 2.5;
        }

        /** North-south position, about -1 (south) .. +1 (north). */
        public double y() {
            return (lat - 51.2) / 1.8;
        }
    }

    public static final List<State> ALL = List.of(
            new State("BE", "Berlin", 52.52, 13.40, 92),
            new State("BW", "Baden-Wuerttemberg", 48.54, 9.04, 73),
            new State("BY", "Bayern", 48.95, 11.40, 180),
            new State("HB,NI", "Bremen / Niedersachsen", 52.64, 9.60, 22),
            new State("HE", "Hessen", 50.61, 9.03, 112),
            new State("HH", "Hamburg", 53.55, 10.00, 28),
            new State("NW", "Nordrhein-Westfalen", 51.48, 7.55, 286),
            new State("RP", "Rheinland-Pfalz", 49.91, 7.45, 40),
            new State("SH", "Schleswig-Holstein", 54.22, 9.70, 115),
            new State("SN", "Sachsen", 51.05, 13.35, 75),
            new State("ST", "Sachsen-Anhalt", 51.95, 11.69, 56),
            new State("TH", "Thueringen", 50.90, 11.03, 36));

    private static final Map<String, State> BY_CODE = ALL.stream().collect(Collectors.toMap(State::code, Function.identity()));

    private GermanStates() {
    }

    /** The state with this code, or null. */
    public static State of(String code) {
        return code == null ? null : BY_CODE.get(code);
    }

    /** Great-circle distance between two states' centres in kilometres (haversine). */
    public static double distanceKm(State a, State b) {
        double r = 6371.0;
        double p1 = Math.toRadians(a.lat()), p2 = Math.toRadians(b.lat());
        double dp = p2 - p1, dl = Math.toRadians(b.lon() - a.lon());
        double h = Math.sin(dp / 2) * Math.sin(dp / 2) + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
        return 2 * r * Math.asin(Math.sqrt(h));
    }
}
