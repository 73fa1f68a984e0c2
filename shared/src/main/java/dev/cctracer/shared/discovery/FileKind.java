package dev.cctracer.shared.discovery;

/**
 * The four layouts Claude Code uses for a project's files.
 */
public enum FileKind {

	/** {@code <project>/<session>.jsonl}. */
	MAIN,
	/** {@code <project>/<session>/subagents/agent-<id>.jsonl}. */
	SUBAGENT,
	/** {@code <project>/<session>/subagents/workflows/<wf>/agent-<id>.jsonl}. */
	WORKFLOW_AGENT,
	/**
	 * {@code <project>/agent-<id>.jsonl}, the legacy flat layout: its session comes from
	 * its lines.
	 */
	LEGACY_AGENT;

	public boolean isSubagent() {
		return this != MAIN;
	}

}
