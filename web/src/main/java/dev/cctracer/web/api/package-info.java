/**
 * The JSON API under /api (snake_case, compatible with the original tracer).
 */
package dev.cctracer.web.api;
