package dev.cctracer.shared.discovery;

import java.nio.file.Path;

/**
 * A transcript file found under a projects root.
 *
 * @param root the projects directory it was found under (real path)
 * @param relativePath path below the root, with '/' separators
 * @param projectDir the project directory name
 * @param kind its layout
 * @param sessionId the session it belongs to when the layout tells (else {@code null})
 * @param agentId the subagent id for subagent files (else {@code null})
 */
public record LogFile(Path root, String relativePath, String projectDir, FileKind kind, String sessionId,
		String agentId) {

	public Path path() {
		return this.root.resolve(this.relativePath);
	}

	/**
	 * Classifies a path relative to a projects root; {@code null} when it is not a
	 * transcript in one of the four layouts.
	 */
	public static LogFile classify(Path root, String relativePath) {
		String[] parts = relativePath.split("/");
		if (parts.length < 2 || !Ids.isProjectDir(parts[0])) {
			return null;
		}
		String name = parts[parts.length - 1];
		if (!name.endsWith(".jsonl")) {
			return null;
		}
		String stem = name.substring(0, name.length() - ".jsonl".length());
		String project = parts[0];
		boolean agentFile = stem.startsWith("agent-") && Ids.isAgentId(stem.substring("agent-".length()));
		String agentId = agentFile ? stem.substring("agent-".length()) : null;
		if (parts.length == 2) {
			if (agentFile) {
				return new LogFile(root, relativePath, project, FileKind.LEGACY_AGENT, null, agentId);
			}
			if (Ids.isSessionId(stem)) {
				return new LogFile(root, relativePath, project, FileKind.MAIN, Ids.requireSessionId(stem), null);
			}
			return null;
		}
		if (!agentFile || !Ids.isSessionId(parts[1]) || !"subagents".equals(parts[2])) {
			return null;
		}
		String session = Ids.requireSessionId(parts[1]);
		if (parts.length == 4) {
			return new LogFile(root, relativePath, project, FileKind.SUBAGENT, session, agentId);
		}
		if (parts.length == 6 && "workflows".equals(parts[3]) && Ids.isAgentId(parts[4])) {
			return new LogFile(root, relativePath, project, FileKind.WORKFLOW_AGENT, session, agentId);
		}
		return null;
	}

}
