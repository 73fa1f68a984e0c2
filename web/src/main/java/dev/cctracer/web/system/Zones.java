package dev.cctracer.web.system;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.TreeSet;

import dev.cctracer.shared.job.ZoneIds;

/**
 * The pages' time zone: the {@code tz} cookie the selector sets, when it names a zone,
 * else the server's.
 */
public final class Zones {

	/** The cookie the time zone selector sets. */
	public static final String COOKIE = "tz";

	private static final List<String> COMMON = List.of("UTC", "America/Los_Angeles", "America/Denver",
			"America/Chicago", "America/New_York", "America/Sao_Paulo", "Europe/London", "Europe/Paris",
			"Europe/Berlin", "Europe/Moscow", "Africa/Johannesburg", "Asia/Dubai", "Asia/Kolkata", "Asia/Singapore",
			"Asia/Shanghai", "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland");

	private Zones() {
	}

	private static final ZoneId UTC = ZoneId.of("UTC");

	/**
	 * The zone a cookie value names, or the server's zone for none or a bad one; any of
	 * UTC's names ({@code Etc/UTC}, {@code GMT}, {@code Z}…) is {@code UTC}, so the
	 * selector lists it once.
	 */
	public static ZoneId resolve(String cookie) {
		if (cookie != null && !cookie.isBlank() && cookie.length() <= 64) {
			try {
				return utcAsUtc(ZoneIds.of(URLDecoder.decode(cookie, StandardCharsets.UTF_8)));
			}
			catch (DateTimeException | IllegalArgumentException ex) {
				// a stale, forged or malformed (bad %-escape) cookie: the server's zone
			}
		}
		return utcAsUtc(ZoneId.systemDefault());
	}

	/** The selector's choices: common zones, the server's and the current one. */
	public static List<String> choices(ZoneId current) {
		TreeSet<String> zones = new TreeSet<>(COMMON);
		zones.add(utcAsUtc(ZoneId.systemDefault()).getId());
		zones.add(utcAsUtc(current).getId());
		return List.copyOf(zones);
	}

	private static ZoneId utcAsUtc(ZoneId zone) {
		return zone.normalized().equals(ZoneOffset.UTC) ? UTC : zone;
	}

}
