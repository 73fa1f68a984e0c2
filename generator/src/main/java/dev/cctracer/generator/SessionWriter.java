package dev.cctracer.generator;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.cctracer.shared.log.Usage;

/**
 * Shapes one main session and its subagents, every decision drawn from the generator's
 * seeded {@link Random}: user turns, one to three API responses a turn (each spread over
 * one line per content block, with a tool_use / tool_result pair), hook progress and
 * system lines, file-history snapshots, an occasional inline sidechain and malformed
 * line, and two subagents in one of the three layouts (legacy flat {@code agent-*.jsonl},
 * {@code subagents/}, {@code subagents/workflows/}). A session keeps its own clock (epoch
 * milliseconds, UTC) and uses the 1h cache write in three sessions out of four, the 5m
 * one otherwise.
 */
final class SessionWriter {

	private static final String[] MODELS = { "claude-opus-4-6", "claude-sonnet-4-5-20250929",
			"claude-haiku-4-5-20251001" };

	/**
	 * A thinking or text block of the calibrated shape (bytes; real assistant lines
	 * 1.3–2.1 KB).
	 */
	private static final int CALIBRATED_BLOCK = 1300;

	/** The padding of a calibrated user prompt (bytes; real prompt lines 2.3–2.7 KB). */
	private static final int CALIBRATED_PROMPT = 2000;

	private static final String[] TOOLS = { "Bash", "Read", "Edit", "Grep", "Write", "Glob" };

	private final DatasetGenerator.Spec spec;

	private final Random random;

	private final RandomText text;

	private final ResponseLedger ledger;

	private final GroundTruth truth;

	private final Path projects;

	private final String dir;

	private final String session;

	private final TranscriptEntries entries;

	private long now;

	private final boolean oneHour;

	/** A subagent to write after the main session, in layout 0, 1 or 2 (and above). */
	private record Subagent(String id, int layout) {

	}

	/**
	 * @param projects the {@code projects/} directory
	 * @param dir the project dir (the cwd with {@code /} as {@code -})
	 * @param session the session id
	 * @param cwd the project's working directory
	 * @param start when the session begins
	 */
	SessionWriter(DatasetGenerator.Spec spec, Random random, ResponseLedger ledger, GroundTruth truth, Path projects,
			String dir, String session, String cwd, Instant start) {
		this.spec = spec;
		this.random = random;
		this.text = new RandomText(random, spec.shape() == DatasetGenerator.Shape.CALIBRATED);
		this.ledger = ledger;
		this.truth = truth;
		this.projects = projects;
		this.dir = dir;
		this.session = session;
		this.entries = new TranscriptEntries(cwd, session);
		this.now = start.toEpochMilli();
		this.oneHour = random.nextInt(4) != 0;
	}

	/**
	 * Writes the main session file (starting with {@code copied}, the history a resumed
	 * session repeats) and then its subagents.
	 * @return the main session's responses, as a later resumed session would copy them
	 * @throws IOException when a file cannot be written
	 */
	List<ApiResponse> writeMain(List<ApiResponse> copied) throws IOException {
		String rel = this.dir + "/" + this.session + ".jsonl";
		List<ApiResponse> written = new ArrayList<>();
		List<Subagent> subagents = new ArrayList<>();
		try (JsonlFile out = new JsonlFile(this.projects.resolve(rel), this.truth)) {
			for (ApiResponse r : copied) {
				written.add(writeResponse(out, rel, r, null, true));
			}
			int turns = this.spec.turnsPerSession();
			String model = MODELS[this.random.nextInt(MODELS.length)];
			boolean inlineSidechain = this.random.nextInt(10) == 0;
			for (int t = 0; t < turns; t++) {
				String prompt = "Please work on step " + t + " of the plan.";
				// real prompts carry context (reminders, pasted code): ~2.3 KB a line
				writeUser(out, calibrated() ? prompt + " " + this.text.pad(CALIBRATED_PROMPT) : prompt);
				int progress = calibrated() ? this.random.nextInt(3) : ((this.random.nextInt(3) == 0) ? 1 : 0);
				for (int p = 0; p < progress; p++) {
					writeProgress(out);
				}
				int responses = 1 + this.random.nextInt(3);
				for (int k = 0; k < responses; k++) {
					boolean task = this.random.nextInt(14) == 0;
					ApiResponse r = newResponse(model, false, null);
					written.add(writeResponse(out, rel, r, task ? "Task" : TOOLS[this.random.nextInt(TOOLS.length)],
							false));
					if (task && subagents.size() < 2) {
						subagents.add(new Subagent(this.text.hex(7), this.random.nextInt(6)));
					}
				}
				if (inlineSidechain && t % 5 == 2) {
					ApiResponse side = newResponse("claude-haiku-4-5-20251001", true, "inline" + t);
					writeResponse(out, rel, side, "Read", false);
				}
				if (t % 7 == 3) {
					this.entries.fileHistorySnapshot(out);
				}
				if (t % 9 == 8 && this.random.nextInt(6) == 0) {
					this.entries.truncatedAssistant(out);
					this.truth.invalidLines++;
				}
				writeSystem(out);
			}
		}
		// every main session gets two subagents (~3 files per session), some in other
		// layouts
		while (subagents.size() < 2) {
			subagents.add(new Subagent(this.text.hex(7), this.random.nextInt(6)));
		}
		for (Subagent a : subagents) {
			writeSubagent(a);
		}
		return written;
	}

