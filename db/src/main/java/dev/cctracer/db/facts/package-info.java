/**
 * Per-file facts besides usage: the API errors Claude Code logged and the lines of entry
 * types this version does not know, by name.
 */
package dev.cctracer.db.facts;
