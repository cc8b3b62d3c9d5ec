package io.github.fastdl4j.collab.data;

import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.testing.Fuzz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The streaming path for ratings: what it reads, what it leaves to the table path, and its memory shape. */
class RatingsStreamTest {

    private static final List<String> CSV = List.of("userId", "movieId", "rating", "timestamp");

    @TempDir
    Path tmp;

    private RatingsStream.Read csv(String text) throws IOException {
        Path f = tmp.resolve("r" + Math.abs(text.hashCode()) + ".csv");
        Files.write(f, text.getBytes(StandardCharsets.ISO_8859_1));
        return RatingsStream.read(f, StandardCharsets.UTF_8, ",", null, CSV, 0.5, 0.5, 5);
    }

    @Test
    void readsPlainLinesExactly() throws IOException {
        // a BOM (as bytes), CRLF, leading zeros, the largest 9-digit id, no final newline, columns in another order
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        Path f = tmp.resolve("bom.csv");
        Files.write(f, bom);
        Files.write(f, "timestamp,rating,movieId,extra,userId\r\n964982703,3.5,12,x y,007\r\n0,5,999999999,,2\n1,0.50,1,z,3"
                .getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        RatingsStream.Read r = RatingsStream.read(f, StandardCharsets.UTF_8, ",", null, CSV, 0.5, 0.5, 5);
        assertNotNull(r);
        assertEquals(3, r.n());
        assertArrayEquals(new int[]{7, 2, 3}, Arrays.copyOf(r.user(), 3));
        assertArrayEquals(new int[]{12, 999999999, 1}, Arrays.copyOf(r.item(), 3));
        assertArrayEquals(new float[]{3.5f, 5f, 0.5f}, Arrays.copyOf(r.rating(), 3));
        assertArrayEquals(new long[]{964982703L, 0, 1}, Arrays.copyOf(r.time(), 3));
    }

    @Test
    void readsTabAndDoubleColonLayouts() throws IOException {
        Path f = tmp.resolve("u.data");
        Files.writeString(f, "196\t242\t3\t881250949\n186\t302\t3\t891717742\n");
        List<String> cols = List.of("user id", "item id", "rating", "timestamp");
        RatingsStream.Read r = RatingsStream.read(f, StandardCharsets.US_ASCII, "\t", cols, cols, 1, 1, 5);
        assertEquals(2, r.n());
        assertEquals(302, r.item()[1]);
        Path d = tmp.resolve("ratings.dat");
        Files.writeString(d, "1::1193::5::978300760\n1::661::3::978302109\n");
        cols = List.of("UserID", "MovieID", "Rating", "Timestamp");
        r = RatingsStream.read(d, StandardCharsets.UTF_8, "::", cols, cols, 1, 1, 5);
        assertEquals(2, r.n());
        assertEquals(661, r.item()[1]);
        assertEquals(978302109L, r.time()[1]);
        Files.writeString(d, "1::1193::5::978300760\n1:::661::3::978302109\n");
        assertNull(RatingsStream.read(d, StandardCharsets.UTF_8, "::", cols, cols, 1, 1, 5), "':661' is not an id");
        Files.writeString(d, "1::1193::5::978300760::x\n");
        assertNull(RatingsStream.read(d, StandardCharsets.UTF_8, "::", cols, cols, 1, 1, 5), "a fifth field");
    }

    /** Each of these lines is one the stream must not decide: the table path reads it or names its error. */
    @Test
    void leavesEverythingNotPlainToTheTablePath() throws IOException {
        String head = "userId,movieId,rating,timestamp\n1,1,4,1\n";
        for (String bad : List.of(
                "2,\"3\",4,5\n",         // quoted
                "2,3,4,5\n\n",           // a blank line
                "2, 3,4,5\n",            // a space
                "2,3,4\n",               // too few fields
                "2,3,4,5,\n",            // too many
                "2,3,4.25,5\n",          // off the half-star scale
                "2,3,0,5\n",             // below it
                "2,3,NaN,5\n",           // not a number
                "2,3,1e0,5\n",           // a number written another way
                "2,3,4.,5\n",            // nor this
                "2,3,,5\n",              // missing
                "2,-3,4,5\n",            // a sign
                "2,1234567890,4,5\n",    // a 10-digit id
                "2,3,4,1000000000000000\n", // a 16-digit time
                "2,3,4,5\r6,7,4,8\n",    // a lone CR
                "2,3,4,\u00e9\n")) {     // a byte outside ASCII
            assertNull(csv(head + bad), bad);
        }
        assertNull(csv("userId,movieId,rating\n1,1,4\n"), "no timestamp column");
        assertNull(csv("userId,movieId,rating,timestamp,\n1,1,4,5,\n"), "an unnamed column");
        assertNull(csv("userId,movieId,rating,userId,timestamp\n1,1,4,1,5\n"), "a repeated column");
        assertNull(csv("userId,movieId,rating,timestamp\n"), "no rows");
        assertNotNull(csv(head), "the plain lines alone are read");
    }

    @Test
    void numbersAreTheNearestDouble() {
        for (String v : List.of("0.1", "3.5", "4.99999999999999", "123456789012345", "0.00000000000001", "5", "0.50")) {
            byte[] b = v.getBytes(StandardCharsets.US_ASCII);
            assertEquals(Double.parseDouble(v), RatingsStream.number(b, 0, b.length), v);
        }
    }

    /**
     * Both paths give the same ratings: the same file read plainly by the stream, and with one quoted
     * cell (which the stream leaves to the table path) in a column that is not read.
     */
    @Test
    void theStreamAndTheTablePathAgree() throws IOException {
        StringBuilder plain = new StringBuilder("userId,movieId,rating,timestamp,note\n");
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 3000; i++) {
            plain.append(rnd.nextInt(1, 200)).append(',').append(rnd.nextInt(5, 90)).append(',').append(rnd.nextInt(1, 11) / 2.0)
                    .append(',').append(rnd.nextLong(0, 2_000_000_000L)).append(",x\n"); // duplicates pairs too
        }
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Files.createDirectories(a);
        Files.createDirectories(b);
        Files.writeString(a.resolve("ratings.csv"), plain);
        Files.writeString(b.resolve("ratings.csv"), plain + "1,5,3.5,7,\"quoted, so the table path reads it\"\n");
        Files.writeString(a.resolve("ratings.csv"), "1,5,3.5,7,x\n", StandardOpenOption.APPEND);
        assertNotNull(RatingsStream.read(a.resolve("ratings.csv"), StandardCharsets.UTF_8, ",", null, CSV, 0.5, 0.5, 5));
        assertNull(RatingsStream.read(b.resolve("ratings.csv"), StandardCharsets.UTF_8, ",", null, CSV, 0.5, 0.5, 5));
        Ratings x = Ratings.load(a);
        Ratings y = Ratings.load(b);
        assertTrue(x.size() < 3001, "duplicate pairs are folded");
        assertEquals(y.userVocab().ids(), x.userVocab().ids());
        assertEquals(y.movieVocab().ids(), x.movieVocab().ids());
        assertArrayEquals(y.user(), x.user());
        assertArrayEquals(y.movie(), x.movie());
        assertArrayEquals(y.rating(), x.rating());
        assertArrayEquals(y.timestamp(), x.timestamp());
        assertEquals(y.minRating(), x.minRating());
        assertEquals(y.maxRating(), x.maxRating());
    }

