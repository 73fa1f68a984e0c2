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
 * @param inferenceGeo {@code inference_geo} where it selects a data-residency price
 * ({@code us}), else {@code null} ({@code ""}, {@code global}, {@code not_available})
 */
public record Usage(long input, long output, long cacheWrite5m, long cacheWrite1h, long cacheRead, boolean fast,
		long webSearches, String inferenceGeo) {

	public static final Usage ZERO = new Usage(0, 0, 0, 0, 0, false, 0, null);

	/**
	 * The largest token count (or web-search count) a line may hold: 10^9, a thousand
	 * times the largest context window of 2026 (1M tokens). A count above it is no real
	 * response's: the line is invalid (counted among the invalid lines, as a count too
	 * large for 64 bits is), so a garbage value such as {@code 1e30} neither turns into
	 * {@code Long.MAX_VALUE} nor wraps the sums negative.
	 */
	public static final long MAX_COUNT = 1_000_000_000L;

	/**
	 * The largest logged cost ({@code costUSD}) a line may hold, in USD: a million. A
	 * logged cost above it or below 0 is read as none logged (the line's tokens count).
	 */
	public static final double MAX_LOGGED_USD = 1_000_000;

	/** Whether a count read is one a response can have: at most {@link #MAX_COUNT}. */
	public static boolean isCount(long count) {
		return count <= MAX_COUNT;
	}

	/** Whether a logged cost is one a line can have: 0 to {@link #MAX_LOGGED_USD}. */
	public static boolean isLoggedUsd(double usd) {
		return usd >= 0 && usd <= MAX_LOGGED_USD;
	}

	/** Token counts and web searches, served without a data-residency price. */
	public Usage(long input, long output, long cacheWrite5m, long cacheWrite1h, long cacheRead, boolean fast,
			long webSearches) {
		this(input, output, cacheWrite5m, cacheWrite1h, cacheRead, fast, webSearches, null);
	}

	/**
	 * The geo value as logged, kept only where a price may depend on it: {@code null} for
	 * missing, blank, {@code global} and {@code not_available}; at most 32 characters.
	 */
	public static String geo(String logged) {
		if (logged == null || logged.isBlank() || "global".equals(logged) || "not_available".equals(logged)) {
			return null;
		}
		if ("us".equals(logged)) {
			return "us";
		}
		return (logged.length() > 32) ? logged.substring(0, 32) : logged;
	}

	/** Token counts without web searches. */
	public Usage(long input, long output, long cacheWrite5m, long cacheWrite1h, long cacheRead, boolean fast) {
		this(input, output, cacheWrite5m, cacheWrite1h, cacheRead, fast, 0, null);
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
				this.webSearches + other.webSearches,
				(this.inferenceGeo != null) ? this.inferenceGeo : other.inferenceGeo);
	}

	public Usage minus(Usage other) {
		return new Usage(this.input - other.input, this.output - other.output, this.cacheWrite5m - other.cacheWrite5m,
				this.cacheWrite1h - other.cacheWrite1h, this.cacheRead - other.cacheRead, this.fast,
				this.webSearches - other.webSearches, this.inferenceGeo);
	}

}
