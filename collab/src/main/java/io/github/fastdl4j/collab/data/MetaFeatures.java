package io.github.fastdl4j.collab.data;

import io.github.fastdl4j.common.data.BadInputException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Metadata as numbers, one row per user index and per movie index, for the hybrid model:
 * users: age (standardised), gender (1 = M), occupation one-hot; movies: genre flags, release
 * year (standardised) and a year-missing flag. Unknown users/movies (index 0, or no metadata)
 * get all zeros. Fitted on the whole vocabulary, saved with the model.
 *
 * @param userColumns  names of the user columns
 * @param userRows     [users][userColumns]
 * @param movieColumns names of the movie columns
 * @param movieRows    [movies][movieColumns]
 */
public record MetaFeatures(List<String> userColumns, float[][] userRows, List<String> movieColumns, float[][] movieRows) {

    /**
     * Checks tables read from a model zip against the model's vocabulary sizes: one row per user
     * and movie index, every row as wide as its column names.
     */
    public void check(Path file, int nUsers, int nMovies) {
        boolean ok = userColumns != null && movieColumns != null && userRows != null && movieRows != null
                && userRows.length == nUsers && movieRows.length == nMovies
                && Arrays.stream(userRows).allMatch(r -> r != null && r.length == userColumns.size())
                && Arrays.stream(movieRows).allMatch(r -> r != null && r.length == movieColumns.size());
        if (!ok) {
            throw BadInputException.inFile(file, "entry meta.json does not match the model's "
                    + nUsers + " users and " + nMovies + " movies");
        }
    }

    /** Builds the tables; without user metadata the user side is a single zero column. */
    public static MetaFeatures of(Ratings r) {
        List<String> uCols = new ArrayList<>();
        float[][] uRows;
        if (r.hasUserInfo()) {
            List<String> occupations = new ArrayList<>(new TreeSet<>(r.userInfo().values().stream()
                    .map(UserInfo::occupation).toList()));
            double[] ageStats = stats(r.userInfo().values().stream().mapToDouble(UserInfo::age).toArray());
            uCols.add("age");
            uCols.add("gender_M");
            occupations.forEach(o -> uCols.add("occupation_" + o));
            uRows = new float[r.userVocab().size()][uCols.size()];
            for (int i = 1; i < r.userVocab().size(); i++) {
                UserInfo info = r.userInfo().get(r.userVocab().id(i));
                if (info == null) {
                    continue;
                }
                uRows[i][0] = (float) ((info.age() - ageStats[0]) / ageStats[1]);
                uRows[i][1] = info.gender().equals("M") ? 1 : 0;
                uRows[i][2 + occupations.indexOf(info.occupation())] = 1;
            }
        } else {
            uCols.add("none");
            uRows = new float[r.userVocab().size()][1];
        }
        List<String> mCols = new ArrayList<>();
        r.genreNames().forEach(g -> mCols.add("genre_" + g));
        mCols.add("year");
        mCols.add("year_na");
        float[][] mRows = new float[r.movieVocab().size()][mCols.size()];
        double[] yearStats = stats(r.movieInfo().values().stream().filter(m -> m.year() != null)
                .mapToDouble(MovieInfo::year).toArray());
        int g0 = r.genreNames().size();
        for (int i = 1; i < r.movieVocab().size(); i++) {
            MovieInfo info = r.movieInfo().get(r.movieVocab().id(i));
            if (info == null) {
                mRows[i][g0 + 1] = 1;
                continue;
            }
            for (String g : info.genres()) {
                int gi = r.genreNames().indexOf(g);
                if (gi >= 0) {
                    mRows[i][gi] = 1;
                }
            }
            if (info.year() == null) {
                mRows[i][g0 + 1] = 1;
            } else {
                mRows[i][g0] = (float) ((info.year() - yearStats[0]) / yearStats[1]);
            }
        }
        return new MetaFeatures(List.copyOf(uCols), uRows, List.copyOf(mCols), mRows);
    }

    /** Mean and standard deviation (1 when there is no spread, so standardising never divides by 0). */
    private static double[] stats(double[] v) {
        if (v.length == 0) {
            return new double[]{0, 1};
        }
        double mean = 0;
        for (double x : v) {
            mean += x / v.length;
        }
        double var = 0;
        for (double x : v) {
            var += (x - mean) * (x - mean) / v.length;
        }
        return new double[]{mean, var > 0 ? Math.sqrt(var) : 1};
    }

    public int userWidth() {
        return userColumns.size();
    }

    public int movieWidth() {
        return movieColumns.size();
    }

    /** The user rows of a batch, flat. */
    public float[] users(int[] userIdx) {
        return gather(userRows, userIdx);
    }

    /** The movie rows of a batch, flat. */
    public float[] movies(int[] movieIdx) {
        return gather(movieRows, movieIdx);
    }

    private static float[] gather(float[][] table, int[] idx) {
        int w = table[0].length;
        float[] out = new float[idx.length * w];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(table[idx[i]], 0, out, i * w, w);
        }
        return out;
    }
}