	private void writeSubagent(Subagent a) throws IOException {
		String rel = switch (a.layout()) {
			case 0 -> this.dir + "/agent-" + a.id() + ".jsonl";
			case 1 -> this.dir + "/" + this.session + "/subagents/workflows/wf" + a.id().substring(0, 3) + "/agent-"
					+ a.id() + ".jsonl";
			default -> this.dir + "/" + this.session + "/subagents/agent-" + a.id() + ".jsonl";
		};
		long saved = this.now;
		try (JsonlFile out = new JsonlFile(this.projects.resolve(rel), this.truth)) {
			String model = (this.random.nextBoolean()) ? "claude-haiku-4-5-20251001" : "claude-sonnet-4-5-20250929";
			int turns = Math.max(2, this.spec.turnsPerSession() / 3);
			for (int t = 0; t < turns; t++) {
				ApiResponse r = newResponse(model, true, a.id());
				writeResponse(out, rel, r, TOOLS[this.random.nextInt(TOOLS.length)], false);
			}
		}
		this.now = saved;
	}

	private ApiResponse newResponse(String model, boolean sidechain, String agentId) {
		Random rnd = this.random;
		long input = rnd.nextInt(5) == 0 ? 1 : 3 + rnd.nextInt(400);
		long read = 10_000 + rnd.nextInt(120_000);
		long write = rnd.nextInt(3) == 0 ? 0 : 100 + rnd.nextInt(20_000);
		if (model.startsWith("claude-sonnet") && rnd.nextInt(25) == 0) {
			read = 190_000 + rnd.nextInt(60_000); // around the 200k long-context
													// threshold
		}
		long output = 20 + rnd.nextInt(1500);
		boolean fast = model.equals("claude-opus-4-6") && rnd.nextInt(20) == 0;
		Usage usage = this.oneHour ? new Usage(input, output, 0, write, read, fast)
				: new Usage(input, output, write, 0, read, fast);
		// content-block lines besides the tool_use: 1–3, or 0–2 like real transcripts
		int blocks = calibrated() ? rnd.nextInt(3) : 1 + rnd.nextInt(3);
		return new ApiResponse("msg_01" + this.text.alnum(22), "req_011C" + this.text.alnum(20), model, usage, 0,
				blocks, sidechain, agentId);
	}

	/**
	 * Writes a response as Claude Code does: one line per content block, each repeating
	 * the usage with a partial {@code output_tokens} until the last, then the tool_result
	 * when it called {@code tool}. A copy keeps the timestamps of the original.
	 * @return the response as counted (with the timestamp of its final line)
	 */
	private ApiResponse writeResponse(JsonlFile out, String rel, ApiResponse r, String tool, boolean copy)
			throws IOException {
		ApiResponse result = r;
		Random rnd = this.random;
		long ts = copy ? r.finalTs() : 0;
		int blocks = r.blocks() + ((tool != null) ? 1 : 0);
		String toolId = "toolu_01" + this.text.alnum(22);
		for (int b = 0; b < blocks; b++) {
			this.now += 200 + rnd.nextInt(3000);
			boolean last = b == blocks - 1;
			long output = last ? r.usage().output() : Math.min(r.usage().output(), 1 + b);
			long lineTs = copy ? r.finalTs() - (blocks - 1 - b) : this.now;
			if (last && tool != null) {
				this.entries.toolUse(out, r, toolId, tool, output, lineTs);
			}
			else if (b == 0) {
				this.entries.thinking(out, r, this.text.pad(calibrated() ? CALIBRATED_BLOCK : 120), output, lineTs);
			}
			else {
				this.entries.text(out, r, this.text.pad(calibrated() ? CALIBRATED_BLOCK : 200), output, lineTs);
			}
			if (last) {
				ApiResponse counted = copy ? r : r.writtenAt(lineTs);
				this.ledger.count(this.dir, this.session, rel, counted, this.now);
				result = counted;
			}
		}
		if (tool != null) {
			this.now += 500 + rnd.nextInt(20_000);
			boolean error = rnd.nextInt(12) == 0;
			long resultTs = copy ? ts : this.now;
			int size = calibrated()
					? (int) Math.min(200_000, Math.exp(Math.log(this.spec.padBytes()) + 1.8 * rnd.nextGaussian()))
					: this.spec.padBytes() / 2 + rnd.nextInt(this.spec.padBytes() + 1);
			String content = this.text.pad(size);
			this.entries.toolResult(out, r.sidechain(), toolId, content, error, resultTs);
		}
		return result;
	}

	private void writeUser(JsonlFile out, String prompt) throws IOException {
		this.now += 5_000 + this.random.nextInt(60_000);
		this.entries.userPrompt(out, prompt, this.now);
	}

	private boolean calibrated() {
		return this.spec.shape() == DatasetGenerator.Shape.CALIBRATED;
	}

	private void writeProgress(JsonlFile out) throws IOException {
		this.now += 50;
		this.entries.hookProgress(out, this.now);
	}

	private void writeSystem(JsonlFile out) throws IOException {
		this.now += 10;
		this.entries.turnDuration(out, this.now);
	}

}
