package io.github.fastdl4j.collab.interpret;

/**
 * One entry of a ranked list (a movie or user and its score).
 *
 * @param name  title or user id
 * @param value the score: bias, similarity or predicted rating
 */
public record Ranked(String name, double value) {
}
