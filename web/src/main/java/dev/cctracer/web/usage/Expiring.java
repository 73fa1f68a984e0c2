package dev.cctracer.web.usage;

/**
 * An answer that changes with the clock as well as with the data, and the instant it
 * stops holding: a session list's statuses (running, idle…) change as time passes without
 * a commit.
 *
 * @param value the answer
 * @param until the first instant (epoch milliseconds) it may no longer hold;
 * {@link Long#MAX_VALUE} while the data version holds
 */
public record Expiring<T>(T value, long until) {

	/** An answer that holds as long as its data version. */
	public static <T> Expiring<T> untilDataChanges(T value) {
		return new Expiring<>(value, Long.MAX_VALUE);
	}

}
