package dev.cctracer.generator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.cctracer.generator.DemoScript.Agent;
import dev.cctracer.generator.DemoScript.BadEdit;
import dev.cctracer.generator.DemoScript.Bash;
import dev.cctracer.generator.DemoScript.Edit;
import dev.cctracer.generator.DemoScript.Grep;
import dev.cctracer.generator.DemoScript.MultiEdit;
import dev.cctracer.generator.DemoScript.Read;
import dev.cctracer.generator.DemoScript.Search;
import dev.cctracer.generator.DemoScript.Step;
import dev.cctracer.generator.DemoScript.Task;
import dev.cctracer.generator.DemoScript.Write;
import dev.cctracer.shared.log.Usage;

/**
 * Writes one demo session: its tasks' prompts, one API response per step (a note, then
 * the tool call, one line per content block) with the tool's result as Claude Code logs
 * it (edits carry their {@code structuredPatch}, computed against the project's files as
 * the session changes them), subagents in {@code <session>/subagents/} with their
 * {@code meta.json}, titles, API errors and a compaction. Every response is counted in
 * the ground truth by {@link ResponseLedger}. The session keeps its own clock (epoch
 * milliseconds, UTC); tokens grow with the context as a real session's do.
 */
final class DemoSessionWriter {

	static final String MAIN_MODEL = "claude-opus-4-7";

	static final String AGENT_MODEL = "claude-haiku-4-5-20251001";

	private final Random random;

	private final RandomText text;

	private final ResponseLedger ledger;

	private final GroundTruth truth;

	private final Path projects;

	private final String dir;

	private final String session;

	private final String cwd;

	private final Map<String, String> files;

	private long now;

	private long context;

	/** Where a transcript's lines go and under which file they are counted. */
	private record Target(DemoEntries entries, String rel, String model) {

	}

	DemoSessionWriter(Random random, ResponseLedger ledger, GroundTruth truth, Path projects, String session,
			DemoScript.Project project, long start) {
		this.random = random;
		this.text = new RandomText(random);
		this.ledger = ledger;
		this.truth = truth;
		this.projects = projects;
		this.dir = "-home-dev-" + project.name();
		this.session = session;
		this.cwd = "/home/dev/" + project.name();
		this.files = new HashMap<>(project.files());
		this.now = start;
	}

	/**
	 * Writes the session.
	 * @param tasks what the user asks for, in order
	 * @param customTitle the title the user gave the session, or {@code null}
	 * @param apiErrors API errors to log before the first task's replies
	 * @param compactBefore the task before which the conversation is compacted, or -1
	 * @return the session's end, epoch milliseconds
	 * @throws IOException when a file cannot be written
	 */
	long write(List<Task> tasks, String customTitle, int apiErrors, int compactBefore) throws IOException {
		String rel = this.dir + "/" + this.session + ".jsonl";
		try (JsonlFile out = new JsonlFile(this.projects.resolve(rel), this.truth)) {
			DemoEntries entries = new DemoEntries(out, this.random, this.cwd, this.session, null);
			Target main = new Target(entries, rel, MAIN_MODEL);
			this.context = 22_000 + this.random.nextInt(8_000);
			for (int t = 0; t < tasks.size(); t++) {
				Task task = tasks.get(t);
				if (t == compactBefore) {
					tick(20_000);
					entries.compactBoundary(this.context, 11_200, 45_000 + this.random.nextInt(30_000), this.now);
					this.context = 11_200;
					entries.user("This session is being continued from a previous conversation that ran out of "
							+ "context. The summary below covers the earlier portion of the conversation.\n\nSummary:\n"
							+ "1. Primary Request and Intent:\n   " + tasks.get(0).prompt() + "\n2. Current work:\n   "
							+ tasks.get(t - 1).reply(), this.now, true);
				}
				long turnStart = tick(30_000 + this.random.nextInt(120_000));
				entries.user(task.prompt(), this.now, false);
				if (t == 0) {
					entries.aiTitle(task.title());
					if (customTitle != null) {
						entries.customTitle(customTitle);
					}
				}
				for (int e = 0; t == 0 && e < apiErrors; e++) {
					tick(8_000);
					entries.apiError((e % 2 == 0)
							? "API Error: 529 {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":"
									+ "\"Overloaded\"},\"request_id\":\"req_011C" + this.text.alnum(20) + "\"}"
							: "API Error: Request rejected (429) · Rate limit reached for requests",
							(e % 2 == 0) ? null : "rate_limit", this.now);
				}
				for (Step step : task.steps()) {
					step(main, step);
				}
				respond(main, List.of(block("text", "text", task.reply())), 150 + this.random.nextInt(600), 0);
				entries.turnDuration(this.now - turnStart, tick(15));
			}
		}
		return this.now;
	}

	private long tick(int maxMs) {
		this.now += 200 + this.random.nextInt(maxMs);
		return this.now;
	}

