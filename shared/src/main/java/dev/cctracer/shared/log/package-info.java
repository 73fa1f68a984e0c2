/**
 * Claude Code's JSONL format and its streaming reader.
 */
package dev.cctracer.shared.log;
