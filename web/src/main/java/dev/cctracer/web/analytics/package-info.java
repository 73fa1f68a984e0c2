/**
 * Heavy analytics answered from cached results or as jobs.
 */
package dev.cctracer.web.analytics;
