package io.github.fastdl4j.collab.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Ratings whose <em>choice</em> carries the structure, for implicit feedback: each user and movie
 * has 3 latent tastes and each movie a popularity; a user rates {@code perUser} movies drawn
 * without replacement with probability proportional to {@code exp(popularity + 1.5 u . m)}, and
 * rates them {@code round(3 + u . m + noise)} clipped to 1..5. So which movies a user has rated
 * tells which others they pick, and like (4 or more), beyond what popularity alone tells. Written
 * in ml-100k's layout ({@code u.data}).
 */
final class TasteChoices {

    private TasteChoices() {
    }

    static Path write(Path dir, int users, int movies, int perUser, long seed) throws IOException {
        Random rnd = new Random(seed);
        double[][] uf = gaussians(rnd, users + 1, 3);
        double[][] mf = gaussians(rnd, movies + 1, 3);
        double[] popularity = new double[movies + 1];
        for (int m = 1; m <= movies; m++) {
            popularity[m] = 0.8 * rnd.nextGaussian();
        }
        StringBuilder data = new StringBuilder();
        for (int u = 1; u <= users; u++) {
            double[] w = new double[movies + 1];
            double[] match = new double[movies + 1];
            for (int m = 1; m <= movies; m++) {
                for (int j = 0; j < 3; j++) {
                    match[m] += uf[u][j] * mf[m][j];
                }
                w[m] = Math.exp(popularity[m] + 1.5 * match[m]);
            }
            for (int n = 0; n < perUser; n++) {
                double total = 0;
                for (double x : w) {
                    total += x;
                }
                double t = rnd.nextDouble() * total;
                int m = 1;
                while (m < movies && (t -= w[m]) > 0) {
                    m++;
                }
                if (w[m] == 0) { // rounding at the end of the scan: take the last movie still unpicked
                    m = movies;
                    while (w[m] == 0) {
                        m--;
                    }
                }
                w[m] = 0; // without replacement
                long rating = Math.max(1, Math.min(5, Math.round(3 + match[m] + 0.3 * rnd.nextGaussian())));
                data.append(u).append('\t').append(m).append('\t').append(rating).append('\t').append(880000000 + n).append('\n');
            }
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("u.data"), data.toString(), StandardCharsets.US_ASCII);
        return dir;
    }

    private static double[][] gaussians(Random rnd, int rows, int cols) {
        double[][] v = new double[rows][cols];
        for (double[] row : v) {
            for (int j = 0; j < cols; j++) {
                row[j] = rnd.nextGaussian();
            }
        }
        return v;
    }
}
