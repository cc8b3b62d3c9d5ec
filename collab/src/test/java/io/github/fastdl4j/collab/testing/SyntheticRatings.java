package io.github.fastdl4j.collab.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes a small ml-100k-layout folder with planted structure: each user and movie has a bias
 * and 3 latent tastes; a rating is round(3.5 + biases + taste match + noise) clipped to 1..5.
 * A model that learns the structure beats predicting the mean by a wide margin.
 */
public final class SyntheticRatings {

    private SyntheticRatings() {
    }

    public static Path write(Path dir, int users, int movies, int perUser, long seed) throws IOException {
        Files.createDirectories(dir);
        Random r = new Random(seed);
        double[][] uf = new double[users + 1][3];
        double[][] mf = new double[movies + 1][3];
        double[] ub = new double[users + 1];
        double[] mb = new double[movies + 1];
        for (int u = 1; u <= users; u++) {
            ub[u] = r.nextGaussian() * 0.4;
            for (int j = 0; j < 3; j++) {
                uf[u][j] = r.nextGaussian();
            }
        }
        for (int m = 1; m <= movies; m++) {
            mb[m] = r.nextGaussian() * 0.5;
            for (int j = 0; j < 3; j++) {
                mf[m][j] = r.nextGaussian();
            }
        }
        StringBuilder data = new StringBuilder();
        for (int u = 1; u <= users; u++) {
            int[] order = r.ints(1, movies + 1).distinct().limit(perUser).toArray();
            for (int m : order) {
                double dot = 0;
                for (int j = 0; j < 3; j++) {
                    dot += uf[u][j] * mf[m][j];
                }
                long rating = Math.max(1, Math.min(5, Math.round(3.5 + ub[u] + mb[m] + 0.5 * dot + 0.2 * r.nextGaussian())));
                data.append(u).append('\t').append(m).append('\t').append(rating).append('\t').append(880000000 + r.nextInt(1000000)).append('\n');
            }
        }
        Files.writeString(dir.resolve("u.data"), data.toString(), StandardCharsets.US_ASCII);
        StringBuilder item = new StringBuilder();
        for (int m = 1; m <= movies; m++) {
            StringBuilder flags = new StringBuilder();
            for (int g = 0; g < 19; g++) {
                flags.append('|').append(g == 1 + m % 18 ? 1 : 0);
            }
            item.append(m).append("|Movie ").append(m).append(" (").append(1950 + m).append(")|01-Jan-").append(1950 + m)
                    .append("||http://example.invalid/").append(m).append(flags).append('\n');
        }
        Files.writeString(dir.resolve("u.item"), item.toString(), StandardCharsets.ISO_8859_1);
        StringBuilder user = new StringBuilder();
        String[] jobs = {"engineer", "student", "artist"};
        for (int u = 1; u <= users; u++) {
            user.append(u).append('|').append(18 + u % 50).append('|').append(u % 2 == 0 ? "M" : "F").append('|')
                    .append(jobs[u % 3]).append("|0").append(u).append('\n');
        }
        Files.writeString(dir.resolve("u.user"), user.toString(), StandardCharsets.ISO_8859_1);
        return dir;
    }
}
