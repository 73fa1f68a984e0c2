/**
 * Downloads of reports and entry-level data.
 */
package dev.cctracer.web.export;
