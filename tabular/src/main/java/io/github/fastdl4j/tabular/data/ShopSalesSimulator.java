package io.github.fastdl4j.tabular.data;

import io.github.fastdl4j.common.io.AtomicFiles;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Simulated shop sales in exactly the Rossmann competition's layout ({@code train.csv},
 * {@code store.csv}, {@code store_states.csv}), plus {@code expected.csv}: each row's noise-free
 * expected sales, so the best possible score is known. The real competition files need a Kaggle
 * login; this is the default data of every tabular command, and the numbers it gives are about
 * simulated shops, not Rossmann's.
 *
 * <p>Planted effects, on log(sales) (so they multiply sales), each documented where it is added in
 * {@link #logExpected}: a per-store level; store type and assortment; day of week; promo (with a
 * stronger Monday); Promo2 (a small level drop for participants, a lift in their PromoInterval
 * months); the days before and after a closing holiday, the Christmas run-up, the week before
 * Easter; school holidays; yearly seasonality; paydays at the turn of the month; a yearly trend;
 * competition (a drop once a competitor opens, larger the closer it is); a reopening bump after
 * refurbishment; and state effects that vary smoothly with each state's position (level,
 * Saturdays, December). Sales are {@code expected * exp(sigma * z)}, z standard normal, rounded.
 * Shops close on Sundays (except store type b), on public holidays of their state, on 0.15% of
 * days at random, and about 16% of stores are closed for refurbishment from July to December
 * 2014; as in the competition, those days have no rows.
 */
public final class ShopSalesSimulator {

    /** What to simulate; {@link #defaults()} is the competition's span and store count. */
    public record Config(int stores, LocalDate from, LocalDate to, long seed, double noiseSigma) {
        public Config {
            if (stores < 1) {
                throw new IllegalArgumentException("stores must be >= 1, got " + stores);
            }
            if (to.isBefore(from)) {
                throw new IllegalArgumentException("--to " + to + " is before --from " + from);
            }
            if (!(noiseSigma >= 0)) {
                throw new IllegalArgumentException("noise sigma must be >= 0, got " + noiseSigma);
            }
        }

        public static Config defaults() {
            return new Config(1115, LocalDate.of(2013, 1, 1), LocalDate.of(2015, 7, 31), 1, NOISE_SIGMA);
        }

        public Config withStores(int n) {
            return new Config(n, from, to, seed, noiseSigma);
        }

        public Config withSeed(long s) {
            return new Config(stores, from, to, s, noiseSigma);
        }

        public Config withDates(LocalDate f, LocalDate t) {
            return new Config(stores, f, t, seed, noiseSigma);
        }
    }

    /** What was written. */
    public record Summary(Path dir, long rows, long openRows, double meanOpenSales) {
    }

    /** Log-normal noise of the default simulation (sales = expected x exp(0.12 z)). */
    public static final double NOISE_SIGMA = 0.12;
    /** Mean daily sales level of a type-a store (the competition's mean is about 6,955). */
    static final double BASE_SALES = 6000;
    private static final String[] TYPES = {"a", "b", "c", "d"};
    private static final double[] TYPE_WEIGHTS = {0.540, 0.015, 0.133, 0.312};
    private static final double[] TYPE_EFFECT = {0.0, 0.35, 0.02, 0.05};
    private static final double[] DOW_EFFECT = {0.15, 0.02, -0.03, -0.03, 0.04, -0.10, 0.05};
    private static final String[] INTERVALS = {"Jan,Apr,Jul,Oct", "Feb,May,Aug,Nov", "Mar,Jun,Sept,Dec"};
    private static final double[] INTERVAL_WEIGHTS = {0.58, 0.24, 0.18};
    private static final LocalDate REFURB_FROM = LocalDate.of(2014, 7, 1);
    private static final LocalDate REFURB_TO = LocalDate.of(2014, 12, 31);

    /** One simulated store's attributes. */
    record Store(int id, String type, String assortment, double distance, int compMonth, int compYear,
                 boolean promo2, int promo2Week, int promo2Year, String interval, GermanStates.State state,
                 double level, double basket, boolean refurbished) {
        long competitionOpenDay() {
            return compYear == 0 ? Long.MIN_VALUE : LocalDate.of(compYear, compMonth, 15).toEpochDay();
        }

        long promo2StartDay() {
            return promo2 ? LocalDate.ofYearDay(promo2Year, 1).plusWeeks(promo2Week - 1L).toEpochDay() : Long.MAX_VALUE;
        }

        boolean inPromo2Month(int month) {
            return promo2 && (month - 1) % 3 == Arrays.asList(INTERVALS).indexOf(interval);
        }
    }

    private final Config config;
    private final List<Store> stores;

    public ShopSalesSimulator(Config config) {
        this.config = config;
        this.stores = drawStores(config);
    }

