/**
 * Reading sessions: messages, filters and details from the transcript index.
 */
package dev.cctracer.web.session;
