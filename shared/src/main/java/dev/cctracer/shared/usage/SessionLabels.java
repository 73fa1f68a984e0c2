package dev.cctracer.shared.usage;

import dev.cctracer.shared.log.LogEntry;
import dev.cctracer.shared.transcript.Redactor;

/**
 * The labels a transcript gives itself, each the last non-blank one of its kind, and for
 * a subagent what its {@code agent-<id>.meta.json} says. Each is kept redacted
 * ({@link Redactor#redact(String)}): a title the user typed may hold a key, and what is
 * stored (H2, a shared PostgreSQL) holds no secret that every output would have to mask.
 *
 * @param customTitle {@code customTitle} of the last {@code custom-title} entry (the
 * user's {@code /rename}), or {@code null}
 * @param aiTitle {@code aiTitle} of the last {@code ai-title} entry, or {@code null}
 * @param agentName {@code agentName} of the last {@code agent-name} entry, or
 * {@code null}
 * @param agentType a subagent's {@code agentType} ({@code Explore},
 * {@code general-purpose}, {@code fork}…), or {@code null}
 * @param agentDescription a subagent's {@code description} (the task it was given), or
 * {@code null}
 */
public record SessionLabels(String customTitle, String aiTitle, String agentName, String agentType,
		String agentDescription) {

	public static final SessionLabels NONE = new SessionLabels(null, null, null, null, null);

	/**
	 * Redacts every label, and cuts the transcript's own to {@link LogEntry#LABEL_MAX}
	 * after redacting them whole (a key crossing the cut is masked whole).
	 */
	public SessionLabels {
		customTitle = Redactor.redactThenCut(customTitle, LogEntry.LABEL_MAX);
		aiTitle = Redactor.redactThenCut(aiTitle, LogEntry.LABEL_MAX);
		agentName = Redactor.redactThenCut(agentName, LogEntry.LABEL_MAX);
		agentType = Redactor.redact(agentType);
		agentDescription = Redactor.redact(agentDescription);
	}

	/** Labels of a transcript's own lines. */
	public SessionLabels(String customTitle, String aiTitle, String agentName) {
		this(customTitle, aiTitle, agentName, null, null);
	}

	/** The session's title: the custom title, else the AI title, else {@code null}. */
	public String title() {
		return (this.customTitle != null) ? this.customTitle : this.aiTitle;
	}

	/** These labels with a subagent's type and description. */
	public SessionLabels withAgent(String type, String description) {
		return new SessionLabels(this.customTitle, this.aiTitle, this.agentName, type, description);
	}

}
