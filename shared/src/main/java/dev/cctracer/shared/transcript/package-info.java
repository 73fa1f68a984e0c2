/**
 * Transcripts as people read them: message index, text, redaction.
 */
package dev.cctracer.shared.transcript;
