package dev.cctracer.web.usage;

/**
 * A request that no longer fits the data (a cursor issued before its transcript was
 * rewritten): answered 409, with a title, by the API and by the pages alike.
 */
public class ConflictException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String title;

	public ConflictException(String title, String message) {
		super(message);
		this.title = title;
	}

	/** The short name of the conflict ("Transcript rewritten"). */
	public String title() {
		return this.title;
	}

}
