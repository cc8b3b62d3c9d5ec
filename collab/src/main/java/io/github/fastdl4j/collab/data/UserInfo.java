package io.github.fastdl4j.collab.data;

/**
 * What ml-100k's {@code u.user} says of a user.
 *
 * @param age        in years
 * @param gender     {@code M} or {@code F}
 * @param occupation e.g. {@code technician}
 */
public record UserInfo(int age, String gender, String occupation) {
}
