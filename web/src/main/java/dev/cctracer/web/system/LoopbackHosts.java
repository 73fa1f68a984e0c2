package dev.cctracer.web.system;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code Host} header values that name this machine's loopback interface:
 * {@code localhost}, {@code [::1]} and numeric {@code 127.x.y.z} — not any name that
 * merely starts with {@code 127.} ({@code 127.attacker.example} can resolve to 127.0.0.1
 * and is exactly what DNS rebinding uses).
 */
public final class LoopbackHosts {

	/** The common names, before the pattern (every API request passes here). */
	private static final Set<String> NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

	private static final Pattern IPV4_LOOPBACK = Pattern
		.compile("127\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)");

	private LoopbackHosts() {
	}

	/** Whether a host name (without port, lower case) is a loopback name. */
	public static boolean isLoopback(String hostName) {
		return hostName != null && (NAMES.contains(hostName) || IPV4_LOOPBACK.matcher(hostName).matches());
	}

	/**
	 * The host name of a {@code Host} header: lower case, without the port; an IPv6
	 * literal keeps its brackets. Null for a missing or blank header.
	 */
	public static String hostName(String header) {
		if (header == null || header.isBlank()) {
			return null;
		}
		String h = header.trim().toLowerCase(Locale.ROOT);
		if (h.startsWith("[")) {
			int end = h.indexOf(']');
			return (end > 0) ? h.substring(0, end + 1) : h;
		}
		int colon = h.indexOf(':');
		return (colon >= 0) ? h.substring(0, colon) : h;
	}

}
