package dev.cctracer.shared.job;

import java.time.ZoneId;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one rule for a time zone a user names, whatever the entry point: an IANA zone id as
 * Java's time-zone database knows it, or one of the IANA names that database lacks.
 * Java's leaves out {@code EST}, {@code MST} and {@code HST} (fixed offsets in IANA's
 * {@code northamerica} file until tzdata 2024b, links to a zone with the same offset
 * since), {@code ROC} (a link to {@code Asia/Taipei} in IANA's {@code backward} file),
 * and a JDK older than tzdata 2025b lacks {@code America/Coyhaique} (Chile's Aysén
 * Region, at -03:00 all year since April 2025 and in summer time at -03:00 from September
 * 2024 — before Claude Code was released in February 2025, so -03:00 is the zone's offset
 * at every time a transcript can have). Python's {@code zoneinfo}, which the original
 * tracer uses, takes them all.
 */
public final class ZoneIds {

	/** IANA's names Java's database lacks, and what they mean. */
	private static final Map<String, String> MISSING = Map.of("EST", "-05:00", "MST", "-07:00", "HST", "-10:00", "ROC",
			"Asia/Taipei", "America/Coyhaique", "-03:00");

	private ZoneIds() {
	}

	/**
	 * An offset whose {@code +} a URL's query decoded as a space ({@code ?tz=+05:30}).
	 */
	private static final Pattern DECODED_PLUS = Pattern.compile(" (\\d{2}(:?\\d{2}(:?\\d{2})?)?)");

	/**
	 * A zone by its id.
	 * @param id an IANA zone id, an offset ({@code +05:30}) or a prefixed offset
	 * ({@code UTC+1}), as {@link ZoneId#of(String)} takes them, or one of the IANA names
	 * above; an offset typed in a URL's query as {@code ?tz=+05:30} arrives as
	 * {@code " 05:30"} (a {@code +} there is an encoded space) and is read as the offset
	 * it was
	 * @throws java.time.DateTimeException when it names no zone
	 */
	public static ZoneId of(String id) {
		Matcher plus = DECODED_PLUS.matcher(id);
		return ZoneId.of(plus.matches() ? "+" + plus.group(1) : id, MISSING);
	}

}