	/** One step: a response with its note and tool call, then the tool's result. */
	private void step(Target to, Step step) throws IOException {
		if (step instanceof Search s) {
			List<Map<String, Object>> blocks = new ArrayList<>(note(step));
			Map<String, Object> use = new LinkedHashMap<>();
			use.put("type", "server_tool_use");
			use.put("id", "srvtoolu_01" + this.text.alnum(22));
			use.put("name", "web_search");
			use.put("input", DemoEntries.map("query", s.query()));
			blocks.add(use);
			blocks.add(block("text", "text", s.findings()));
			respond(to, blocks, 200 + this.random.nextInt(400), s.searches());
			return;
		}
		String toolId = "toolu_01" + this.text.alnum(22);
		Map<String, Object> input = new LinkedHashMap<>();
		String name = step.getClass().getSimpleName();
		String content;
		Object result;
		boolean error = false;
		if (step instanceof Read r) {
			input.put("file_path", path(r.path()));
			String file = file(r.path());
			content = numbered(file);
			result = DemoEntries.map("type", "text", "file", DemoEntries.map("filePath", path(r.path()), "content",
					file, "numLines", lines(file).size(), "startLine", 1, "totalLines", lines(file).size()));
		}
		else if (step instanceof Grep g) {
			input.put("pattern", g.pattern());
			input.put("output_mode", "content");
			input.put("-n", true);
			content = g.output();
			result = DemoEntries.map("mode", "content", "numFiles",
					g.output().lines().map((l) -> l.split(":")[0]).distinct().count(), "filenames", List.of(),
					"content", g.output(), "numLines", g.output().lines().count());
		}
		else if (step instanceof Bash b) {
			input.put("command", b.command());
			input.put("description", b.description());
			error = b.error();
			content = error ? "Exit code 1\n" + b.output() : b.output();
			result = DemoEntries.map("stdout", b.output(), "stderr", "", "interrupted", false, "isImage", false);
		}
		else if (step instanceof Edit e) {
			edit(input, e.path(), e.oldString(), e.newString());
			String before = file(e.path());
			String after = replace(before, e.oldString(), e.newString());
			this.files.put(e.path(), after);
			content = "The file " + path(e.path()) + " has been updated successfully.";
			result = editResult(e.path(), e.oldString(), e.newString(), List.of(DemoPatch.hunk(before, after, 0)));
		}
		else if (step instanceof BadEdit e) {
			name = "Edit";
			edit(input, e.path(), e.oldString(), e.newString());
			if (file(e.path()).contains(e.oldString())) {
				throw new IllegalStateException("a failing edit's old string is in " + e.path());
			}
			error = true;
			content = "<tool_use_error>String to replace not found in file.\nString: " + e.oldString()
					+ "</tool_use_error>";
			result = null;
		}
		else if (step instanceof MultiEdit m) {
			input.put("file_path", path(m.path()));
			List<Map<String, Object>> edits = new ArrayList<>();
			List<Map<String, Object>> hunks = new ArrayList<>();
			String current = file(m.path());
			int delta = 0;
			for (List<String> pair : m.edits()) {
				edits.add(DemoEntries.map("old_string", pair.get(0), "new_string", pair.get(1), "replace_all", false));
				String next = replace(current, pair.get(0), pair.get(1));
				Map<String, Object> hunk = DemoPatch.hunk(current, next, delta);
				delta += (int) hunk.get("newLines") - (int) hunk.get("oldLines");
				hunks.add(hunk);
				current = next;
			}
			input.put("edits", edits);
			this.files.put(m.path(), current);
			content = "Applied " + edits.size() + " edits to " + path(m.path()) + ":\n"
					+ String.join("\n", edits.stream().map((e) -> "- replaced a string").toList());
			result = DemoEntries.map("filePath", path(m.path()), "edits", edits, "structuredPatch", hunks,
					"userModified", false);
		}
		else if (step instanceof Write w) {
			input.put("file_path", path(w.path()));
			input.put("content", w.content());
			this.files.put(w.path(), w.content());
			content = "File created successfully at: " + path(w.path());
			Map<String, Object> r = new LinkedHashMap<>();
			r.put("type", "create");
			r.put("filePath", path(w.path()));
			r.put("content", w.content());
			r.put("structuredPatch", List.of());
			r.put("originalFile", null);
			result = r;
		}
		else if (step instanceof Agent a) {
			input.put("description", a.description());
			input.put("subagent_type", a.type());
			input.put("prompt", a.prompt());
			content = a.report();
			result = null; // written by agent(), which knows the subagent's id
		}
		else {
			throw new IllegalArgumentException(step.toString());
		}
		List<Map<String, Object>> blocks = new ArrayList<>(note(step));
		Map<String, Object> use = new LinkedHashMap<>();
		use.put("type", "tool_use");
		use.put("id", toolId);
		use.put("name", name);
		use.put("input", input);
		use.put("caller", DemoEntries.map("type", "direct"));
		blocks.add(use);
		String source = respond(to, blocks, 60 + this.random.nextInt(500), 0);
		if (step instanceof Agent a) {
			result = agent(a, toolId);
		}
		tick(error ? 3_000 : 12_000);
		to.entries().toolResult(toolId, content, error, result, source, this.now);
		this.context += content.length() / 4;
	}