    /** Simulates with this configuration and writes the four files into {@code dir}. */
    public static Summary write(Config config, Path dir) throws IOException {
        return new ShopSalesSimulator(config).writeTo(dir);
    }

    private static List<Store> drawStores(Config c) {
        Random r = new Random(c.seed());
        double[] stateWeights = GermanStates.ALL.stream().mapToDouble(GermanStates.State::stores).toArray();
        List<Store> out = new ArrayList<>();
        for (int id = 1; id <= c.stores(); id++) {
            int t = pick(r, TYPE_WEIGHTS);
            String type = TYPES[t];
            String assortment = t == 1 ? new String[]{"b", "a", "c"}[pick(r, new double[]{0.8, 0.1, 0.1})]
                    : r.nextDouble() < 0.53 ? "a" : "c";
            double distance = r.nextDouble() < 0.003 ? Double.NaN
                    : Math.min(76000, Math.max(20, Math.round(Math.exp(Math.log(2300) + 1.1 * r.nextGaussian()) / 10.0) * 10.0));
            int compMonth = 0, compYear = 0;
            if (!Double.isNaN(distance) && r.nextDouble() < 0.68) {
                compYear = (int) Math.max(1990, 2015 - Math.floor(Math.abs(5 * r.nextGaussian())));
                compMonth = 1 + r.nextInt(12);
            }
            boolean promo2 = r.nextDouble() < 0.51;
            int p2Week = promo2 ? 1 + r.nextInt(50) : 0;
            int p2Year = promo2 ? 2009 + r.nextInt(7) : 0;
            String interval = promo2 ? INTERVALS[pick(r, INTERVAL_WEIGHTS)] : null;
            GermanStates.State state = GermanStates.ALL.get(pick(r, stateWeights));
            double level = 0.28 * r.nextGaussian();
            double basket = 9.0 * Math.exp(0.15 * r.nextGaussian());
            boolean refurbished = r.nextDouble() < 180.0 / 1115;
            out.add(new Store(id, type, assortment, distance, compMonth, compYear, promo2, p2Week, p2Year, interval,
                    state, level, basket, refurbished));
        }
        return out;
    }

