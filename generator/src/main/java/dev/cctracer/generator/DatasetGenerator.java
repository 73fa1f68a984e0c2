package dev.cctracer.generator;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import dev.cctracer.shared.log.Usage;
import dev.cctracer.shared.pricing.PriceTable;

/**
 * Writes realistic Claude Code logs, deterministic by seed, and their exact ground truth.
 * <p>
 * What it writes, like Claude Code does: one line per content block of each API response,
 * each repeating the usage with a partial {@code output_tokens} until the last; tool_use
 * / tool_result pairs with padded results; progress, system and file-history-snapshot
 * lines; subagents in the {@code subagents/} and {@code subagents/workflows/} layouts and
 * the legacy flat layout; inline sidechains; resumed sessions that copy the history of an
 * earlier session into a new file; the 5m/1h cache split; long-context requests and fast
 * mode; and a few malformed lines.
 * <p>
 * The ground truth counts each response once, in the file the dedup rule picks (copies
 * are equal, so the first file in path order), at the time of its final line.
 */
public final class DatasetGenerator {

	/**
	 * @param projects number of project dirs
	 * @param sessionsPerProject sessions per project
	 * @param turnsPerSession user turns per main session (subagents get a third)
	 * @param padBytes average size of a tool result's text
	 * @param seed random seed
	 * @param start first day of activity
	 */
	public record Spec(int projects, int sessionsPerProject, int turnsPerSession, int padBytes, long seed,
			Instant start) {

		/** ~20 MB. */
		public static Spec small() {
			return new Spec(5, 8, 16, 6000, 42, Instant.parse("2026-01-05T08:00:00Z"));
		}

		/** 50 projects × 20 sessions, ~3,000 files, ~0.9 GB. */
		public static Spec medium() {
			return new Spec(50, 20, 20, 13500, 42, Instant.parse("2026-01-05T08:00:00Z"));
		}

		/** A few sessions, for tests. */
		public static Spec tiny(long seed) {
			return new Spec(3, 4, 6, 200, seed, Instant.parse("2026-03-01T22:30:00Z"));
		}

		public Spec scaled(int factor) {
			return new Spec(this.projects * factor, this.sessionsPerProject, this.turnsPerSession, this.padBytes,
					this.seed, this.start);
		}

	}

	private static final String[] MODELS = { "claude-opus-4-6", "claude-sonnet-4-5-20250929",
			"claude-haiku-4-5-20251001" };

	private static final String[] TOOLS = { "Bash", "Read", "Edit", "Grep", "Write", "Glob" };

	private static final JsonFactory JSON = new JsonFactory();

	private final Spec spec;

	private final PriceTable prices = PriceTable.bundled();

	private final Random random;

	private final GroundTruth truth = new GroundTruth();

	/** Responses already counted, by message id: the copy that counts and where it is. */
	private final Map<String, Counted> countedIn = new HashMap<>();

	private record Counted(String project, String session, String file, String day, String model, Usage usage,
			long cost) {

	}

	public DatasetGenerator(Spec spec) {
		this.spec = spec;
		this.random = new Random(spec.seed());
	}

	/**
	 * Writes the dataset under {@code configDir/projects} and returns its ground truth.
	 */
	public GroundTruth generate(Path configDir) throws IOException {
		Path projects = configDir.resolve("projects");
		for (int p = 0; p < this.spec.projects(); p++) {
			String projectName = String.format("project-%03d", p);
			String dir = "-home-dev-" + projectName;
			String cwd = "/home/dev/" + projectName;
			List<Response> previous = null;
			for (int s = 0; s < this.spec.sessionsPerProject(); s++) {
				String session = new UUID(this.random.nextLong(), this.random.nextLong()).toString();
				Instant start = this.spec.start()
					.plusSeconds((long) p * 3600 + (long) s * 86_400 / 2 + this.random.nextInt(3600));
				SessionWriter w = new SessionWriter(projects, dir, session, cwd, start);
				// a resumed session starts with a copy of the previous session's
				// responses
				List<Response> copied = (previous != null && this.random.nextInt(8) == 0) ? previous : List.of();
				previous = w.writeMain(copied);
			}
		}
		return this.truth;
	}

	/** One API response and where its counted copy lives. */
	private record Response(String messageId, String requestId, String model, Usage usage, long finalTs, int blocks,
			boolean sidechain, String agentId) {

	}

	private final class SessionWriter {

		private final Path projects;

		private final String dir;

		private final String session;

		private final String cwd;

		private long now;

		private final boolean oneHour;

		SessionWriter(Path projects, String dir, String session, String cwd, Instant start) {
			this.projects = projects;
			this.dir = dir;
			this.session = session;
			this.cwd = cwd;
			this.now = start.toEpochMilli();
			this.oneHour = DatasetGenerator.this.random.nextInt(4) != 0;
		}

