package dev.cctracer.web.usage;

import dev.cctracer.shared.discovery.Ids;

/**
 * Checks of the identifiers a request names; a bad value is an exception with a clear
 * message (a 400). Time ranges are {@link Period.Query}, cost modes bound by the web's
 * argument resolver.
 */
public final class Params {

	private Params() {
	}

	/**
	 * A project dir as given.
	 * @throws dev.cctracer.shared.discovery.Ids.InvalidIdException when it is not one
	 */
	public static String project(String project) {
		return Ids.requireProjectDir(project);
	}

	/**
	 * A user's text made safe to echo in an error: 40 characters, no markup, no control
	 * or invisible character (each other character a {@code ?}; {@code _} kept: names
	 * such as {@code start_time} read as given).
	 */
	public static String sanitize(String text) {
		String shown = (text.length() > 40) ? text.substring(0, 40) + "…" : text;
		return shown.replaceAll("[^A-Za-z0-9._:/+-]", "?");
	}

}