    /**
     * Mutated MovieLens files (the harness's edits: bytes, quotes, separators, numbers) read both
     * ways give the same ratings or the same one-line error: the stream only takes what it reads
     * exactly as the table path does.
     */
    @Test
    void mutantsReadTheSameBothWays() throws IOException {
        StringBuilder data = new StringBuilder();
        Random rnd = new Random(3);
        for (int i = 0; i < 300; i++) {
            data.append(1 + rnd.nextInt(40)).append('\t').append(1 + rnd.nextInt(60)).append('\t').append(1 + rnd.nextInt(5)).append('\t')
                    .append(880_000_000 + rnd.nextInt(1_000_000)).append('\n');
        }
        byte[] udata = data.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] csv = ("userId,movieId,rating,timestamp\n" + data.toString().replace('\t', ',')).getBytes(StandardCharsets.US_ASCII);
        byte[] dat = data.toString().replace("\t", "::").getBytes(StandardCharsets.US_ASCII);
        int tries = Fuzz.iterations() * 4;
        int streamed = 0;
        for (String[] layout : new String[][]{{"u.data", "0"}, {"ratings.csv", "1"}, {"ratings.dat", "2"}}) {
            byte[] original = layout[1].equals("0") ? udata : layout[1].equals("1") ? csv : dat;
            Path d = Files.createDirectories(tmp.resolve("fuzz-" + layout[0]));
            for (int k = 0; k < tries; k++) {
                Fuzz.Mutant m = Fuzz.mutate(original,
                        new Random(k * 31L + layout[1].hashCode()));
                Files.write(d.resolve(layout[0]), m.bytes());
                String what = layout[0] + " " + m.what();
                Object table = loadOrError(d, false);
                Object stream = loadOrError(d, true);
                if (table instanceof String t) {
                    assertEquals(t, stream, what);
                    continue;
                }
                Ratings x = (Ratings) stream;
                Ratings y = (Ratings) table;
                assertEquals(y.userVocab().ids(), x.userVocab().ids(), what);
                assertEquals(y.movieVocab().ids(), x.movieVocab().ids(), what);
                assertArrayEquals(y.user(), x.user(), what);
                assertArrayEquals(y.movie(), x.movie(), what);
                assertArrayEquals(y.rating(), x.rating(), what);
                assertArrayEquals(y.timestamp(), x.timestamp(), what);
                Path file = d.resolve(layout[0]);
                List<String> cols = List.of("a", "b", "c", "d");
                if (RatingsStream.read(file, StandardCharsets.UTF_8, layout[1].equals("0") ? "\t" : layout[1].equals("1") ? "," : "::",
                        layout[1].equals("1") ? null : cols, layout[1].equals("1") ? CSV : cols, 0.5, 0.5, 5) != null) {
                    streamed++;
                }
            }
        }
        assertTrue(streamed > 0, "some mutants are still plain and streamed");
    }

    private static Object loadOrError(Path dir, boolean stream) {
        try {
            return RatingsLoader.load(dir, null, stream);
        } catch (BadInputException e) {
            return e.getMessage();
        }
    }

    /**
     * The memory shape: 1.5M ratings (a 37 MB file, 30 MB of columns) read in a JVM of 80 MB heap.
     * Through the table path (a String per id, a map of pairs) this ran out of memory at 256 MB; with
     * doubling columns, a hash table of pairs and a second copy of the columns it did at 80 MB.
     */
    @Test
    void aMillionAndAHalfRatingsFitInASmallHeap() throws IOException, InterruptedException {
        Path d = tmp.resolve("big");
        Files.createDirectories(d);
        int n = 1_500_000;
        try (BufferedWriter w = Files.newBufferedWriter(d.resolve("ratings.csv"))) {
            w.write("userId,movieId,rating,timestamp\n");
            SplittableRandom rnd = new SplittableRandom(1);
            for (int i = 0; i < n; i++) {
                // every pair once: user i % 60000, movie i / 60000
                w.write((i % 60_000 + 1) + "," + (i / 60_000 + 1) + "," + rnd.nextInt(1, 11) / 2.0 + "," + (1_000_000_000L + i) + "\n");
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx80m", "-cp", System.getProperty("java.class.path"), LoadRatings.class.getName(),
                d.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("ratings " + n + " users 60000 movies 25"), out);
    }

    /** Loads a folder and prints its counts (run in a forked JVM with a small heap). */
    public static final class LoadRatings {
        public static void main(String[] args) {
            Ratings r = Ratings.load(Path.of(args[0]));
            System.out.println("ratings " + r.size() + " users " + (r.userVocab().size() - 1) + " movies " + (r.movieVocab().size() - 1));
        }
    }
}