		List<Response> writeMain(List<Response> copied) throws IOException {
			String rel = this.dir + "/" + this.session + ".jsonl";
			List<Response> written = new ArrayList<>();
			List<Subagent> subagents = new ArrayList<>();
			try (LineOut out = new LineOut(this.projects.resolve(rel))) {
				for (Response r : copied) {
					written.add(writeResponse(out, rel, r, null, true));
				}
				int turns = DatasetGenerator.this.spec.turnsPerSession();
				String model = MODELS[DatasetGenerator.this.random.nextInt(MODELS.length)];
				boolean inlineSidechain = DatasetGenerator.this.random.nextInt(10) == 0;
				for (int t = 0; t < turns; t++) {
					writeUser(out, "Please work on step " + t + " of the plan.");
					if (DatasetGenerator.this.random.nextInt(3) == 0) {
						writeProgress(out);
					}
					int responses = 1 + DatasetGenerator.this.random.nextInt(3);
					for (int k = 0; k < responses; k++) {
						boolean task = DatasetGenerator.this.random.nextInt(14) == 0;
						Response r = newResponse(model, false, null);
						written.add(writeResponse(out, rel, r,
								task ? "Task" : TOOLS[DatasetGenerator.this.random.nextInt(TOOLS.length)], false));
						if (task && subagents.size() < 2) {
							subagents.add(new Subagent(randomHex(7), DatasetGenerator.this.random.nextInt(6)));
						}
					}
					if (inlineSidechain && t % 5 == 2) {
						Response side = newResponse("claude-haiku-4-5-20251001", true, "inline" + t);
						writeResponse(out, rel, side, "Read", false);
					}
					if (t % 7 == 3) {
						out.raw("{\"type\":\"file-history-snapshot\",\"messageId\":\"" + UUID.randomUUID()
								+ "\",\"snapshot\":{\"trackedFileBackups\":{}},\"isSnapshotUpdate\":false}");
					}
					if (t % 9 == 8 && DatasetGenerator.this.random.nextInt(6) == 0) {
						out.raw("{\"type\":\"assistant\",\"message\":{\"id\":\"msg_trunc");
						DatasetGenerator.this.truth.invalidLines++;
					}
					writeSystem(out);
				}
			}
			// every main session gets two subagents (~3 files per session), some in other
			// layouts
			while (subagents.size() < 2) {
				subagents.add(new Subagent(randomHex(7), DatasetGenerator.this.random.nextInt(6)));
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
			try (LineOut out = new LineOut(this.projects.resolve(rel))) {
				String model = (DatasetGenerator.this.random.nextBoolean()) ? "claude-haiku-4-5-20251001"
						: "claude-sonnet-4-5-20250929";
				int turns = Math.max(2, DatasetGenerator.this.spec.turnsPerSession() / 3);
				for (int t = 0; t < turns; t++) {
					Response r = newResponse(model, true, a.id());
					writeResponse(out, rel, r, TOOLS[DatasetGenerator.this.random.nextInt(TOOLS.length)], false);
				}
			}
			this.now = saved;
		}

		private Response newResponse(String model, boolean sidechain, String agentId) {
			Random rnd = DatasetGenerator.this.random;
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
			int blocks = 1 + rnd.nextInt(3);
			return new Response("msg_01" + randomAlnum(22), "req_011C" + randomAlnum(20), model, usage, 0, blocks,
					sidechain, agentId);
		}

		private Response writeResponse(LineOut out, String rel, Response r, String tool, boolean copy)
				throws IOException {
			Response result = r;
			Random rnd = DatasetGenerator.this.random;
			long ts = copy ? r.finalTs() : 0;
			int blocks = r.blocks() + ((tool != null) ? 1 : 0);
			String toolId = "toolu_01" + randomAlnum(22);
			for (int b = 0; b < blocks; b++) {
				this.now += 200 + rnd.nextInt(3000);
				boolean last = b == blocks - 1;
				long output = last ? r.usage().output() : Math.min(r.usage().output(), 1 + b);
				long lineTs = copy ? r.finalTs() - (blocks - 1 - b) : this.now;
				int block = b;
				out.line((g) -> {
					g.writeStartObject();
					g.writeStringField("parentUuid", UUID.randomUUID().toString());
					g.writeBooleanField("isSidechain", r.sidechain());
					if (r.agentId() != null) {
						g.writeStringField("agentId", r.agentId());
					}
					g.writeStringField("userType", "external");
					g.writeStringField("cwd", this.cwd);
					g.writeStringField("sessionId", this.session);
					g.writeStringField("version", "2.1.39");
					g.writeObjectFieldStart("message");
					g.writeStringField("model", r.model());
					g.writeStringField("id", r.messageId());
					g.writeStringField("type", "message");
					g.writeStringField("role", "assistant");
					g.writeArrayFieldStart("content");
					g.writeStartObject();
					if (last && tool != null) {
						g.writeStringField("type", "tool_use");
						g.writeStringField("id", toolId);
						g.writeStringField("name", tool);
						g.writeObjectFieldStart("input");
						g.writeStringField("command", "make test");
						g.writeEndObject();
					}
					else if (block == 0) {
						g.writeStringField("type", "thinking");
						g.writeStringField("thinking", pad(120));
					}
					else {
						g.writeStringField("type", "text");
						g.writeStringField("text", pad(200));
					}
					g.writeEndObject();
					g.writeEndArray();
					g.writeNullField("stop_reason");
					g.writeObjectFieldStart("usage");
					g.writeNumberField("input_tokens", r.usage().input());
					g.writeNumberField("cache_creation_input_tokens", r.usage().cacheWrite());
					g.writeNumberField("cache_read_input_tokens", r.usage().cacheRead());
					g.writeObjectFieldStart("cache_creation");
					g.writeNumberField("ephemeral_5m_input_tokens", r.usage().cacheWrite5m());
					g.writeNumberField("ephemeral_1h_input_tokens", r.usage().cacheWrite1h());
					g.writeEndObject();
					g.writeNumberField("output_tokens", output);
					g.writeStringField("service_tier", "standard");
					if (r.usage().fast()) {
						g.writeStringField("speed", "fast");
					}
					g.writeEndObject();
					g.writeEndObject();
					g.writeStringField("requestId", r.requestId());
					g.writeStringField("type", "assistant");
					g.writeStringField("uuid", UUID.randomUUID().toString());
					g.writeStringField("timestamp", Instant.ofEpochMilli(lineTs).toString());
					g.writeEndObject();
				});
				if (last) {
					Response counted = copy ? r : new Response(r.messageId(), r.requestId(), r.model(), r.usage(),
							lineTs, r.blocks(), r.sidechain(), r.agentId());
					count(rel, counted);
					result = counted;
				}
			}
			if (tool != null) {
				this.now += 500 + rnd.nextInt(20_000);
				boolean error = rnd.nextInt(12) == 0;
				long resultTs = copy ? ts : this.now;
				out.line((g) -> {
					g.writeStartObject();
					g.writeBooleanField("isSidechain", r.sidechain());
					g.writeStringField("cwd", this.cwd);
					g.writeStringField("sessionId", this.session);
					g.writeStringField("type", "user");
					g.writeObjectFieldStart("message");
					g.writeStringField("role", "user");
					g.writeArrayFieldStart("content");
					g.writeStartObject();
					g.writeStringField("tool_use_id", toolId);
					g.writeStringField("type", "tool_result");
					g.writeStringField("content", pad(DatasetGenerator.this.spec.padBytes() / 2
							+ rnd.nextInt(DatasetGenerator.this.spec.padBytes() + 1)));
					g.writeBooleanField("is_error", error);
					g.writeEndObject();
					g.writeEndArray();
					g.writeEndObject();
					g.writeStringField("uuid", UUID.randomUUID().toString());
					g.writeStringField("timestamp", Instant.ofEpochMilli(resultTs).toString());
					g.writeEndObject();
				});
			}
			return result;
		}

		private void count(String rel, Response r) {
			long finalTs = (r.finalTs() != 0) ? r.finalTs() : this.now;
			Counted previous = DatasetGenerator.this.countedIn.get(r.messageId());
			if (previous != null) {
				DatasetGenerator.this.truth.crossFileCopies++;
				// an identical copy: the first file in path order keeps it
				if (previous.file().compareTo(rel) <= 0) {
					return;
				}
				DatasetGenerator.this.truth.count(previous.project(), previous.session(), previous.file(),
						previous.day(), previous.model(), previous.usage(), previous.cost(), -1);
			}
			long cost = DatasetGenerator.this.prices.cost(r.model(), finalTs, r.usage()).total();
			String day = Instant.ofEpochMilli(finalTs).toString().substring(0, 10);
			DatasetGenerator.this.countedIn.put(r.messageId(),
					new Counted(this.dir, this.session, rel, day, r.model(), r.usage(), cost));
			DatasetGenerator.this.truth.count(this.dir, this.session, rel, day, r.model(), r.usage(), cost, 1);
		}

		private void writeUser(LineOut out, String text) throws IOException {
			this.now += 5_000 + DatasetGenerator.this.random.nextInt(60_000);
			long ts = this.now;
			out.line((g) -> {
				g.writeStartObject();
				g.writeBooleanField("isSidechain", false);
				g.writeStringField("cwd", this.cwd);
				g.writeStringField("sessionId", this.session);
				g.writeStringField("type", "user");
				g.writeObjectFieldStart("message");
				g.writeStringField("role", "user");
				g.writeStringField("content", text);
				g.writeEndObject();
				g.writeStringField("uuid", UUID.randomUUID().toString());
				g.writeStringField("timestamp", Instant.ofEpochMilli(ts).toString());
				g.writeEndObject();
			});
		}

		private void writeProgress(LineOut out) throws IOException {
			this.now += 50;
			long ts = this.now;
			out.line((g) -> {
				g.writeStartObject();
				g.writeStringField("type", "progress");
				g.writeStringField("sessionId", this.session);
				g.writeObjectFieldStart("data");
				g.writeStringField("type", "hook_progress");
				g.writeStringField("hookEvent", "PostToolUse");
				g.writeStringField("command", "echo ok");
				g.writeEndObject();
				g.writeStringField("timestamp", Instant.ofEpochMilli(ts).toString());
				g.writeEndObject();
			});
		}

		private void writeSystem(LineOut out) throws IOException {
			this.now += 10;
			long ts = this.now;
			out.line((g) -> {
				g.writeStartObject();
				g.writeStringField("type", "system");
				g.writeStringField("subtype", "turn_duration");
				g.writeNumberField("durationMs", 1234);
				g.writeStringField("sessionId", this.session);
				g.writeStringField("timestamp", Instant.ofEpochMilli(ts).toString());
				g.writeEndObject();
			});
		}

		private String pad(int length) {
			StringBuilder sb = new StringBuilder(length);
			Random rnd = DatasetGenerator.this.random;
			while (sb.length() < length) {
				sb.append(WORDS[rnd.nextInt(WORDS.length)]).append(rnd.nextInt(40) == 0 ? "\n" : " ");
			}
			sb.setLength(length);
			return sb.toString();
		}

	}

