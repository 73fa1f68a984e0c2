/**
 * A status line for Claude Code ({@code statusLine} in its settings runs a command and
 * shows what it prints): this session's cost, today's, the current 5-hour block's with
 * its time left and burn rate, and the month against its budget, from the cached totals
 * in milliseconds ({@link dev.cctracer.web.statusline.StatusLineService}).
 */
package dev.cctracer.web.statusline;
