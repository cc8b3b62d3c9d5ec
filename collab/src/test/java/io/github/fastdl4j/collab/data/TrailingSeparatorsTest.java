package io.github.fastdl4j.collab.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * ml-latest-small's ratings.csv as published in a public repository: every line ends with
 * separators ({@code userId,movieId,rating,timestamp,,,,}). Read as pandas reads it: the empty
 * unnamed columns are dropped (common's CsvTable, which every reader goes through).
 */
class TrailingSeparatorsTest {

    @Test
    void movieLensRatingsWithTrailingSeparatorsLoad(@TempDir Path d) throws IOException {
        Files.writeString(d.resolve("ratings.csv"), "userId,movieId,rating,timestamp,,,,\n1,31,2.5,1260759144,,,,\n"
                + "1,1029,3.0,1260759179,,,,\n2,31,4.0,835355493,,,,\n");
        Files.writeString(d.resolve("movies.csv"), "movieId,title,genres,,\n31,Dangerous Minds (1995),Drama,,\n"
                + "1029,Dumbo (1941),Animation|Children|Drama|Musical,,\n");
        Ratings r = Ratings.load(d);
        assertEquals(3, r.size());
        double sum = 0;
        for (float x : r.rating()) {
            sum += x;
        }
        assertEquals(2.5 + 3.0 + 4.0, sum, 0, "the ratings as written");
        assertEquals("Dumbo (1941)", r.title(r.movieVocab().index("1029")));
    }
}