	/**
	 * Writes a subagent's transcript and meta.json; returns its {@code toolUseResult}.
	 */
	private Map<String, Object> agent(Agent a, String toolId) throws IOException {
		String agentId = "a" + this.text.hex(16);
		String rel = this.dir + "/" + this.session + "/subagents/agent-" + agentId + ".jsonl";
		long savedContext = this.context;
		long started = this.now;
		this.context = 6_000 + this.random.nextInt(3_000);
		try (JsonlFile out = new JsonlFile(this.projects.resolve(rel), this.truth)) {
			DemoEntries entries = new DemoEntries(out, this.random, this.cwd, this.session, agentId);
			Target sub = new Target(entries, rel, AGENT_MODEL);
			entries.user(a.prompt(), tick(800), false);
			if (a.name() != null) {
				entries.agentName(a.name());
			}
			for (Step s : a.steps()) {
				step(sub, s);
			}
			respond(sub, List.of(block("text", "text", a.report())), 300 + this.random.nextInt(500), 0);
		}
		Files.writeString(this.projects.resolve(rel.replace(".jsonl", ".meta.json")),
				DemoEntries.meta(a.type(), a.description(), toolId));
		long tokens = this.context;
		this.context = savedContext;
		Map<String, Object> r = new LinkedHashMap<>();
		r.put("status", "completed");
		r.put("prompt", a.prompt());
		r.put("agentId", agentId);
		r.put("agentType", a.type());
		r.put("content", List.of(block("text", "text", a.report())));
		r.put("totalDurationMs", this.now - started);
		r.put("totalTokens", tokens);
		r.put("totalToolUseCount", a.steps().size());
		return r;
	}

	/**
	 * One API response, one line per block; counted at its last line.
	 * @return the last line's uuid
	 */
	private String respond(Target to, List<Map<String, Object>> blocks, long output, long webSearches)
			throws IOException {
		long write = 300 + this.random.nextInt(2_700);
		Usage usage = new Usage(1 + this.random.nextInt(9), output, 0, write, this.context, false, webSearches);
		ApiResponse r = new ApiResponse("msg_01" + this.text.alnum(22), "req_011C" + this.text.alnum(20), to.model(),
				usage, 0, blocks.size(), !to.model().equals(MAIN_MODEL), null);
		String uuid = null;
		for (int b = 0; b < blocks.size(); b++) {
			boolean last = b == blocks.size() - 1;
			tick(9_000);
			uuid = to.entries().assistant(r, blocks.get(b), last ? output : Math.min(output, b + 1), last, this.now);
		}
		this.ledger.count(this.dir, this.session, to.rel(), r.writtenAt(this.now), this.now);
		this.context += write + output;
		return uuid;
	}

	private List<Map<String, Object>> note(Step step) {
		return (step.note() == null) ? List.of() : List.of(block("text", "text", step.note()));
	}

	private static Map<String, Object> block(String type, String field, String value) {
		Map<String, Object> b = new LinkedHashMap<>();
		b.put("type", type);
		b.put(field, value);
		return b;
	}

	private void edit(Map<String, Object> input, String path, String oldString, String newString) {
		input.put("file_path", path(path));
		input.put("old_string", oldString);
		input.put("new_string", newString);
		input.put("replace_all", false);
	}

	private Map<String, Object> editResult(String path, String oldString, String newString,
			List<Map<String, Object>> patch) {
		Map<String, Object> r = new LinkedHashMap<>();
		r.put("filePath", path(path));
		r.put("oldString", oldString);
		r.put("newString", newString);
		r.put("originalFile", null);
		r.put("structuredPatch", patch);
		r.put("userModified", false);
		r.put("replaceAll", false);
		return r;
	}

	private String path(String relative) {
		return this.cwd + "/" + relative;
	}

	private String file(String relative) {
		String content = this.files.get(relative);
		if (content == null) {
			throw new IllegalStateException("no file " + relative + " in the demo project " + this.dir);
		}
		return content;
	}

	private static String replace(String content, String oldString, String newString) {
		int at = content.indexOf(oldString);
		if (at < 0 || content.indexOf(oldString, at + 1) >= 0) {
			throw new IllegalStateException("an edit's old string is not in the file exactly once: " + oldString);
		}
		return content.substring(0, at) + newString + content.substring(at + oldString.length());
	}

	private static String firstLine(String text) {
		int nl = text.indexOf('\n');
		return (nl < 0 || nl == text.length() - 1) ? text.strip() : text.substring(0, nl).strip() + "…";
	}

	private static List<String> lines(String content) {
		return DemoPatch.lines(content);
	}

	/** The file as {@code Read} shows it: {@code cat -n} numbering. */
	private static String numbered(String content) {
		StringBuilder sb = new StringBuilder();
		List<String> lines = lines(content);
		for (int i = 0; i < lines.size(); i++) {
			sb.append(String.format("%6d\t%s\n", i + 1, lines.get(i)));
		}
		return sb.toString();
	}

}
