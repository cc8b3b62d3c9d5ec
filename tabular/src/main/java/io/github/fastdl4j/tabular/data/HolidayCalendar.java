package io.github.fastdl4j.tabular.data;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.util.Set;

/**
 * German public holidays by state, in the competition's {@code StateHoliday} codes ({@code a}
 * public, {@code b} Easter, {@code c} Christmas, {@code 0} none), and the simulator's school
 * holidays. Public holidays follow the law (nationwide ones plus Epiphany, Corpus Christi,
 * Reformation Day, All Saints' and Repentance Day where they apply); school holidays are
 * simulated: Christmas and Easter breaks for all, summer and autumn breaks whose start moves
 * smoothly with the state's position (as the real staggered calendar roughly does) and rotates
 * by year.
 */
public final class HolidayCalendar {

    private static final Set<String> EPIPHANY = Set.of("BW", "BY", "ST");
    private static final Set<String> CORPUS_CHRISTI = Set.of("BW", "BY", "HE", "NW", "RP");
    private static final Set<String> REFORMATION = Set.of("SN", "ST", "TH");
    private static final Set<String> ALL_SAINTS = Set.of("BW", "BY", "NW", "RP");

    private HolidayCalendar() {
    }

    /** Easter Sunday (Gregorian; the Meeus/Jones/Butcher algorithm). */
    public static LocalDate easter(int year) {
        int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4;
        int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
        int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = (a + 11 * h + 22 * l) / 451;
        int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
        return LocalDate.of(year, month, day);
    }

    /** The StateHoliday code of a date in a state: 'a', 'b', 'c' or '0'. */
    public static char stateHoliday(LocalDate d, String state) {
        int m = d.getMonthValue(), dom = d.getDayOfMonth();
        if (m == 12 && (dom == 25 || dom == 26)) {
            return 'c';
        }
        LocalDate easter = easter(d.getYear());
        long fromEaster = d.toEpochDay() - easter.toEpochDay();
        if (fromEaster == -2 || fromEaster == 1) {
            return 'b';
        }
        if ((m == 1 && dom == 1) || (m == 5 && dom == 1) || (m == 10 && dom == 3)
                || fromEaster == 39 || fromEaster == 50) {
            return 'a';
        }
        if ((m == 1 && dom == 6 && EPIPHANY.contains(state))
                || (fromEaster == 60 && CORPUS_CHRISTI.contains(state))
                || (m == 10 && dom == 31 && REFORMATION.contains(state))
                || (m == 11 && dom == 1 && ALL_SAINTS.contains(state))
                || ("SN".equals(state) && d.equals(repentanceDay(d.getYear())))) {
            return 'a';
        }
        return '0';
    }

    /** Buss- und Bettag: the Wednesday before 23 November. */
    static LocalDate repentanceDay(int year) {
        LocalDate d = LocalDate.of(year, Month.NOVEMBER, 22);
        while (d.getDayOfWeek() != DayOfWeek.WEDNESDAY) {
            d = d.minusDays(1);
        }
        return d;
    }

    /** Whether schools of this (simulated) state are on holiday on this date. */
    public static boolean schoolHoliday(LocalDate d, GermanStates.State state) {
        int m = d.getMonthValue(), dom = d.getDayOfMonth(), year = d.getYear();
        if ((m == 12 && dom >= 23) || (m == 1 && dom <= 6)) {
            return true;
        }
        long day = d.toEpochDay();
        long easter = easter(year).toEpochDay() + Math.round(3 * state.x());
        if (day >= easter - 10 && day <= easter + 5) {
            return true;
        }
        int rank = GermanStates.ALL.indexOf(state);
        long summer = LocalDate.of(year, 7, 1).toEpochDay() + Math.round(10 * state.x() - 8 * state.y())
                + 7L * (Math.floorMod(year + rank, 3) - 1);
        if (day >= summer && day < summer + 42) {
            return true;
        }
        long autumn = LocalDate.of(year, 10, 5).toEpochDay() + Math.round(7 * state.y());
        return day >= autumn && day < autumn + 12;
    }
}
