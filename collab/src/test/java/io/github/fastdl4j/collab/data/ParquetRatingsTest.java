package io.github.fastdl4j.collab.data;

import io.github.fastdl4j.collab.cli.CollabMain;
import io.github.fastdl4j.common.data.CsvTable;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.testing.CliRun;
import io.github.fastdl4j.common.testing.ParquetFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ratings from Parquet: the same Ratings as the same data in CSV, and every refusal in one line. */
class ParquetRatingsTest {

    private static final String MOVIELENS = "message r { required int32 userId; required int32 movieId; required float rating; "
            + "required int64 timestamp; }";

    @TempDir
    Path tmp;

    /** Random ratings with duplicate pairs, ids up to 10^6 (the stream's sorted-vocabulary case too). */
    private static List<Object[]> rows(int n, long seed) {
        Random r = new Random(seed);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(new Object[]{1 + r.nextInt(i % 3 == 0 ? 1_000_000 : 50), 1 + r.nextInt(40), (1 + r.nextInt(10)) / 2f,
                    900_000_000L + r.nextInt(1000)});
        }
        return rows;
    }

    private static void writeCsv(Path file, String header, List<Object[]> rows) throws IOException {
        StringBuilder b = new StringBuilder(header).append('\n');
        for (Object[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                b.append(j == 0 ? "" : ",").append(row[j] instanceof Float f ? CsvTable.keyOf(f) : row[j]);
            }
            b.append('\n');
        }
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    }

    private static void assertSameRatings(Ratings a, Ratings b) {
        assertEquals(a.userVocab().ids(), b.userVocab().ids());
        assertEquals(a.movieVocab().ids(), b.movieVocab().ids());
        assertArrayEquals(a.user(), b.user());
        assertArrayEquals(a.movie(), b.movie());
        assertArrayEquals(a.rating(), b.rating());
        assertArrayEquals(a.timestamp(), b.timestamp());
        assertEquals(a.minRating(), b.minRating());
        assertEquals(a.maxRating(), b.maxRating());
    }

    @Test
    void theRatingsCsvLayoutGivesTheCsvPathsRatings() throws IOException {
        List<Object[]> rows = rows(3000, 1);
        Path csvDir = Files.createDirectories(tmp.resolve("csv"));
        writeCsv(csvDir.resolve("ratings.csv"), "userId,movieId,rating,timestamp", rows);
        Path pq = ParquetFixtures.write(tmp.resolve("ratings.parquet"), MOVIELENS, rows);
        Ratings fromCsv = RatingsLoader.load(csvDir);
        Ratings fromParquet = RatingsLoader.load(pq);
        assertTrue(fromCsv.size() < 3000, "the sample has duplicate pairs to fold");
        assertSameRatings(fromCsv, fromParquet);
        assertEquals(0.5, fromParquet.minRating());
        assertEquals(tmp.toAbsolutePath(), fromParquet.source().toAbsolutePath());
        // a folder holding ratings.parquet reads it, as a folder holding ratings.csv reads that, with its movies.csv
        Path dir = Files.createDirectories(tmp.resolve("pqdir"));
        Files.copy(pq, dir.resolve("ratings.parquet"));
        StringBuilder movies = new StringBuilder("movieId,title,genres\n");
        for (int m = 1; m <= 40; m++) {
            movies.append(m).append(",\"Movie ").append(m).append(", The (19").append(50 + m).append(")\",Drama|Comedy\n");
        }
        Files.writeString(dir.resolve("movies.csv"), movies);
        Files.writeString(csvDir.resolve("movies.csv"), movies);
        Ratings withTitles = RatingsLoader.load(dir);
        Ratings csvWithTitles = RatingsLoader.load(csvDir);
        assertSameRatings(csvWithTitles, withTitles);
        assertEquals(csvWithTitles.movieInfo(), withTitles.movieInfo());
        assertEquals(csvWithTitles.genreNames(), withTitles.genreNames());
        assertEquals(new MovieInfo("Movie 7, The (1957)", 1957, List.of("Drama", "Comedy")), withTitles.movieInfo().get("7"));
        assertEquals(withTitles.checksum(), RatingsLoader.load(dir).checksum());
        assertTrue(!withTitles.checksum().equals(fromParquet.checksum()), "movies.csv is part of what was read");
    }

    @Test
    void userItemRatingColumnsAndTheNamedColumnsOfCsvGiveTheTablePathsRatings() throws IOException {
        List<Object[]> rows = new ArrayList<>();
        Random r = new Random(3);
        for (int i = 0; i < 500; i++) {
            rows.add(new Object[]{"u" + r.nextInt(30), (long) r.nextInt(20) - 5, (double) r.nextInt(11)});
        }
        Path csv = tmp.resolve("t.csv");
        writeCsv(csv, "user,item,rating", rows);
        Path pq = ParquetFixtures.write(tmp.resolve("t.parquet"), "message r { required binary user (STRING); required int64 item; "
                + "required double rating; }", rows);
        Ratings fromCsv = RatingsLoader.fromTable(new RatingsLoader.Columns(csv, "user", "item", "rating", null, CsvTable.Format.csv(),
                null, "id", "title"));
        assertSameRatings(fromCsv, RatingsLoader.load(pq));
        assertSameRatings(fromCsv, RatingsLoader.fromTable(new RatingsLoader.Columns(pq, "user", "item", "rating", null,
                CsvTable.Format.csv(), null, "id", "title")));
        assertEquals(0, fromCsv.minRating());
        assertEquals(10, fromCsv.maxRating());
    }

    @Test
    void titlesFromAColumnOrAnItemsTableAsForCsv() throws IOException {
        List<Object[]> rows = List.of(new Object[]{"ann", "m1", 4.0, "Heat (1995)"}, new Object[]{"bob", "m2", 2.0, "Up (2009)"},
                new Object[]{"bob", "m1", 5.0, "Heat (1995)"});
        Path csv = tmp.resolve("t.csv");
        Files.writeString(csv, "u,i,r,t\nann,m1,4,Heat (1995)\nbob,m2,2,Up (2009)\nbob,m1,5,Heat (1995)\n");
        Path pq = ParquetFixtures.write(tmp.resolve("t.parquet"), "message r { required binary u (STRING); required binary i (STRING); "
                + "required double r; optional binary t (STRING); }", rows);
        Ratings a = RatingsLoader.fromTable(new RatingsLoader.Columns(csv, "u", "i", "r", "t", CsvTable.Format.csv(), null, "id", "title"));
        Ratings b = RatingsLoader.fromTable(new RatingsLoader.Columns(pq, "u", "i", "r", "t", CsvTable.Format.csv(), null, "id", "title"));
        assertSameRatings(a, b);
        assertEquals(a.movieInfo(), b.movieInfo());
        assertEquals(new MovieInfo("Up (2009)", 2009, List.of()), b.movieInfo().get("m2"));
        Path items = Files.writeString(tmp.resolve("items.csv"), "id,title\nm1,Heat (1995)\nm2,Up (2009)\n");
        Ratings c = RatingsLoader.fromTable(new RatingsLoader.Columns(csv, "u", "i", "r", null, CsvTable.Format.csv(), items, "id", "title"));
        Ratings d = RatingsLoader.fromTable(new RatingsLoader.Columns(pq, "u", "i", "r", null, CsvTable.Format.csv(), items, "id", "title"));
        assertSameRatings(c, d);
        assertEquals(c.movieInfo(), d.movieInfo());
        assertTrue(!d.checksum().equals(b.checksum()), "the items table is part of what was read");
    }

    @Test
    void aSparkFolderOfPartsIsOneTable() throws IOException {
        List<Object[]> rows = rows(200, 5);
        Path out = Files.createDirectories(tmp.resolve("ratings-out"));
        ParquetFixtures.write(out.resolve("part-00000-x.snappy.parquet"), MOVIELENS, rows.subList(0, 120));
        ParquetFixtures.write(out.resolve("part-00001-x.snappy.parquet"), MOVIELENS, rows.subList(120, 200));
        Files.writeString(out.resolve("_SUCCESS"), "");
        Path one = ParquetFixtures.write(tmp.resolve("one.parquet"), MOVIELENS, rows);
        assertSameRatings(RatingsLoader.load(one), RatingsLoader.load(out));
    }

    private String refusal(Path p) {
        return assertThrows(BadInputException.class, () -> RatingsLoader.load(p)).getMessage();
    }

    @Test
    void whatIsWrongIsOneLineNamingFileRowAndColumn() throws IOException {
        Path f = tmp.resolve("r.parquet");
        String nullable = "message r { required int32 userId; required int32 movieId; optional double rating; }";
        ParquetFixtures.write(f, nullable, List.<Object[]>of(new Object[]{1, 2, 4.0}, new Object[]{1, 3, null}));
        assertEquals(f + ": row 2: field 'rating': empty (a null): every rating needs a value", refusal(f));
        ParquetFixtures.write(f, nullable, List.<Object[]>of(new Object[]{1, 2, 4.0}, new Object[]{1, 3, 7.0}));
        assertTrue(refusal(f).startsWith(f + ": row 2: field 'rating': rating 7 is outside the scale 0.5..5 in half stars"), refusal(f));
        ParquetFixtures.write(f, nullable, List.<Object[]>of(new Object[]{1, 2, Double.NaN}));
        assertEquals(f + ": row 1: field 'rating': expected a number, got NaN", refusal(f));
        ParquetFixtures.write(f, "message r { required int32 userId; required int32 movieId; required binary rating (STRING); }",
                List.<Object[]>of(new Object[]{1, 2, "4"}));
        assertEquals(f + ": column 'rating': ratings are numbers, found BINARY (STRING)", refusal(f));
        ParquetFixtures.write(f, "message r { required int32 userId; required int32 movieId; required float rating; "
                + "required binary timestamp (STRING); }", List.<Object[]>of(new Object[]{1, 2, 4f, "x"}));
        assertEquals(f + ": column 'timestamp': expected whole seconds or a timestamp, found BINARY (STRING)", refusal(f));
        ParquetFixtures.write(f, "message r { required int32 userId; required double movieId; required float rating; }",
                List.<Object[]>of(new Object[]{1, 2.5, 4f}));
        assertEquals(f + ": column 'movieId': ids are whole numbers or text, found DOUBLE", refusal(f));
        ParquetFixtures.write(f, "message r { required int32 userId; required int32 movieId; required float rating; }",
                List.<Object[]>of(new Object[]{-1, 2, 4f}));
        assertEquals(f + ": row 1: field 'userId': expected a whole-number id, got '-1'", refusal(f));
        ParquetFixtures.write(f, "message r { required int32 userId; required int32 item; required float stars; }",
                List.<Object[]>of(new Object[]{1, 2, 4f}));
        assertTrue(refusal(f).startsWith(f + ": column 'movieId': no such column; a Parquet file of ratings has userId, movieId, rating"),
                refusal(f));
        assertTrue(refusal(f).endsWith("the file has userId, item, stars"), refusal(f));
        ParquetFixtures.write(f, MOVIELENS, List.of());
        assertEquals(f + ": no ratings in the ratings file", refusal(f));
        Path csv = Files.writeString(tmp.resolve("ratings.parquet.tmp.parquet"), "userId,movieId,rating\n1,2,3\n");
        assertEquals(csv + ": not a Parquet file (it does not begin with PAR1)", refusal(csv));
    }

    @Test
    void theCliTrainsOnAParquetFileAndRefusesADamagedOneInOneLine() throws IOException {
        Path f = ParquetFixtures.write(tmp.resolve("ratings.parquet"), MOVIELENS, rows(2000, 9));
        CliRun ok = CliRun.run(new CollabMain(), "collab", "train", "--ratings", f.toString(), "--epochs", "1", "--factors", "4",
                "--out", tmp.resolve("run").toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(Files.isRegularFile(tmp.resolve("run").resolve("model.zip")));
        Path dataDir = Files.createDirectories(tmp.resolve("data-dir"));
        Files.copy(f, dataDir.resolve("ratings.parquet"));
        CliRun fromDataDir = CliRun.run(new CollabMain(), "collab", "train", "--data-dir", dataDir.toString(), "--epochs", "1",
                "--factors", "4", "--out", tmp.resolve("run2").toString());
        assertEquals(0, fromDataDir.code(), fromDataDir.err());
        assertTrue(fromDataDir.out().contains("(" + dataDir.toAbsolutePath()), fromDataDir.out());
        byte[] whole = Files.readAllBytes(f);
        Path cut = Files.write(tmp.resolve("cut.parquet"), Arrays.copyOf(whole, whole.length - 100));
        CliRun bad = CliRun.run(new CollabMain(), "collab", "train", "--ratings", cut.toString(), "--epochs", "1");
        assertEquals(1, bad.code());
        List<String> err = bad.err().strip().lines().filter(l -> !l.startsWith("backend: ")).toList();
        assertEquals(List.of("error: " + cut + ": a Parquet file cut short (it does not end with PAR1: a copy or write that did not "
                + "finish?)"), err);
        CliRun sep = CliRun.run(new CollabMain(), "collab", "train", "--csv", f.toString(), "--user-col", "userId", "--item-col",
                "movieId", "--sep", ";");
        assertEquals(2, sep.code());
        assertTrue(sep.err().startsWith("error: --sep is about how a CSV is written, and " + f + " is Parquet"), sep.err());
    }
}
