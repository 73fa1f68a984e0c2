package dev.cctracer.worker;

/**
 * A path under a Claude dir that the scan did not read, or whose counts were refused.
 *
 * @param path the path as found under the root
 * @param reason why: a broken link, a link loop, permission denied, a link not followed,
 * usage sums past what the database holds
 */
public record PathProblem(String path, String reason) {

}
