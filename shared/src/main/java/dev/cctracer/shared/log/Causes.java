package dev.cctracer.shared.log;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The cause chain of a failure, walked safely: a chain that loops ({@code initCause}
 * allows A → B → A) ends at the first throwable met again, and at most
 * {@value #MAX_DEPTH} are walked.
 */
public final class Causes {

	/** The longest chain walked. */
	static final int MAX_DEPTH = 64;

	private Causes() {
	}

	/**
	 * A failure and its causes, outermost first; empty for {@code null}.
	 */
	public static List<Throwable> chain(Throwable failure) {
		List<Throwable> chain = new ArrayList<>();
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		for (Throwable t = failure; t != null && chain.size() < MAX_DEPTH && seen.add(t); t = t.getCause()) {
			chain.add(t);
		}
		return chain;
	}

	/** The innermost cause of a failure (itself when it has none), or {@code null}. */
	public static Throwable innermost(Throwable failure) {
		List<Throwable> chain = chain(failure);
		return chain.isEmpty() ? null : chain.get(chain.size() - 1);
	}

	/**
	 * Why a failure happened, in one line: the innermost message of its causes (a
	 * socket's "Connection refused", H2's "The database has been closed"), first line
	 * only, else the innermost cause's type (an interrupted channel's has no message);
	 * {@code "null"} for {@code null}. Not made safe for a log: see {@link LogText}.
	 */
	public static String reason(Throwable failure) {
		List<Throwable> chain = chain(failure);
		for (int i = chain.size() - 1; i >= 0; i--) {
			String message = chain.get(i).getMessage();
			if (message != null && !message.isBlank()) {
				return message.lines().findFirst().orElse("").strip();
			}
		}
		return chain.isEmpty() ? "null" : chain.get(chain.size() - 1).getClass().getSimpleName();
	}

	/**
	 * The first line of a throwable's own message, stripped ({@code "null"} when it has
	 * none): what a one-line report says of it, without a driver's detail lines or the
	 * SQL a wrapper quotes after them. Not made safe for a log: see {@link LogText}.
	 */
	public static String headline(Throwable failure) {
		String message = (failure != null) ? failure.getMessage() : null;
		return String.valueOf(message).lines().findFirst().orElse("").strip();
	}

	/** The first throwable of {@code type} in the chain, outermost first, or null. */
	public static <T extends Throwable> T find(Throwable failure, Class<T> type) {
		for (Throwable t : chain(failure)) {
			if (type.isInstance(t)) {
				return type.cast(t);
			}
		}
		return null;
	}

}
