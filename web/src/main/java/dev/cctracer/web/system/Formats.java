package dev.cctracer.web.system;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import dev.cctracer.shared.pricing.PriceTable;

/**
 * Number, money and time formats for the pages ({@code ${@fmt.money(x)}} in templates).
 */
@Component("fmt")
public class Formats {

	private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

	/**
	 * {@code claude-opus-4-6}, {@code claude-sonnet-4-5-20250929},
	 * {@code claude-opus-4-20250514}.
	 */
	private static final Pattern MODEL = Pattern
		.compile("claude-(opus|sonnet|haiku|fable|mythos)-(\\d+)(?:-(\\d{1,2})(?=-|$))?(?:-(\\d{8}))?(.*)");

	/** {@code claude-3-5-sonnet-20241022}, {@code claude-3-opus-20240229}. */
	private static final Pattern LEGACY_MODEL = Pattern
		.compile("claude-(\\d+)(?:-(\\d))?-(opus|sonnet|haiku)(?:-(\\d{8}))?(.*)");

	private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

	private final DisplayCurrency currency;

	/** Formats with costs in US dollars. */
	public Formats() {
		this(DisplayCurrency.USD);
	}

	/**
	 * Formats with costs in the configured currency.
	 * @param currency the currency of the pages' costs ({@code cctracer.display.*})
	 */
	@Autowired
	public Formats(DisplayCurrency currency) {
		this.currency = currency;
	}

	/** The currency the pages show costs in (for the layout's note and the scripts). */
	public DisplayCurrency currency() {
		return this.currency;
	}

	/**
	 * The most characters of one text a page shows (an entry's text or thinking, a tool
	 * call's input, a tool result): a security trial's entries of 15 MB made message
	 * pages of 23 MB, and six of them at once ran the 512 MB heap out.
	 */
	public static final int PAGE_TEXT_MAX = 100_000;

	/**
	 * The text as a page shows it: whole up to {@link #PAGE_TEXT_MAX} characters, else
	 * cut there (never half of a surrogate pair) with a line that says how much more
	 * there is and where it is whole (the entry's JSON); {@code null} for {@code null}.
	 */
	public String pageText(String text) {
		return (text == null || text.length() <= PAGE_TEXT_MAX) ? text : cut(text, PAGE_TEXT_MAX);
	}

	/**
	 * The text's first {@code keep} characters (one less rather than half of a surrogate
	 * pair; {@code keep} at least 1 and below its length), then a line that says how many
	 * more there are and where they are whole.
	 */
	public String cut(String text, int keep) {
		int at = Character.isHighSurrogate(text.charAt(keep - 1)) ? keep - 1 : keep;
		return text.substring(0, at) + "\n… [" + num(text.length() - at)
				+ " more characters not shown here; the entry's JSON has it whole]";
	}

	/**
	 * A cost counted in USD, shown in the pages' currency
	 * ({@link DisplayCurrency#format}): {@code $1,234.50}, four decimals below one cent
	 * ({@code $0.0042}) and two significant digits below a hundredth of a cent
	 * ({@code $0.000036}, not {@code $0.0000}).
	 * @param usd the cost in USD
	 */
	public String money(double usd) {
		return this.currency.format(usd);
	}

	/** A count with thousands separators. */
	public String num(long value) {
		return String.format(Locale.ROOT, "%,d", value);
	}

	/**
	 * A count with its noun, singular for one: "1 session", "1,234 sessions".
	 * @param noun the singular; its plural adds an "s"
	 */
	public String count(long value, String noun) {
		return num(value) + " " + noun + ((value == 1) ? "" : "s");
	}

	/** A token count, short: 950, 12.3K, 4.56M, 1.23B. */
	public String tokens(long value) {
		double v = Math.abs((double) value);
		if (v < 1_000) {
			return Long.toString(value);
		}
		if (v < 1_000_000) {
			return String.format(Locale.ROOT, "%.1fK", value / 1e3);
		}
		if (v < 1_000_000_000) {
			return String.format(Locale.ROOT, "%.2fM", value / 1e6);
		}
		return String.format(Locale.ROOT, "%.2fB", value / 1e9);
	}

	/**
	 * An ISO instant in the zone, to the minute; empty for null, the text itself when it
	 * is not an instant (a transcript's timestamp is input, not a promise).
	 */
	public String time(String iso, ZoneId zone) {
		return instant(iso, zone, MINUTES);
	}

	/** An ISO instant in the zone, to the second; as {@link #time}. */
	public String seconds(String iso, ZoneId zone) {
		return instant(iso, zone, SECONDS);
	}

	private static String instant(String iso, ZoneId zone, DateTimeFormatter format) {
		if (iso == null || iso.isEmpty()) {
			return "";
		}
		try {
			return format.format(Instant.parse(iso).atZone(zone));
		}
		catch (DateTimeException ex) {
			return iso;
		}
	}

