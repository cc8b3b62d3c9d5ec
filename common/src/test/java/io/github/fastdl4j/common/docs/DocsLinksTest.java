package io.github.fastdl4j.common.docs;

import io.github.fastdl4j.common.testing.ShownCommands;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README and docs stay walkable: every relative link names a file of the repository, every
 * {@code #anchor} a heading of its page (GitHub's rule: lower case, punctuation dropped, spaces to
 * hyphens), and no page points outside the repository (a user's clone has nothing beside it).
 */
class DocsLinksTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void everyRelativeLinkResolves() throws IOException {
        Path root = ShownCommands.repoRoot();
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Path page : ShownCommands.pages(root)) {
            String text = Files.readString(page);
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("[a-z]+:.*")) {
                    continue; // https:, mailto:
                }
                links++;
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
                Path to = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                String where = root.relativize(page) + ": " + target;
                if (!to.startsWith(root)) {
                    broken.add(where + " (outside the repository)");
                } else if (!Files.exists(to)) {
                    broken.add(where + " (no such file)");
                } else if (anchor != null && !anchors(to).contains(anchor)) {
                    broken.add(where + " (no heading with that anchor)");
                }
            }
        }
        assertTrue(links > 20, "found only " + links + " links");
        assertEquals(List.of(), broken);
    }

    @Test
    void noPagePointsOutsideTheRepository() throws IOException {
        Path root = ShownCommands.repoRoot();
        List<String> outside = new ArrayList<>();
        for (Path page : ShownCommands.pages(root)) {
            List<String> lines = Files.readAllLines(page);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains("../shared")) {
                    outside.add(root.relativize(page) + ":" + (i + 1));
                }
            }
        }
        assertEquals(List.of(), outside);
    }

    @Test
    void anchorsFollowGitHubsRule() {
        assertEquals("collab-as-a-recommender-the-protocols-recommender-libraries-publish",
                slug("collab as a recommender: the protocols recommender libraries publish"));
        assertEquals("using-a-module-as-a-library", slug("Using a module as a library"));
        assertEquals("backend-which-nd4j-native-build", slug("Backend: which `nd4j-native` build"));
    }

    private static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new HashSet<>();
        if (!page.toString().endsWith(".md")) {
            return anchors;
        }
        for (String line : Files.readAllLines(page)) {
            if (line.startsWith("#")) {
                anchors.add(slug(line.replaceFirst("^#+\\s*", "")));
            }
        }
        return anchors;
    }

    static String slug(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }
}
