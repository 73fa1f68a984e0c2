package dev.cctracer.web.system;

/**
 * The roles of the app's logins, as Spring Security names them without their
 * {@code ROLE_} prefix.
 */
public final class Roles {

	/** The admin login: console, admin API, actuator, admin jobs. */
	public static final String ADMIN = "ADMIN";

	private Roles() {
	}

}
