package dev.cctracer.shared.pricing;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Model ids in every form Claude Code, Bedrock and Vertex write them ({@code …[1m]},
 * dated ids, {@code anthropic.…-v1:0}, {@code us.anthropic.…}, ARNs, {@code …@2025…}):
 * the one form a price card is looked up by, and the model family.
 */
final class ModelIds {

	private static final Pattern DATE_SUFFIX = Pattern.compile("-(\\d{8}|latest)$");

	private static final Pattern BEDROCK_VERSION = Pattern.compile("-v\\d+(:\\d+)?$");

	/** The model families a card may name, and an id's family is found by. */
	static final List<String> FAMILIES = List.of("opus", "sonnet", "haiku", "fable", "mythos");

	private static final Pattern FAMILY = Pattern.compile("(?:^|[-._])(" + String.join("|", FAMILIES) + ")(?:$|[-._])");

	private ModelIds() {
	}

	/**
	 * Lower-case, without provider prefixes, context suffixes, version or date suffixes.
	 * @param model a model id in any provider form, not {@code null}
	 */
	static String normalize(String model) {
		String m = model.trim().toLowerCase(Locale.ROOT);
		int slash = m.lastIndexOf('/');
		if (slash >= 0) {
			m = m.substring(slash + 1);
		}
		int colon = m.lastIndexOf(':');
		if (m.startsWith("arn:") && colon >= 0) {
			m = m.substring(colon + 1);
		}
		int anthropic = m.indexOf("anthropic.");
		if (anthropic >= 0) {
			m = m.substring(anthropic + "anthropic.".length());
		}
		int bracket = m.indexOf('[');
		if (bracket > 0) {
			m = m.substring(0, bracket);
		}
		int at = m.indexOf('@');
		if (at > 0) {
			m = m.substring(0, at);
		}
		m = BEDROCK_VERSION.matcher(m).replaceFirst("");
		m = DATE_SUFFIX.matcher(m).replaceFirst("");
		return m;
	}

	/**
	 * The family of a model id (opus, sonnet, haiku, fable or mythos), or {@code null}.
	 * @param model a model id in any provider form, may be {@code null}
	 */
	static String family(String model) {
		if (model == null) {
			return null;
		}
		Matcher m = FAMILY.matcher(normalize(model));
		return m.find() ? m.group(1) : null;
	}

}