	/** Epoch milliseconds in the zone, to the second; empty for null. */
	public String millis(Long epochMillis, ZoneId zone) {
		return (epochMillis == null) ? "" : SECONDS.format(Instant.ofEpochMilli(epochMillis).atZone(zone));
	}

	/** A duration in seconds as 3d 04h, 2h 05m, 4m 10s or 12s. */
	public String duration(Long seconds) {
		if (seconds == null) {
			return "";
		}
		long s = seconds;
		if (s >= 86_400) {
			return String.format(Locale.ROOT, "%dd %02dh", s / 86_400, (s % 86_400) / 3600);
		}
		if (s >= 3600) {
			return String.format(Locale.ROOT, "%dh %02dm", s / 3600, (s % 3600) / 60);
		}
		if (s >= 60) {
			return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
		}
		return s + "s";
	}

	/**
	 * A duration in milliseconds as 43 ms, 1.2 s, or (a minute and more) as
	 * {@link #duration}.
	 */
	public String milliseconds(long millis) {
		if (millis < 1000) {
			return millis + " ms";
		}
		if (millis < 60_000) {
			return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
		}
		return duration(millis / 1000);
	}

	/** Bytes as KB, MB, GB. */
	public String bytes(long value) {
		if (value < 1024) {
			return value + " B";
		}
		if (value < 1024 * 1024) {
			return String.format(Locale.ROOT, "%.1f KB", value / 1024.0);
		}
		if (value < 1024L * 1024 * 1024) {
			return String.format(Locale.ROOT, "%.1f MB", value / (1024.0 * 1024));
		}
		return String.format(Locale.ROOT, "%.2f GB", value / (1024.0 * 1024 * 1024));
	}

	/** A percentage with one decimal. */
	public String percent(Double value) {
		return (value == null) ? "" : String.format(Locale.ROOT, "%.1f%%", value);
	}

	/**
	 * A timeline entry's type as the pages name it: the API's {@code hook} (the original
	 * tracer's name, kept there) covers slash commands and their output, hook output,
	 * shell mode and meta lines, so pages say "command or hook"; every other type as it
	 * is.
	 */
	public String entryType(String type) {
		return "hook".equals(type) ? "command or hook" : type;
	}

	/**
	 * A session as a message's page names it, in its links and its title: its title cut
	 * to 60 characters (the last three "...", as Thymeleaf's
	 * {@code #strings.abbreviate}), else "session" and its id's first 8 characters.
	 */
	public String sessionName(String title, String sessionId) {
		if (title != null) {
			return (title.length() > 60) ? title.substring(0, 57) + "..." : title;
		}
		return "session " + sessionId.substring(0, Math.min(8, sessionId.length()));
	}

	/**
	 * A model id as people say it: {@code claude-opus-4-6} is "Opus 4.6",
	 * {@code claude-3-5-sonnet-20241022} "Sonnet 3.5"; a provider's form named after it
	 * (Bedrock's {@code us.anthropic.claude-opus-4-7-v1:0} "Opus 4.7 (Bedrock)", Vertex
	 * AI's {@code claude-opus-4-7@20260416} "Opus 4.7 (Vertex AI)") and Claude Code's
	 * 1M-context form {@code claude-opus-4-7[1m]} "Opus 4.7 (1M context)"; any other id
	 * as it is, none as "—". Two ids may read the same (two Bedrock regions, two Vertex
	 * dates): pages give the id as logged in the element's title.
	 */
	public String model(String id) {
		if (id == null || id.isBlank()) {
			return "—";
		}
		String lower = id.toLowerCase(Locale.ROOT);
		// the per-model tables have a row per id as logged: say which form this is
		String context = (lower.contains("[1m]") ? " (1M context)" : "")
				+ (lower.contains("anthropic.") ? " (Bedrock)" : lower.contains("@") ? " (Vertex AI)" : "");
		// the id without provider prefix, version, context or date suffixes, as priced
		String normalized = PriceTable.normalize(id);
		Matcher m = MODEL.matcher(normalized);
		if (m.matches()) {
			return shortName(m.group(1), m.group(2), m.group(3), m.group(5)) + context;
		}
		m = LEGACY_MODEL.matcher(normalized);
		if (m.matches()) {
			return shortName(m.group(3), m.group(1), m.group(2), m.group(5)) + context;
		}
		return id;
	}

	/** Model ids as {@link #model short names}, comma-separated, each once. */
	public String models(List<String> ids) {
		return (ids == null) ? "" : String.join(", ", ids.stream().map(this::model).distinct().toList());
	}

	private static String shortName(String family, String major, String minor, String suffix) {
		String name = Character.toUpperCase(family.charAt(0)) + family.substring(1) + " " + major
				+ ((minor != null) ? "." + minor : "");
		return suffix.isEmpty() ? name : name + " " + suffix.replaceFirst("^-", "");
	}

}
