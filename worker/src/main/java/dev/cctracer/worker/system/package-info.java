/**
 * Worker settings, the Claude roots and pricing beans.
 */
package dev.cctracer.worker.system;
