/**
 * Start-up checks of the data dir and its database, and refusals in one line.
 */
@NonNullApi
package dev.cctracer.worker.startup;

import org.springframework.lang.NonNullApi;
