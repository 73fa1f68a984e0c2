/**
 * Cross-cutting web concerns: health, host check, settings, start page.
 */
package dev.cctracer.web.system;
