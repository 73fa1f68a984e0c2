package dev.cctracer.generator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Lays out the real transcripts of {@code ../shared/realdata} as a Claude config dir, in
 * the layouts Claude Code uses, for tests and demos.
 * <ul>
 * <li>{@code -home-marco-projects-spotter}: session ae4a77f8 with two subagents (new
 * layout), the orphan subagent of session 6c2214d7 (its main file is absent),
 * {@code short.jsonl} as session 55604662, {@code subagent.jsonl} as session 0b4f5e2c…,
 * {@code tool_heavy.jsonl} as session 7f7e6d5c…;</li>
 * <li>{@code -path-to-Demo}: the claude-code-viewer session with inline sidechains (old
 * layout);</li>
 * <li>{@code -Users-chip-dev-ai-music}: the sniffly session (oldest format);</li>
 * <li>{@code -edge-cases}: {@code edge_cases.jsonl} (malformed lines) as session
 * 11111111….</li>
 * </ul>
 */
public final class RealDataLayout {

	/**
	 * The {@code shared/realdata} directory of a test run: {@code -Drealdata.dir} (the
	 * build sets it), else {@code ../../shared/realdata} from a module's directory.
	 */
	public static Path source() {
		String configured = System.getProperty("realdata.dir");
		return Path.of((configured != null) ? configured : "../../shared/realdata").toAbsolutePath().normalize();
	}

	public static final String SPOTTER = "-home-marco-projects-spotter";

	public static final String VIEWER = "-path-to-Demo";

	public static final String SNIFFLY = "-Users-chip-dev-ai-music";

	public static final String EDGE = "-edge-cases";

	public static final String MAIN_SESSION = "ae4a77f8-aedd-4bc1-888f-c94edc91af04";

	public static final String ORPHAN_SESSION = "6c2214d7-b87e-4432-8e41-22ba294ea584";

	public static final String SHORT_SESSION = "55604662-cf2a-4331-851a-ec234028f8ca";

	public static final String SUBAGENT_SESSION = "0b4f5e2c-1d3a-4c5b-9e8f-7a6b5c4d3e2f";

	public static final String TOOL_HEAVY_SESSION = "7f7e6d5c-4b3a-4291-8a7b-6c5d4e3f2a1b";

	public static final String VIEWER_SESSION = "fe5e1c67-53e7-4862-81ae-d0e013e3270b";

	public static final String SNIFFLY_SESSION = "d3ad4cdc-5657-435d-98fa-0035d53e383d";

	public static final String EDGE_SESSION = "11111111-2222-3333-4444-555555555555";

	private RealDataLayout() {
	}

	/**
	 * Copies the transcripts under {@code configDir/projects}.
	 * @param realData the {@code shared/realdata} directory
	 * @return the projects directory
	 */
	public static Path create(Path realData, Path configDir) throws IOException {
		Path projects = configDir.resolve("projects");
		Path spotter = projects.resolve(SPOTTER);
		copy(realData.resolve("spotter/" + MAIN_SESSION + ".jsonl"), spotter.resolve(MAIN_SESSION + ".jsonl"));
		copy(realData.resolve("spotter/" + MAIN_SESSION + "/subagents/agent-aac57f5.jsonl"),
				spotter.resolve(MAIN_SESSION + "/subagents/agent-aac57f5.jsonl"));
		copy(realData.resolve("spotter/" + MAIN_SESSION + "/subagents/agent-acompact-946d2b.jsonl"),
				spotter.resolve(MAIN_SESSION + "/subagents/agent-acompact-946d2b.jsonl"));
		copy(realData.resolve("spotter/" + ORPHAN_SESSION + "/subagents/agent-afc096d.jsonl"),
				spotter.resolve(ORPHAN_SESSION + "/subagents/agent-afc096d.jsonl"));
		copy(realData.resolve("spotter/short.jsonl"), spotter.resolve(SHORT_SESSION + ".jsonl"));
		copy(realData.resolve("spotter/subagent.jsonl"), spotter.resolve(SUBAGENT_SESSION + ".jsonl"));
		copy(realData.resolve("spotter/tool_heavy.jsonl"), spotter.resolve(TOOL_HEAVY_SESSION + ".jsonl"));
		copy(realData.resolve("claude-code-viewer/" + VIEWER_SESSION + ".jsonl"),
				projects.resolve(VIEWER + "/" + VIEWER_SESSION + ".jsonl"));
		copy(realData.resolve("sniffly/" + SNIFFLY_SESSION + ".jsonl"),
				projects.resolve(SNIFFLY + "/" + SNIFFLY_SESSION + ".jsonl"));
		copy(realData.resolve("claude-code-log/edge_cases.jsonl"),
				projects.resolve(EDGE + "/" + EDGE_SESSION + ".jsonl"));
		return projects;
	}

	private static void copy(Path from, Path to) throws IOException {
		Files.createDirectories(to.getParent());
		Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
	}

}
