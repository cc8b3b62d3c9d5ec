package io.github.fastdl4j.collab.data;

import io.github.fastdl4j.common.data.CsvTable;
import io.github.fastdl4j.common.data.BadInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Ratings added to a loaded set from more files in the {@code ratings.csv} layout, as a served
 * model's feedback logs are written ({@link RatingsLoader#withMore}, which {@code collab train
 * --more-ratings} calls). It lives apart from the loader because it reads no MovieLens folder and learns
 * no scale: it merges rows into ratings already built, checking each against their y range, and
 * chains the base's checksum with the files'.
 */
final class MoreRatings {

    // the loader's logger, so a run's log names RatingsLoader as before these classes were split off
    private static final Logger log = LoggerFactory.getLogger(RatingsLoader.class);

    private MoreRatings() {
    }

    static Ratings withMore(Ratings base, List<Path> files) {
        List<String> users = new ArrayList<>();
        List<String> movies = new ArrayList<>();
        List<Float> rating = new ArrayList<>();
        List<Long> time = new ArrayList<>();
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < base.size(); i++) {
            String u = base.userVocab().id(base.user()[i]);
            String m = base.movieVocab().id(base.movie()[i]);
            position.put(u + '\u0000' + m, users.size());
            users.add(u);
            movies.add(m);
            rating.add(base.rating()[i]);
            time.add(base.timestamp() == null ? 0L : base.timestamp()[i]);
        }
        List<Path> read = new ArrayList<>();
        double[] range = base.yRange();
        double lo = base.minRating();
        double hi = base.maxRating();
        int added = 0;
        int replaced = 0;
        for (Path f : files) {
            CsvTable t = RatingsLoader.header(f, CsvTable.read(f, CsvTable.Format.csv().separator(",")
                    .types(Map.of("userId", CsvTable.Type.TEXT, "movieId", CsvTable.Type.TEXT))), List.of("userId", "movieId", "rating", "timestamp"));
            String[] us = t.texts("userId");
            String[] ms = t.texts("movieId");
            String[] rs = t.texts("rating");
            String[] ts = t.texts("timestamp");
            for (int i = 0; i < t.rows(); i++) {
                long line = t.line(i);
                String u = TableRows.required(f, line, us[i], "userId");
                String m = TableRows.required(f, line, ms[i], "movieId");
                double r = CsvTable.parseNumber(rs[i]);
                if (Double.isNaN(r) || r < range[0] || r > range[1]) {
                    throw BadInputException.at(f, line, "rating", "expected a number in the ratings' range " + range[0] + ".."
                            + range[1] + ", got '" + rs[i] + "'");
                }
                lo = Math.min(lo, r);
                hi = Math.max(hi, r);
                long when;
                try {
                    when = Long.parseLong(ts[i] == null ? "" : ts[i]);
                } catch (NumberFormatException e) {
                    throw BadInputException.at(f, line, "timestamp", "expected whole seconds, got '" + ts[i] + "'");
                }
                Integer at = position.get(u + '\u0000' + m);
                if (at != null) {
                    rating.set(at, (float) r);
                    time.set(at, when);
                    replaced++;
                    continue;
                }
                position.put(u + '\u0000' + m, users.size());
                users.add(u);
                movies.add(m);
                rating.add((float) r);
                time.add(when);
                added++;
            }
            read.add(f);
        }
        log.info("more ratings: {} added, {} replaced, from {}", added, replaced, read);
        IdVocab uv = IdVocab.of(new HashSet<>(users));
        IdVocab mv = IdVocab.of(new HashSet<>(movies));
        int n = users.size();
        int[] u = new int[n];
        int[] m = new int[n];
        float[] r = new float[n];
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            u[i] = uv.index(users.get(i));
            m[i] = mv.index(movies.get(i));
            r[i] = rating.get(i);
            t[i] = time.get(i);
        }
        String checksum;
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(base.checksum().getBytes(StandardCharsets.US_ASCII));
            md.update(RatingsLoader.checksum(read).getBytes(StandardCharsets.US_ASCII));
            checksum = HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return new Ratings(uv, mv, u, m, r, t, lo, hi, base.movieInfo(), base.userInfo(),
                base.genreNames(), checksum, base.source());
    }
}