    private static int pick(Random r, double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double u = r.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            u -= weights[i];
            if (u < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    /** Promo runs Monday to Friday of every other week, for all stores (as in the competition). */
    static boolean promo(LocalDate d) {
        long mondayWeek = Math.floorDiv(d.toEpochDay() + 3, 7);
        return d.getDayOfWeek().getValue() <= 5 && mondayWeek % 2 == 0;
    }

    private static boolean closedHoliday(LocalDate d, Store s) {
        return HolidayCalendar.stateHoliday(d, s.state().code()) != '0';
    }

    /** log(expected sales) of an open store on a day: the planted effects. */
    double logExpected(Store s, LocalDate d, boolean promo, boolean school) {
        int dow = d.getDayOfWeek().getValue();
        int month = d.getMonthValue(), dom = d.getDayOfMonth();
        long day = d.toEpochDay();
        double mu = Math.log(BASE_SALES) + s.level();
        // store type (b: large stores, open on Sundays) and assortment (c extended, b extra)
        mu += TYPE_EFFECT[Arrays.asList(TYPES).indexOf(s.type())];
        mu += switch (s.assortment()) {
            case "b" -> 0.10;
            case "c" -> 0.08;
            default -> 0.0;
        };
        mu += DOW_EFFECT[dow - 1];
        if (promo) {
            mu += 0.25 + (dow == 1 ? 0.05 : 0.0);
        }
        if (s.promo2() && day >= s.promo2StartDay()) {
            mu += -0.04 + (s.inPromo2Month(month) ? 0.06 : 0.0);
        }
        // shoppers stock up before a closing holiday and catch up after it
        if (closedHoliday(d.plusDays(1), s)) {
            mu += 0.15;
        }
        if (closedHoliday(d.minusDays(1), s)) {
            mu += 0.10;
        }
        if (month == 12 && dom >= 15 && dom <= 24) {
            mu += 0.02 * (dom - 14);
        }
        long toGoodFriday = HolidayCalendar.easter(d.getYear()).toEpochDay() - 2 - day;
        if (toGoodFriday >= 1 && toGoodFriday <= 6) {
            mu += 0.05;
        }
        if (school) {
            mu += 0.03;
        }
        mu += 0.04 * Math.sin(2 * Math.PI * (d.getDayOfYear() - 80) / 365.25);
        if (dom <= 3 || dom >= 28) {
            mu += 0.04;
        }
        mu += 0.03 * (day - config.from().toEpochDay()) / 365.25;
        if (!Double.isNaN(s.distance()) && day >= s.competitionOpenDay()) {
            mu += -0.15 * Math.exp(-s.distance() / 3000);
        }
        if (s.refurbished()) {
            long sinceReopen = day - REFURB_TO.toEpochDay();
            if (sinceReopen > 0 && sinceReopen <= 60) {
                mu += 0.15 * (1 - sinceReopen / 60.0);
            }
        }
        // state effects, smooth in the state's position: x east-west, y north-south
        double x = s.state().x(), y = s.state().y();
        mu += 0.05 * x - 0.04 * y;
        if (dow == 6) {
            mu += 0.06 * y;
        }
        if (month == 12) {
            mu += 0.04 * x;
        }
        return mu;
    }

    private Summary writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        writeStores(dir.resolve("store.csv"));
        AtomicFiles.writeText(dir.resolve("store_states.csv"), w -> {
            try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").build())) {
                p.printRecord("Store", "State");
                for (Store s : stores) {
                    p.printRecord(s.id(), s.state().code());
                }
            }
        });
        long[] counts = new long[2];
        double[] sum = new double[1];
        Path expected = dir.resolve("expected.csv");
        Path tmpExpected = Files.createTempFile(dir, ".expected", ".tmp");
        try (Writer ew = Files.newBufferedWriter(tmpExpected)) {
            ew.write("Store,Date,ExpectedSales\n");
            AtomicFiles.writeText(dir.resolve("train.csv"), w -> writeDays(w, ew, counts, sum));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmpExpected);
            throw e;
        }
        AtomicFiles.moveIntoPlace(tmpExpected, expected);
        return new Summary(dir, counts[0], counts[1], counts[1] == 0 ? 0 : sum[0] / counts[1]);
    }

    private void writeStores(Path file) throws IOException {
        AtomicFiles.writeText(file, w -> {
            try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").build())) {
                p.printRecord("Store", "StoreType", "Assortment", "CompetitionDistance", "CompetitionOpenSinceMonth",
                        "CompetitionOpenSinceYear", "Promo2", "Promo2SinceWeek", "Promo2SinceYear", "PromoInterval");
                for (Store s : stores) {
                    p.printRecord(s.id(), s.type(), s.assortment(),
                            Double.isNaN(s.distance()) ? "" : String.valueOf((long) s.distance()),
                            s.compYear() == 0 ? "" : s.compMonth(), s.compYear() == 0 ? "" : s.compYear(),
                            s.promo2() ? 1 : 0, s.promo2() ? s.promo2Week() : "", s.promo2() ? s.promo2Year() : "",
                            s.promo2() ? s.interval() : "");
                }
            }
        });
    }

    /** train.csv rows newest date first, stores ascending (the competition's order). */
    private void writeDays(Writer w, Writer expected, long[] counts, double[] sum) throws IOException {
        // one stream of normal draws in a fixed order: deterministic for a seed
        Random noise = new Random(config.seed() * 1_000_003L + 17);
        w.write("Store,DayOfWeek,Date,Sales,Customers,Open,Promo,StateHoliday,SchoolHoliday\n");
        StringBuilder line = new StringBuilder(64);
        for (LocalDate d = config.to(); !d.isBefore(config.from()); d = d.minusDays(1)) {
            boolean promo = promo(d);
            int dow = d.getDayOfWeek().getValue();
            String date = d.toString();
            boolean refurbDay = !d.isBefore(REFURB_FROM) && !d.isAfter(REFURB_TO);
            for (Store s : stores) {
                if (s.refurbished() && refurbDay) {
                    continue;
                }
                char holiday = HolidayCalendar.stateHoliday(d, s.state().code());
                boolean school = HolidayCalendar.schoolHoliday(d, s.state());
                double z = noise.nextGaussian();
                double z2 = noise.nextGaussian();
                boolean randomClosure = noise.nextDouble() < 0.0015;
                boolean open = holiday == '0' && (dow != 7 || "b".equals(s.type())) && !randomClosure;
                long sales = 0, customers = 0;
                double exp = 0;
                if (open) {
                    exp = Math.exp(logExpected(s, d, promo, school));
                    sales = Math.max(1, Math.round(exp * Math.exp(config.noiseSigma() * z)));
                    customers = Math.max(1, Math.round(sales / (s.basket() * Math.exp(0.05 * z2))));
                    counts[1]++;
                    sum[0] += sales;
                }
                counts[0]++;
                line.setLength(0);
                line.append(s.id()).append(',').append(dow).append(',').append(date).append(',').append(sales)
                        .append(',').append(customers).append(',').append(open ? 1 : 0).append(',')
                        .append(promo ? 1 : 0).append(',').append(holiday).append(',').append(school ? 1 : 0)
                        .append('\n');
                w.append(line);
                line.setLength(0);
                line.append(s.id()).append(',').append(date).append(',')
                        .append(String.format(Locale.ROOT, "%.2f", exp)).append('\n');
                expected.append(line);
            }
        }
    }

    /** The simulated stores (for tests and documentation). */
    List<Store> stores() {
        return stores;
    }
}
