package io.github.fastdl4j.collab.data;

import io.github.fastdl4j.common.data.BadInputException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RatingsLoaderTest {

    @TempDir
    Path tmp;

    private static String flags(int... on) {
        StringBuilder sb = new StringBuilder();
        for (int g = 0; g < 19; g++) {
            final int gg = g;
            sb.append('|').append(Arrays.stream(on).anyMatch(x -> x == gg) ? 1 : 0);
        }
        return sb.toString();
    }

    private Path ml100k() throws IOException {
        Path d = tmp.resolve("ml");
        Files.createDirectories(d);
        Files.writeString(d.resolve("u.data"), "196\t242\t3\t881250949\n186\t302\t3\t891717742\n"
                + "22\t377\t1\t878887116\n196\t242\t5\t881250950\n10\t302\t4\t881250951\n");
        Files.write(d.resolve("u.item"), ("242|Kolya (1996)|24-Jan-1997||http://x" + flags(8) + "\n"
                + "302|Misérables, Les (1995)|||http://x" + flags(8, 14) + "\n"
                + "377|Heavyweights (1994)|01-Jan-1994||http://x" + flags(2, 5) + "\n").getBytes(StandardCharsets.ISO_8859_1));
        Files.writeString(d.resolve("u.user"), "196|49|M|writer|55105\n186|39|F|executive|00000\n"
                + "22|25|M|writer|40206\n10|53|M|lawyer|90703\n");
        return d;
    }

    @Test
    void readsMl100kWithLatin1TitlesAndKeepsTheLastDuplicate() throws IOException {
        Ratings r = Ratings.load(ml100k());
        assertEquals(4, r.size(), "the duplicate (196, 242) pair is kept once");
        int i = indexOf(r, "196", "242");
        assertEquals(5f, r.rating()[i], "the last rating of a duplicate pair wins");
        assertEquals("Misérables, Les (1995)", r.title(r.movieVocab().index("302")));
        MovieInfo m = r.movieInfo().get("302");
        assertEquals(List.of("Drama", "Romance"), m.genres());
        assertEquals(1995, m.year(), "year from the title when the release date is empty");
        assertEquals(1997, r.movieInfo().get("242").year());
        assertEquals(new UserInfo(39, "F", "executive"), r.userInfo().get("186"));
        assertEquals(1, r.minRating());
        assertEquals(5, r.maxRating());
        assertEquals(64, r.checksum().length());
    }

    @Test
    void idsBecomeContiguousIndicesWithZeroForUnknown() throws IOException {
        Ratings r = Ratings.load(ml100k());
        IdVocab u = r.userVocab();
        assertEquals(List.of(IdVocab.NA, "10", "22", "186", "196"), u.ids(), "numeric ids sort numerically");
        for (int k = 0; k < u.size(); k++) {
            assertEquals(k, u.index(u.id(k)));
        }
        assertEquals(0, u.index("999"));
        assertFalse(u.contains(IdVocab.NA));
        for (int k = 0; k < r.size(); k++) {
            assertTrue(r.user()[k] > 0 && r.movie()[k] > 0);
        }
    }

    @Test
    void ratingsAloneAreEnough() throws IOException {
        Path d = tmp.resolve("only");
        Files.createDirectories(d);
        Files.writeString(d.resolve("u.data"), "1\t1\t4\t1\n2\t1\t2\t2\n");
        Ratings r = Ratings.load(d);
        assertEquals(2, r.size());
        assertFalse(r.hasMovieInfo());
        assertFalse(r.hasUserInfo());
        assertEquals("movie 1", r.title(1));
    }

    @Test
    void readsTheCsvLayoutWithQuotedCommasAndHalfStars() throws IOException {
        Path d = tmp.resolve("csv");
        Files.createDirectories(d);
        Files.writeString(d.resolve("ratings.csv"), "userId,movieId,rating,timestamp\n1,11,4.5,964982703\n"
                + "1,3,0.5,964981247\n2,11,3.0,964982224\n");
        Files.writeString(d.resolve("movies.csv"), "movieId,title,genres\n"
                + "3,Grumpier Old Men (1995),Comedy|Romance\n"
                + "11,\"American President, The (1995)\",Comedy|Drama|Romance\n"
                + "12,Untitled,(no genres listed)\n");
        Ratings r = Ratings.load(d);
        assertEquals(3, r.size());
        assertEquals(0.5, r.minRating());
        assertEquals("American President, The (1995)", r.title(r.movieVocab().index("11")));
        assertEquals(List.of("Comedy", "Drama", "Romance"), r.movieInfo().get("11").genres());
        assertEquals(List.of("Comedy", "Romance", "Drama"), r.genreNames());
        assertNull(r.movieInfo().get("12").year());
        assertEquals(4.5f, r.rating()[indexOf(r, "1", "11")]);
    }

    private static int indexOf(Ratings r, String user, String movie) {
        for (int i = 0; i < r.size(); i++) {
            if (r.userVocab().id(r.user()[i]).equals(user) && r.movieVocab().id(r.movie()[i]).equals(movie)) {
                return i;
            }
        }
        throw new AssertionError("no rating " + user + "/" + movie);
    }

    private String error(String file, String content) throws IOException {
        Path d = tmp.resolve("bad-" + Math.abs(content.hashCode()));
        Files.createDirectories(d);
        Files.writeString(d.resolve(file), content);
        return assertThrows(BadInputException.class, () -> Ratings.load(d)).getMessage();
    }

    @Test
    void badInputNamesFileLineAndField() throws IOException {
        String m = error("u.data", "1\t1\t4\t1\n1\t2\t4\n");
        assertTrue(m.endsWith("u.data:2: field 'line': expected 4 fields (user id, item id, rating, timestamp), found 3"), m);
        m = error("u.data", "1\t1\t6\t1\n");
        assertTrue(m.contains("u.data:1: field 'rating': rating 6 is outside the scale 1..5"), m);
        m = error("u.data", "1\t1\t3.5\t1\n");
        assertTrue(m.contains("outside the scale 1..5 in whole stars"), m);
        m = error("u.data", "1\t1\tfour\t1\n");
        assertTrue(m.contains("u.data:1: field 'rating': expected a number, got 'four'"), m);
        m = error("u.data", "1\t1\t4\tyesterday\n");
        assertTrue(m.contains("field 'timestamp'"), m);
        m = error("ratings.csv", "userId,movieId,rating,timestamp\n1,1,0.3,5\n");
        assertTrue(m.contains("ratings.csv:2: field 'rating': rating 0.3 is outside the scale 0.5..5 in half stars"), m);
        m = error("ratings.csv", "user,movie,rating,timestamp\n1,1,3,5\n");
        assertTrue(m.contains("ratings.csv:1: field 'userId': missing column"), m);
        Path empty = tmp.resolve("empty");
        Files.createDirectories(empty);
        m = assertThrows(BadInputException.class, () -> Ratings.load(empty)).getMessage();
        assertTrue(m.contains("expected u.data (ml-100k layout), ratings.dat (ml-1m, ml-10m) or ratings.csv"), m);
    }

    @Test
    void badMetadataLinesAreReported() throws IOException {
        Path d = ml100k();
        Files.writeString(d.resolve("u.user"), "196|49|X|writer|55105\n");
        String m = assertThrows(BadInputException.class, () -> Ratings.load(d)).getMessage();
        assertTrue(m.contains("u.user:1: field 'gender': expected M or F, got 'X'"), m);
    }

    @Test
    void aByteOrderMarkIsSkipped() throws IOException {
        Path d = tmp.resolve("bom");
        Files.createDirectories(d);
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = "userId,movieId,rating,timestamp\r\n1,10,4.0,5\r\n2,10,3.5,6\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, all, 0, 3);
        System.arraycopy(body, 0, all, 3, body.length);
        Files.write(d.resolve("ratings.csv"), all);
        Ratings r = Ratings.load(d);
        assertEquals(2, r.size());
        assertEquals(Set.of("1", "2"), Set.copyOf(r.userVocab().ids().subList(1, 3)));
    }

    @Test
    void invalidBytesNameFileLineAndOffset() throws IOException {
        Path d = tmp.resolve("enc");
        Files.createDirectories(d);
        byte[] head = "userId,movieId,rating,timestamp\n1,10,4.0,5\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = {'2', ',', (byte) 0xC3, '(', ',', '3', ',', '6', '\n'};
        byte[] all = Arrays.copyOf(head, head.length + bad.length);
        System.arraycopy(bad, 0, all, head.length, bad.length);
        Files.write(d.resolve("ratings.csv"), all);
        String m = assertThrows(BadInputException.class, () -> Ratings.load(d)).getMessage();
        assertTrue(m.contains("ratings.csv:3: byte offset " + (head.length + 2) + ": 0xC3 is not valid UTF-8 text"), m);
    }

    @Test
    void itemTitlesReadRightInUtf8AndInLatin1() throws IOException {
        Path d = ml100k(); // u.item in Latin-1, as the release
        assertEquals("Misérables, Les (1995)", Ratings.load(d).title(Ratings.load(d).movieVocab().index("302")));
        String latin1 = Files.readString(d.resolve("u.item"), StandardCharsets.ISO_8859_1);
        Files.writeString(d.resolve("u.item"), latin1, StandardCharsets.UTF_8); // a copy re-encoded as UTF-8
        Ratings r = Ratings.load(d);
        assertEquals("Misérables, Les (1995)", r.title(r.movieVocab().index("302")));
    }

    @Test
    void idsMustBeWholeNumbers() throws IOException {
        String m = error("u.data", "1\t1\t4\t1\nabc\t2\t4\t1\n");
        assertTrue(m.contains("u.data:2: field 'user id': expected a whole-number id, got 'abc'"), m);
        m = error("u.data", "1\t1.5\t4\t1\n");
        assertTrue(m.contains("u.data:1: field 'item id': expected a whole-number id, got '1.5'"), m);
        m = error("ratings.csv", "userId,movieId,rating,timestamp\n1,x7,4,5\n");
        assertTrue(m.contains("ratings.csv:2: field 'movieId': expected a whole-number id, got 'x7'"), m);
        m = error("u.data", "1\t1\tNaN\t1\n");
        assertTrue(m.contains("field 'rating'"), m);
    }

    /** --ratings /dev/null is there but is no folder: said so, not "no ratings found in this folder". */
    @Test
    void aDeviceOrAMissingPathIsNamedForWhatItIs() {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/null")));
        assertEquals("/dev/null: not a folder (a device, pipe or socket, such as /dev/null); a folder of ratings is needed",
                assertThrows(BadInputException.class, () -> Ratings.load(Path.of("/dev/null"))).getMessage());
        Path missing = tmp.resolve("nowhere");
        assertEquals(missing + ": folder not found", assertThrows(BadInputException.class, () -> Ratings.load(missing)).getMessage());
    }
}
