/**
 * Where transcripts live: config dirs, file layouts, id validation and safe path
 * resolution.
 */
package dev.cctracer.shared.discovery;
