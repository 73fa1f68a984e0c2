package dev.cctracer.shared.log;

/**
 * Token counts of one API response as logged in {@code message.usage}.
 *
 * @param input {@code input_tokens}
 * @param output {@code output_tokens}
 * @param cacheWrite5m cache writes with the 5-minute TTL
 * @param cacheWrite1h cache writes with the 1-hour TTL
 * @param cacheRead {@code cache_read_input_tokens}
 * @param fast whether the response was served in fast mode ({@code speed:"fast"})
 * @param webSearches {@code server_tool_use.web_search_requests} (billed per use)
 */
public record Usage(long input, long output, long cacheWrite5m, long cacheWrite1h, long cacheRead, boolean fast,
		long webSearches) {

	public static final Usage ZERO = new Usage(0, 0, 0, 0, 0, false, 0);

	/** Token counts without web searches. */
	public Usage(long input, long output, long cacheWrite5m, long cacheWrite1h, long cacheRead, boolean fast) {
		this(input, output, cacheWrite5m, cacheWrite1h, cacheRead, fast, 0);
	}

	/** Cache writes of both TTLs ({@code cache_creation_input_tokens} as counted). */
	public long cacheWrite() {
		return this.cacheWrite5m + this.cacheWrite1h;
	}

	/**
	 * Input side of the request: input, cache writes and cache reads (for the
	 * long-context rule).
	 */
	public long inputSide() {
		return this.input + cacheWrite() + this.cacheRead;
	}

	/** All tokens: the measure the dedup rule keeps the maximum of. */
	public long total() {
		return inputSide() + this.output;
	}

	public Usage plus(Usage other) {
		return new Usage(this.input + other.input, this.output + other.output, this.cacheWrite5m + other.cacheWrite5m,
				this.cacheWrite1h + other.cacheWrite1h, this.cacheRead + other.cacheRead, this.fast || other.fast,
				this.webSearches + other.webSearches);
	}

	public Usage minus(Usage other) {
		return new Usage(this.input - other.input, this.output - other.output, this.cacheWrite5m - other.cacheWrite5m,
				this.cacheWrite1h - other.cacheWrite1h, this.cacheRead - other.cacheRead, this.fast,
				this.webSearches - other.webSearches);
	}

}
