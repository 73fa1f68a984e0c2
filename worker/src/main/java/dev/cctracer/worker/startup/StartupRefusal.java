package dev.cctracer.worker.startup;

/**
 * A reason not to start that the user can act on (the data dir is held by another
 * process, is not writable, was written by a newer version; a configured Claude dir does
 * not exist; …): reported as one line, exit code 1, no stack trace.
 */
public class StartupRefusal extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public StartupRefusal(String message) {
		super(message);
	}

}
