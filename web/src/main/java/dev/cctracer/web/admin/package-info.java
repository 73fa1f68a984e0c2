/**
 * The admin console (login and CSRF required): data dirs, files, jobs and the actions
 * that keep the caches right.
 */
package dev.cctracer.web.admin;
