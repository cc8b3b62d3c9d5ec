package io.github.fastdl4j.collab.model;

import io.github.fastdl4j.collab.cli.CollabMain;
import io.github.fastdl4j.collab.data.IdVocab;
import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.collab.interpret.CollabInterpretation;
import io.github.fastdl4j.collab.testing.SyntheticRatings;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.testing.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A model of 10M ratings' size answers queries without work proportional to its training data. */
class CollabModelScaleTest {

    @TempDir
    Path tmp;

    /**
     * The factors and biases of 100k users come out as Java arrays in a bulk copy, the same values
     * as the weights: ND4J's row-by-row toDoubleMatrix took 13-20 s for these 100k biases, which
     * interpret, the training's charts and evaluate's ranking all ask for.
     */
    @Test
    void factorsAndBiasesOfAHundredThousandUsersComeOutAtOnce() {
        int n = 100_000;
        List<String> ids = new ArrayList<>();
        int[] user = new int[n];
        int[] movie = new int[n];
        float[] rating = new float[n];
        for (int i = 0; i < n; i++) {
            ids.add(Integer.toString(i + 1));
            user[i] = i + 1;
            movie[i] = 1 + i % 3;
            rating[i] = 1 + i % 5;
        }
        Ratings r = new Ratings(IdVocab.of(ids), IdVocab.of(List.of("1", "2", "3")), user, movie, rating, new long[n], 1, 5,
                Map.of(), Map.of(), List.of(), "x", tmp);
        CollabModel m = CollabModel.create(new CollabSpec("dot", n + 1, 4, 6, 0, 5.5, List.of(100), 3), r);
        long t0 = System.nanoTime();
        double[] ub = m.userBias();
        double[][] uf = m.userFactors();
        double[] mb = m.movieBias();
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds < 5, "100k users' factors and biases took " + seconds + " s");
        INDArray w = m.trainable().weights(CollabModel.USER_FACTORS);
        INDArray b = m.trainable().weights(CollabModel.USER_BIAS);
        assertEquals(n + 1, uf.length);
        for (int i : new int[]{0, 1, 777, n}) {
            assertEquals(b.getDouble(i, 0), ub[i], 0.0, "bias " + i);
            for (int f = 0; f < 6; f++) {
                assertEquals(w.getDouble(i, f), uf[i][f], 0.0, "factor " + i + "," + f);
            }
        }
        assertEquals(m.trainable().weights(CollabModel.MOVIE_BIAS).getDouble(3, 0), mb[3], 0.0);
    }

    /**
     * The users' rated movies (seen.json, 65 MB at 10M ratings) are read when a command needs them:
     * similar and interpret answer from a model whose seen.json is damaged, recommend says in one
     * line what is wrong with it.
     */
    @Test
    void seenIsReadOnlyByTheQueriesThatNeedIt() throws IOException {
        Path data = SyntheticRatings.write(tmp.resolve("syn"), 40, 30, 12, 1);
        CliRun t = CliRun.run(new CollabMain(), "collab", "train", "--ratings", data.toString(), "--epochs", "1", "--factors", "4",
                "--out", tmp.resolve("run").toString());
        assertEquals(0, t.code(), t.err());
        Path zip = tmp.resolve("run").resolve("model.zip");
        Path damaged = tmp.resolve("damaged.zip");
        try (ZipFile in = new ZipFile(zip.toFile()); OutputStream os = Files.newOutputStream(damaged);
             ZipOutputStream out = new ZipOutputStream(os)) {
            for (ZipEntry e : Collections.list(in.entries())) {
                out.putNextEntry(new ZipEntry(e.getName()));
                try (InputStream is = in.getInputStream(e)) {
                    out.write(e.getName().equals("seen.json") ? "[[1,2],[999]]".getBytes(StandardCharsets.UTF_8) : is.readAllBytes());
                }
                out.closeEntry();
            }
        }
        CollabModel m = CollabModel.load(damaged);
        assertFalse(new CollabInterpretation(m).similar(1, 3, 0).isEmpty());
        BadInputException e = assertThrows(BadInputException.class, () -> m.seen(1));
        assertTrue(e.getMessage().contains("entry seen.json has 2 rows"), e.getMessage());
        CliRun rec = CliRun.run(new CollabMain(), "collab", "recommend", "--user", "3", "--model-file", damaged.toString());
        assertEquals(1, rec.code(), rec.out() + rec.err());
        assertTrue(rec.err().contains("seen.json") && !rec.err().contains("\tat "), rec.err());
        CliRun sim = CliRun.run(new CollabMain(), "collab", "similar", "--movie-id", "5", "--min-ratings", "0", "--model-file",
                damaged.toString());
        assertEquals(0, sim.code(), sim.err());
    }
}
