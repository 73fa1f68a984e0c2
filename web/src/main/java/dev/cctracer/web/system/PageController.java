package dev.cctracer.web.system;

/**
 * Marks a controller that renders HTML pages: its errors become error pages
 * ({@link PageExceptionHandler}), not problem JSON.
 */
public interface PageController {

}
