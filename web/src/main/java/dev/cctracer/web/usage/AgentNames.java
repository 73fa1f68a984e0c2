package dev.cctracer.web.usage;

/**
 * What a subagent is called wherever it is listed (a session's page, the overview's and
 * the API's most expensive subagents): the name Claude Code gave it ({@code agent-name}),
 * else a fork's or a typed agent's task ("Fork: …", "Explore: …"), else its task, else
 * its type and id. A side question's and a compaction's transcripts log no type: their
 * id's prefix names them ("side question aside_question-…"; the overview had listed the
 * bare id while the session page said "side question").
 */
public final class AgentNames {

	/**
	 * The id prefix of a side question's (/btw) transcript: {@code aside_question-<hex>}.
	 */
	public static final String SIDE_QUESTION_PREFIX = "aside_question-";

	/** The id prefix of a compaction's transcript: {@code acompact-<hex>}. */
	public static final String COMPACTION_PREFIX = "acompact";

	private AgentNames() {
	}

	/**
	 * The name of a subagent (not redacted: the caller redacts what it shows).
	 * @param id its agent id
	 * @param agentName its {@code agent-name}, or {@code null}
	 * @param type its type ({@code subagent_type}), or {@code null}
	 * @param description its task, or {@code null}
	 */
	public static String of(String id, String agentName, String type, String description) {
		if (agentName != null && !agentName.isBlank()) {
			return agentName;
		}
		if (type == null && id != null && id.startsWith(SIDE_QUESTION_PREFIX)) {
			// a /btw side question's transcript: no type logged, only its id's prefix
			type = "side question";
		}
		else if (type == null && id != null && id.startsWith(COMPACTION_PREFIX)) {
			// a compaction's transcript, as the session's analysis judges it
			type = "compaction";
		}
		if (description != null && !description.isBlank()) {
			String kind = "fork".equals(type) ? "Fork" : type;
			return (kind != null) ? kind + ": " + description : description;
		}
		if ("fork".equals(type)) {
			return "Fork " + id;
		}
		return (type != null) ? type + " " + id : id;
	}

}
