/**
 * Jobs: polling their state and results, and admin actions that run as jobs.
 */
package dev.cctracer.web.job;
