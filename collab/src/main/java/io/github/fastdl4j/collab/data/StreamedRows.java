package io.github.fastdl4j.collab.data;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * Ratings read by {@link RatingsStream}: raw ids turned into codes in place (the vocabulary in
 * numeric order, as {@link IdVocab#of} orders whole numbers), duplicate pairs folded as {@link
 * TableRows} folds them (the first one's place, the last one's rating and time). It lives apart
 * from {@link RatingsLoader} because this is the fast path for millions of ratings (primitive
 * arrays, pairs folded per user) and reads nothing itself.
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
        int kept = fold(u, m, r, t, n, uv.size(), mv.size());
        if (kept < n) {
            log.warn("{}: {} duplicate (user, movie) pairs; kept the last rating of each", source, n - kept);
        }
        Path dir = Files.isDirectory(source) ? source : source.toAbsolutePath().getParent();
        if (kept < u.length) {
            u = Arrays.copyOf(u, kept);
            m = Arrays.copyOf(m, kept);
            r = Arrays.copyOf(r, kept);
            t = Arrays.copyOf(t, kept);
        }
        // the read's columns themselves when nothing was folded: no second copy of 10M ratings
        return new Ratings(uv, mv, u, m, r, t, min, max, Map.copyOf(movieInfo), Map.copyOf(userInfo), genres, checksum, dir);
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
     * rating and time; returns how many rows remain. The rows are grouped by user (a counting sort
     * of row numbers, in file order within a user) and each user's items marked in a table by
     * item: 4 bytes a row, where a hash table of pairs took 12 to 24.
     *
     * @param users the size of the user vocabulary (codes are below it)
     * @param items the size of the item vocabulary
     */
    static int fold(int[] u, int[] m, float[] r, long[] t, int n, int users, int items) {
        int[] start = new int[users + 1];
        for (int i = 0; i < n; i++) {
            start[u[i] + 1]++;
        }
        for (int v = 0; v < users; v++) {
            start[v + 1] += start[v];
        }
        int[] rows = new int[n];
        int[] fill = Arrays.copyOf(start, users);
        for (int i = 0; i < n; i++) {
            rows[fill[u[i]]++] = i;
        }
        fill = null;
        int[] owner = new int[items]; // the user (+1) whose row of the item was seen last
        int[] first = new int[items]; // and that row
        BitSet dup = null;
        for (int v = 0; v < users; v++) {
            for (int k = start[v]; k < start[v + 1]; k++) {
                int i = rows[k];
                int j = m[i];
                if (owner[j] == v + 1) {
                    int p = first[j];
                    r[p] = r[i];
                    t[p] = t[i];
                    if (dup == null) {
                        dup = new BitSet(n);
                    }
                    dup.set(i);
                } else {
                    owner[j] = v + 1;
                    first[j] = i;
                }
            }
        }
        if (dup == null) {
            return n;
        }
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (!dup.get(i)) {
                u[kept] = u[i];
                m[kept] = m[i];
                r[kept] = r[i];
                t[kept] = t[i];
                kept++;
            }
        }
        return kept;
    }
}