	private static final String[] WORDS = { "the", "build", "passes", "test", "file", "src/main/java", "error:",
			"function", "return", "value", "\"quoted\"", "line", "diff", "--- a/", "+++ b/", "ok", "{", "}", "é", "→" };

	private record Subagent(String id, int layout) {

	}

	private String randomHex(int n) {
		StringBuilder sb = new StringBuilder(n);
		for (int i = 0; i < n; i++) {
			sb.append(Character.forDigit(this.random.nextInt(16), 16));
		}
		return sb.toString();
	}

	private String randomAlnum(int n) {
		String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
		StringBuilder sb = new StringBuilder(n);
		for (int i = 0; i < n; i++) {
			sb.append(alphabet.charAt(this.random.nextInt(alphabet.length())));
		}
		return sb.toString();
	}

	@FunctionalInterface
	private interface LineBody {

		void write(JsonGenerator g) throws IOException;

	}

	/** A JSONL file: one JSON object per line. */
	private final class LineOut implements AutoCloseable {

		private final OutputStream out;

		private final CountingBuffer buffer = new CountingBuffer();

		LineOut(Path file) throws IOException {
			Files.createDirectories(file.getParent());
			this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
			DatasetGenerator.this.truth.fileCount++;
		}

		void line(LineBody body) throws IOException {
			this.buffer.reset();
			try (JsonGenerator g = JSON.createGenerator(this.buffer, JsonEncoding.UTF8)) {
				body.write(g);
			}
			this.buffer.writeTo(this.out);
			this.out.write('\n');
			DatasetGenerator.this.truth.lines++;
			DatasetGenerator.this.truth.bytes += this.buffer.size() + 1;
		}

