package dev.cctracer.web.usage;

/**
 * An unknown project or session: answered 404.
 */
public class NotFoundException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public NotFoundException(String message) {
		super(message);
	}

	public static NotFoundException project(String project) {
		return new NotFoundException("project not found: " + project);
	}

	public static NotFoundException session(String project, String session) {
		return new NotFoundException("session not found: " + project + "/" + session);
	}

}
