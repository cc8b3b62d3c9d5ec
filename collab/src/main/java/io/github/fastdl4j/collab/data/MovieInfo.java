package io.github.fastdl4j.collab.data;

import java.util.List;

/**
 * What is known of a movie besides its ratings.
 *
 * @param title  e.g. {@code Toy Story (1995)}
 * @param year   release year, or null when unknown
 * @param genres genre names
 */
public record MovieInfo(String title, Integer year, List<String> genres) {
}
