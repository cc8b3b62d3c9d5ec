package io.github.fastdl4j.collab.data;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Ratings read by {@link RatingsStream}: raw ids turned into codes in place (the vocabulary in
 * numeric order, as {@link IdVocab#of} orders whole numbers), duplicate pairs folded as {@link
 * TableRows} folds them (the first one's place, the last one's rating and time). It lives apart
 * from {@link RatingsLoader} because this is the fast path for millions of ratings (primitive
 * arrays, an open-addressing table of pairs) and reads nothing itself.
 */
final class StreamedRows implements Rows {

    // the loader's logger, so a run's log names RatingsLoader as before these classes were split off
    private static final Logger log = LoggerFactory.getLogger(RatingsLoader.class);

    final RatingsStream.Read read;
    final double min;
    final double max;

    StreamedRows(RatingsStream.Read read, double min, double max) {
        this.read = read;
        this.min = min;
        this.max = max;
    }

    @Override
    public Ratings build(Path source, Map<String, MovieInfo> movieInfo, Map<String, UserInfo> userInfo, List<String> genres,
                         String checksum) {
        int n = read.n();
        int[] u = read.user();
        int[] m = read.item();
        float[] r = read.rating();
        long[] t = read.time();
        IdVocab uv = codes(u, n);
        IdVocab mv = codes(m, n);
        int kept = fold(u, m, r, t, n, mv.size());
        if (kept < n) {
            log.warn("{}: {} duplicate (user, movie) pairs; kept the last rating of each", source, n - kept);
        }
        Path dir = Files.isDirectory(source) ? source : source.toAbsolutePath().getParent();
        return new Ratings(uv, mv, Arrays.copyOf(u, kept), Arrays.copyOf(m, kept), Arrays.copyOf(r, kept), Arrays.copyOf(t, kept),
                min, max, Map.copyOf(movieInfo), Map.copyOf(userInfo), genres, checksum, dir);
    }

    /** Replaces the raw ids {@code raw[0..n)} by their indices in the vocabulary it returns. */
    static IdVocab codes(int[] raw, int n) {
        int top = 0;
        for (int i = 0; i < n; i++) {
            top = Math.max(top, raw[i]);
        }
        List<String> ids = new ArrayList<>();
        ids.add(IdVocab.NA);
        if (top < 1 << 24) {
            int[] code = new int[top + 1]; // ids are small: a table by raw id
            for (int i = 0; i < n; i++) {
                code[raw[i]] = 1;
            }
            int next = 1;
            for (int id = 0; id <= top; id++) {
                if (code[id] != 0) {
                    code[id] = next++;
                    ids.add(Integer.toString(id));
                }
            }
            for (int i = 0; i < n; i++) {
                raw[i] = code[raw[i]];
            }
        } else {
            int[] sorted = Arrays.copyOf(raw, n);
            Arrays.sort(sorted);
            int d = 0;
            for (int i = 0; i < n; i++) {
                if (i == 0 || sorted[i] != sorted[i - 1]) {
                    sorted[d++] = sorted[i];
                    ids.add(Integer.toString(sorted[i]));
                }
            }
            for (int i = 0; i < n; i++) {
                raw[i] = Arrays.binarySearch(sorted, 0, d, raw[i]) + 1;
            }
        }
        return new IdVocab(ids);
    }

    /**
     * Folds duplicate (user, item) pairs in place, the first one's place keeping the last one's
     * rating and time; returns how many rows remain. An open-addressing table of pair keys,
     * sized once.
     */
    static int fold(int[] u, int[] m, float[] r, long[] t, int n, int items) {
        int cap = Integer.highestOneBit(Math.max(16, (int) Math.min(1 << 30, n + n / 2L))) << 1;
        long[] keys = new long[cap];
        int[] at = new int[cap];
        Arrays.fill(keys, -1);
        int mask = cap - 1;
        int kept = 0;
        for (int i = 0; i < n; i++) {
            long key = (long) u[i] * items + m[i];
            int h = (int) (mix(key) & mask);
            while (keys[h] != -1 && keys[h] != key) {
                h = (h + 1) & mask;
            }
            if (keys[h] == key) {
                int p = at[h];
                r[p] = r[i];
                t[p] = t[i];
                continue;
            }
            keys[h] = key;
            at[h] = kept;
            u[kept] = u[i];
            m[kept] = m[i];
            r[kept] = r[i];
            t[kept] = t[i];
            kept++;
        }
        return kept;
    }

    private static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        return x;
    }
}
