package dev.cctracer.shared.transcript;

import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Replaces secrets in transcript text before it leaves the server: Anthropic and OpenAI
 * style keys, AWS access key ids, GitHub and Slack tokens, private key blocks and bearer
 * tokens.
 */
public final class Redactor {

	/** What a secret is replaced with. */
	public static final String MASK = "[REDACTED]";

	private static final Pattern SECRETS = Pattern.compile(String.join("|",
			"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\\s\\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|\\z)",
			"sk-ant-[A-Za-z0-9_\\-]{8,}", "sk-(?:proj-)?[A-Za-z0-9_\\-]{20,}", "AKIA[0-9A-Z]{16}",
			"gh[pousr]_[A-Za-z0-9]{20,}", "github_pat_[A-Za-z0-9_]{20,}", "xox[abposr]-[A-Za-z0-9\\-]{10,}",
			"(?i:bearer)\\s+[A-Za-z0-9\\-._~+/]{8,}=*"));

	private Redactor() {
	}

	public static String redact(String text) {
		if (text == null || text.isEmpty()) {
			return text;
		}
		return SECRETS.matcher(text).replaceAll(MASK);
	}

	/** A copy of the tree with every string value (and field name) redacted. */
	public static JsonNode redact(JsonNode node) {
		if (node == null) {
			return null;
		}
		if (node.isTextual()) {
			return JsonNodeFactory.instance.textNode(redact(node.asText()));
		}
		if (node.isArray()) {
			ArrayNode copy = JsonNodeFactory.instance.arrayNode();
			node.forEach((n) -> copy.add(redact(n)));
			return copy;
		}
		if (node.isObject()) {
			ObjectNode copy = JsonNodeFactory.instance.objectNode();
			Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
			while (fields.hasNext()) {
				Map.Entry<String, JsonNode> f = fields.next();
				copy.set(redact(f.getKey()), redact(f.getValue()));
			}
			return copy;
		}
		return node;
	}

}