		void raw(String json) throws IOException {
			byte[] bytes = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
			this.out.write(bytes);
			this.out.write('\n');
			DatasetGenerator.this.truth.lines++;
			DatasetGenerator.this.truth.bytes += bytes.length + 1;
		}

		@Override
		public void close() throws IOException {
			this.out.close();
		}

	}

	private static final class CountingBuffer extends java.io.ByteArrayOutputStream {

	}

	/** {@code java -cp … DatasetGenerator <configDir> [small|medium|tiny] [scale]}. */
	public static void main(String[] args) throws IOException {
		if (args.length < 1) {
			System.err.println("usage: DatasetGenerator <config-dir> [small|medium] [scale]");
			System.exit(2);
		}
		Spec spec = (args.length > 1 && args[1].equals("medium")) ? Spec.medium() : Spec.small();
		if (args.length > 2) {
			spec = spec.scaled(Integer.parseInt(args[2]));
		}
		long started = System.nanoTime();
		GroundTruth truth = new DatasetGenerator(spec).generate(Path.of(args[0]));
		System.out.printf("%d files, %d lines, %.1f MB, %d messages in %.1f s%n", truth.fileCount, truth.lines,
				truth.bytes / 1e6, truth.global.messages, (System.nanoTime() - started) / 1e9);
	}

}
