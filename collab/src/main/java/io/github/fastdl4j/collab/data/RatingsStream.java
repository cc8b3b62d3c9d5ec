package io.github.fastdl4j.collab.data;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The fast path for the ratings of a MovieLens folder ({@code u.data}, {@code ratings.dat},
 * {@code ratings.csv}): one pass over the file's bytes straight into primitive columns (raw ids as
 * {@code int}, ratings as {@code float}, timestamps as {@code long}), without a String or any
 * other object per field; then vocabularies and codes, and duplicate pairs folded (the last rating
 * kept at the first one's place, as the table path does). 10M ratings are about 200 MB of arrays
 * here, against several GB through the table path.
 *
 * <p>Why a ratings-specific path beside {@link io.github.fastdl4j.common.data.CsvTable}, and not a
 * new CsvTable: a table must infer every column's type, keep text, and report each problem in the
 * order it reads them; ratings need three or four known columns of plain numbers. So this path
 * only <em>accepts</em>: a line it cannot decide with certainty (a quote, a byte outside ASCII, a
 * blank line, a space, a field that is not a plain number, a rating off the scale, a wrong number
 * of fields, a header it does not find its columns in, ...) makes {@link #read} return null, and
 * the caller reads the file through CsvTable, which either reads it (quoted fields, other
 * encodings) or stops at the first problem with the one-line {@code file:line: field: ...} error
 * it always gave. Every value this path accepts is read to the same number the table path reads
 * (ids of at most 9 digits, ratings of at most 15 digits by one correctly rounded division,
 * timestamps below 10^15), so both paths give the same {@link Ratings}; line numbers are only
 * needed on the error path, which re-reads.
 *
 * <p>Why bytes by hand rather than a CSV library (Jackson's CSV module, commons-csv, DataVec): each
 * of those hands every field over as a String or char token after decoding the bytes to chars;
 * the fields here are digits, which parse straight from the bytes (ASCII is the same bytes in
 * UTF-8 and Latin-1), and quoting, encodings and the like are left to the table path.
 */
final class RatingsStream {

    /** Files at least this large show their reading on stderr (a bar on a terminal, and a line after). */
    static final long LARGE = 32L << 20;

    /** What a pass read: rows of raw ids, ratings and times; {@code n} rows. */
    record Read(int[] user, int[] item, float[] rating, long[] time, int n) {
    }

    /** The columns wanted: user, item, rating, timestamp (-1 for none). */
    private static final int USER = 1;
    private static final int ITEM = 2;
    private static final int RATING = 3;
    private static final int TIME = 4;

    private RatingsStream() {
    }

    /**
     * Reads {@code file} if every line is plain, else null (the caller reads it the table way).
     *
     * @param cs       the file's encoding: only ASCII-compatible ones are read here
     * @param sep      a one-byte separator or {@code ::}
     * @param names    the columns of a file without a header, or null when the first line is a header
     * @param want     the user, item, rating and (or null) timestamp column names
     * @param step     the rating scale's step (0.5 or 1)
     * @param min      its lowest rating
     * @param max      its highest rating
     */
    static Read read(Path file, Charset cs, String sep, List<String> names, List<String> want, double step, double min, double max) {
        if (!(cs.equals(StandardCharsets.UTF_8) || cs.equals(StandardCharsets.US_ASCII) || cs.equals(StandardCharsets.ISO_8859_1))
                || !(sep.length() == 1 || sep.equals("::")) || sep.charAt(0) >= 0x80 || !Files.isRegularFile(file)) {
            return null;
        }
        try {
            return new RatingsStream.Pass(file, sep, names, want, step, min, max).run();
        } catch (IOException e) {
            return null; // the table path says what cannot be read
        }
    }

    /** One pass over a file. */
    private static final class Pass {
        final Path file;
        final byte sep;
        final boolean doubleColon;
        final List<String> names;
        final List<String> want;
        final double step;
        final double min;
        final double max;
        int[] role; // by field: USER, ITEM, RATING, TIME or 0
        int[] user;
        int[] item;
        float[] rating;
        long[] time;
        int n;
        long size; // the file's bytes
        long at;   // bytes before the line being read: with n, how many rows the rest of the file holds

        Pass(Path file, String sep, List<String> names, List<String> want, double step, double min, double max) {
            this.file = file;
            this.sep = (byte) sep.charAt(0);
            this.doubleColon = sep.equals("::");
            this.names = names;
            this.want = want;
            this.step = step;
            this.min = min;
            this.max = max;
        }

        Read run() throws IOException {
            size = Files.size(file);
            if (names != null && !roles(names)) {
                return null;
            }
            byte[] buf = new byte[1 << 20];
            int len = 0;
            boolean eof = false;
            boolean first = true;
            boolean bomChecked = false;
            long done = 0;
            long t0 = System.nanoTime();
            ProgressBar bar = size >= LARGE && System.console() != null
                    ? new ProgressBarBuilder().setTaskName("reading " + file.getFileName()).setInitialMax(size >> 20).setUnit(" MB", 1)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).showSpeed().clearDisplayOnFinish().build()
                    : null;
            try (InputStream in = Files.newInputStream(file)) {
                while (true) {
                    int r = eof ? -1 : in.read(buf, len, buf.length - len);
                    if (r < 0) {
                        eof = true;
                    } else {
                        len += r;
                    }
                    int s = 0;
                    if (!bomChecked && (len >= 3 || eof)) {
                        bomChecked = true;
                        if (len >= 3 && (buf[0] & 0xff) == 0xEF && (buf[1] & 0xff) == 0xBB && (buf[2] & 0xff) == 0xBF) {
                            s = 3; // a byte-order mark, skipped as the table path skips it
                        }
                    }
                    if (!bomChecked) {
                        continue; // fewer than three bytes so far
                    }
                    while (true) {
                        int e = indexOf(buf, s, len, (byte) '\n');
                        if (e < 0) {
                            break;
                        }
                        at = done + s;
                        if (!line(buf, s, e, first)) {
                            return null;
                        }
                        first = false;
                        s = e + 1;
                    }
                    if (eof) {
                        at = done + s;
                        if (s < len && !line(buf, s, len, first)) {
                            return null;
                        }
                        break;
                    }
                    if (s == 0 && len == buf.length) {
                        return null; // a line of a megabyte is no plain rating
                    }
                    System.arraycopy(buf, s, buf, 0, len - s);
                    done += s;
                    len -= s;
                    if (bar != null) {
                        bar.stepTo(done >> 20);
                        bar.setExtraMessage(String.format(Locale.ROOT, " %,d rows", n));
                    }
                }
            } finally {
                if (bar != null) {
                    bar.close();
                }
            }
            if (n == 0) {
                return null; // no rows: the table path says so
            }
            if (size >= LARGE) {
                double secs = (System.nanoTime() - t0) / 1e9;
                System.err.printf(Locale.ROOT, "read %,d ratings from %s (%d MB) in %.1f s, %.0f MB/s%n", n, file, size >> 20, secs,
                        (size >> 20) / Math.max(secs, 1e-9));
            }
            // exact lengths, one column at a time, so the columns are never all held twice
            if (user.length != n) {
                user = Arrays.copyOf(user, n);
                item = Arrays.copyOf(item, n);
                rating = Arrays.copyOf(rating, n);
                time = Arrays.copyOf(time, n);
            }
            return new Read(user, item, rating, time, n);
        }

        /** The header's columns: each wanted one found once, every name non-empty and distinct. */
        private boolean roles(List<String> cols) {
            Set<String> seen = new HashSet<>();
            role = new int[cols.size()];
            for (int j = 0; j < cols.size(); j++) {
                String c = cols.get(j).strip();
                if (c.isEmpty() || !seen.add(c)) {
                    return false; // unnamed or repeated columns: the table path names or refuses them
                }
                int w = want.indexOf(c);
                role[j] = w < 0 ? 0 : w + 1;
            }
            for (int w = 0; w < want.size(); w++) {
                if (want.get(w) != null && !seen.contains(want.get(w))) {
                    return false;
                }
            }
            return true;
        }

        private static int indexOf(byte[] b, int from, int to, byte x) {
            for (int i = from; i < to; i++) {
                if (b[i] == x) {
                    return i;
                }
            }
            return -1;
        }

        /** One line {@code b[s..e)}: false when this path cannot decide it. */
        private boolean line(byte[] b, int s, int e, boolean isFirst) {
            if (e > s && b[e - 1] == '\r') {
                e--; // CRLF
            }
            if (e == s) {
                return false; // a blank line (the table path skips or refuses it)
            }
            if (isFirst && names == null) {
                List<String> head = new ArrayList<>();
                int fs = s;
                for (int i = s; i <= e; i++) {
                    if (i == e || isSep(b, i, e)) {
                        head.add(new String(b, fs, i - fs, StandardCharsets.ISO_8859_1));
                        if (i < e && doubleColon) {
                            i++;
                        }
                        fs = i + 1;
                    } else if (!plain(b[i])) {
                        return false;
                    }
                }
                return roles(head);
            }
            int j = 0;
            int fs = s;
            int u = 0;
            int m = 0;
            double r = Double.NaN;
            long t = 0;
            for (int i = s; i <= e; i++) {
                if (i < e && !isSep(b, i, e)) {
                    if (!plain(b[i])) {
                        return false;
                    }
                    continue;
                }
                if (j >= role.length) {
                    return false;
                }
                switch (role[j]) {
                    case USER -> u = id(b, fs, i);
                    case ITEM -> m = id(b, fs, i);
                    case RATING -> r = number(b, fs, i);
                    case TIME -> t = whole(b, fs, i);
                    default -> {
                    }
                }
                if (u < 0 || m < 0 || t < 0) {
                    return false;
                }
                j++;
                if (i < e && doubleColon) {
                    i++;
                }
                fs = i + 1;
            }
            if (j != role.length || Double.isNaN(r) || Math.abs(r) > RatingsLoader.MAX_RATING) {
                return false;
            }
            float rf = (float) r;
            // the table path's scale check, word for word
            if (!(rf >= min && rf <= max && Math.abs(rf / step - Math.rint(rf / step)) < 1e-6)) {
                return false;
            }
            add(u, m, rf, t);
            return true;
        }

        private boolean isSep(byte[] b, int i, int e) {
            return b[i] == sep && (!doubleColon || (i + 1 < e && b[i + 1] == ':'));
        }

        /** A byte this path reads as the table path does: ASCII, no quote, no NUL, no lone CR. */
        private static boolean plain(byte x) {
            return x > 0 && x != '"' && x != '\r';
        }

        private void add(int u, int m, float r, long t) {
            if (user == null || n == user.length) {
                // the rows still to come, guessed from the bytes per row so far and a little over, rather
                // than doubling: doubling leaves up to half of four columns empty and copies them all each time
                long guess = user == null || at <= 0 ? 1 << 16 : (long) (n * (double) size / at * 1.02) + 1024;
                int cap = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(guess, user == null ? 1 << 16 : n + (n >> 3) + 1024L));
                if (user != null && cap == n) {
                    throw new IllegalStateException("more than " + n + " ratings");
                }
                user = user == null ? new int[cap] : Arrays.copyOf(user, cap);
                item = item == null ? new int[cap] : Arrays.copyOf(item, cap);
                rating = rating == null ? new float[cap] : Arrays.copyOf(rating, cap);
                time = time == null ? new long[cap] : Arrays.copyOf(time, cap);
            }
            user[n] = u;
            item[n] = m;
            rating[n] = r;
            time[n] = t;
            n++;
        }
    }

    /** A whole-number id of 1 to 9 digits, or -1. */
    static int id(byte[] b, int s, int e) {
        return e - s > 9 ? -1 : (int) whole(b, s, e);
    }

    /** A whole number of 1 to 15 digits (below 10^15, where the table path reads it exactly too), or -1. */
    static long whole(byte[] b, int s, int e) {
        if (e <= s || e - s > 15) {
            return -1;
        }
        long x = 0;
        for (int i = s; i < e; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            x = x * 10 + d;
        }
        return x;
    }

    private static final double[] POW10 = new double[16];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    /**
     * {@code digits[.digits]} with at most 15 digits, as the nearest double (an integer below 2^53
     * divided by an exact power of ten is one correctly rounded division: what Double.parseDouble
     * gives), or NaN for anything else.
     */
    static double number(byte[] b, int s, int e) {
        long mant = 0;
        int digits = 0;
        int frac = -1;
        for (int i = s; i < e; i++) {
            byte x = b[i];
            if (x == '.' && frac < 0 && digits > 0) {
                frac = 0;
                continue;
            }
            int d = x - '0';
            if (d < 0 || d > 9) {
                return Double.NaN;
            }
            mant = mant * 10 + d;
            digits++;
            if (frac >= 0) {
                frac++;
            }
        }
        if (digits == 0 || digits > 15 || frac == 0) {
            return Double.NaN;
        }
        return frac < 0 ? mant : mant / POW10[frac];
    }
}
