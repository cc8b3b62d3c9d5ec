package io.github.fastdl4j.collab;

import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.collab.data.RatingsLoader;
import io.github.fastdl4j.collab.interpret.CollabInterpretation;
import io.github.fastdl4j.collab.interpret.Ranked;
import io.github.fastdl4j.common.data.CsvTable;
import io.github.fastdl4j.common.testing.RealData;
import io.github.fastdl4j.common.train.Provenance;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** README's collab library examples (README.md and docs/library.md), as written. */
class ReadmeExamplesTest {

    @Test
    void collabOnAnyTableOfRatings(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("ratings.csv");
        Random r = new Random(1);
        StringBuilder b = new StringBuilder("user,item,rating,title\n");
        for (int u = 0; u < 60; u++) {
            for (int i = 0; i < 40; i++) {
                if (r.nextDouble() < 0.5) {
                    double taste = ((u % 2 == 0) == (i % 2 == 0)) ? 4.5 : 1.5;
                    b.append("u").append(u).append(',').append("i").append(i).append(',')
                            .append(Math.max(1, Math.min(5, Math.round(taste + r.nextGaussian() * 0.5)))).append(',')
                            .append("Film ").append(i).append('\n');
                }
            }
        }
        Files.writeString(csv, b.toString());

        // --- README example starts
        Ratings ratings = RatingsLoader.fromTable(new RatingsLoader.Columns(csv, "user", "item", "rating", "title",
                CsvTable.Format.csv(), null, null, null));               // or Ratings.load(folder) for MovieLens layouts
        CollabLearner learn = CollabLearner.of(ratings).nFactors(50).build();   // y_range from the ratings' scale
        learn.fitOneCycle(5, 5e-3, 0.1);
        CollabInterpretation interp = new CollabInterpretation(learn.model());
        List<Ranked> similar = interp.similar(ratings.title(1), 5);   // by title (by id when the table has no titles)
        List<Ranked> forUser = interp.recommend(ratings.userVocab().id(1), 10);
        learn.model().save(dir.resolve("model.zip"), Provenance.of("collab", "dot", Map.of(), 42, ratings.checksum(), ""));
        // --- README example ends

        assertEquals(5, similar.size());
        assertEquals(10, forUser.size());
        assertTrue(Files.exists(dir.resolve("model.zip")));
    }

    /** README's "Using a module as a library" main, on ml-100k: the lesson's nearest films to Star Wars. */
    @Test
    @Tag("real-data")
    void readmesRecommendMain() {
        Path folder = RealData.require("ml-100k");
        // --- README example starts (the body of Recommend.main, args[0] = folder)
        Ratings ratings = Ratings.load(folder);                      // a MovieLens folder (ml-100k or ratings.csv layout)
        CollabLearner learn = CollabLearner.of(ratings).nFactors(50).build();
        learn.fitOneCycle(5, 5e-3, 0.1);                             // fastai's fit_one_cycle(5, 5e-3, wd=0.1)
        CollabInterpretation interp = new CollabInterpretation(learn.model());
        List<Ranked> similar = interp.similar("Star Wars (1977)", 5);
        // --- README example ends
        assertEquals(5, similar.size());
        assertEquals("Empire Strikes Back, The (1980)", similar.get(0).name());
    }
}
