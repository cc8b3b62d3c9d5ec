package io.github.fastdl4j.collab.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A MovieLens ratings table with ids turned into indices, and optional metadata.
 *
 * @param userVocab    user vocabulary (index 0 = #na#); {@link #user()} holds each rating's index into it
 * @param movieVocab   movie vocabulary; {@link #movie()} holds each rating's index into it
 * @param user         user index of each rating
 * @param movie        movie index of each rating
 * @param rating       the ratings
 * @param timestamp    seconds since 1970 of each rating
 * @param minRating    the lowest rating of the data set's scale (1 for ml-100k, 0.5 for CSV releases)
 * @param maxRating    the highest (5)
 * @param movieInfo    by raw movie id; empty when no movie file was found
 * @param userInfo     by raw user id; empty when no user file was found
 * @param genreNames   the genre vocabulary of the metadata, in file order
 * @param checksum     SHA-256 over the files read (provenance)
 * @param source       the folder read
 */
public record Ratings(IdVocab userVocab, IdVocab movieVocab, int[] user, int[] movie, float[] rating, long[] timestamp,
                      double minRating, double maxRating, Map<String, MovieInfo> movieInfo,
                      Map<String, UserInfo> userInfo, List<String> genreNames, String checksum, Path source) {

    /** Reads a MovieLens folder in either layout; see {@link RatingsLoader}. */
    public static Ratings load(Path dir) {
        return RatingsLoader.load(dir);
    }

    public int size() {
        return rating.length;
    }

    /** The title of a movie index, or its raw id when titles are unknown. */
    public String title(int movieIndex) {
        String id = movieVocab.id(movieIndex);
        MovieInfo info = movieInfo.get(id);
        return info == null ? "movie " + id : info.title();
    }

    /**
     * fastai's y_range for these ratings: from 0 (or half a point below the lowest rating, when it is
     * negative) to half a point above the highest, because a sigmoid only reaches its ends at infinity
     * (1..5 stars give (0, 5.5), as in the lesson).
     */
    public double[] yRange() {
        return new double[]{minRating >= 0 ? 0 : minRating - 0.5, maxRating + 0.5};
    }

    /** Mean rating. */
    public double mean() {
        double s = 0;
        for (float r : rating) {
            s += r;
        }
        return s / rating.length;
    }

    /** Whether user metadata (age, gender, occupation) is available. */
    public boolean hasUserInfo() {
        return !userInfo.isEmpty();
    }

    /** Whether movie metadata (titles, genres, year) is available. */
    public boolean hasMovieInfo() {
        return !movieInfo.isEmpty();
    }

    /** One line for the user: counts, mean and where the ratings came from. */
    public String summary() {
        return String.format(Locale.ROOT, "%d ratings, %d users, %d movies, mean %.3f (%s)",
                size(), userVocab.size() - 1, movieVocab.size() - 1, mean(), source);
    }
}
