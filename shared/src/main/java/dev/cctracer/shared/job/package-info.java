/**
 * Typed JobRunr requests shared by the web and the worker.
 */
package dev.cctracer.shared.job;
