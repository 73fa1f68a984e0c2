/**
 * The web application: JSON API and pages, with the worker embedded.
 */
package dev.cctracer.web;
