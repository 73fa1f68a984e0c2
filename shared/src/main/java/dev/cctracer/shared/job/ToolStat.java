package dev.cctracer.shared.job;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Statistics of one tool, as a session's analysis and the tool statistics job
 * ({@link ToolStatsJobRequest}) write them (snake_case): its calls and failed calls, the
 * share that failed, the mean and 95th percentile time from call to result (seconds,
 * {@code null} when no result has a time), and the tokens and cost (USD) of the messages
 * that called it, each message's split evenly over its calls; {@code failedCost} the part
 * of {@code cost} (USD) of the calls whose result failed: what failed calls cost. Of the
 * {@code errors}, {@code declined} were declined by the user or a permission rule and
 * {@code cancelled} cancelled because a parallel call failed
 * ({@link dev.cctracer.shared.transcript.ToolFailure}); the rest failed in the tool.
 */
public record ToolStat(String name, long calls, long errors, double errorRate, Double avgDurationSeconds,
		Double p95DurationSeconds, long tokens, double cost, double failedCost, long declined, long cancelled) {

	/** The original tracer's name of {@code calls} (written, not read). */
	@JsonProperty(value = "count", access = JsonProperty.Access.READ_ONLY)
	public long count() {
		return this.calls;
	}

	/** The original tracer's name of {@code errors} (written, not read). */
	@JsonProperty(value = "error_count", access = JsonProperty.Access.READ_ONLY)
	public long errorCount() {
		return this.errors;
	}

}
