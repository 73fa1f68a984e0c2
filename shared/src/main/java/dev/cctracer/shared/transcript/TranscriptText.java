package dev.cctracer.shared.transcript;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.cctracer.shared.log.ChannelRangeInputStream;
import dev.cctracer.shared.log.JsonlReader;
import dev.cctracer.shared.log.Utf8Repair;

/**
 * The text of a message, read back from its lines when asked for. Everything returned is
 * redacted.
 */
public final class TranscriptText {

	/** Lines longer than this are not read for text (their size is reported instead). */
	public static final long MAX_LINE_FOR_TEXT = 16L << 20;

	private static final ObjectMapper MAPPER = new ObjectMapper(JsonlReader.jsonFactory());

	/** A tool call with its input. */
	public record ToolCall(String id, String name, JsonNode input) {

	}

	/** A tool result. */
	public record ToolResult(String toolUseId, boolean error, String content) {

	}

	/**
	 * What a message says.
	 *
	 * @param text text blocks (or string content) joined by newlines
	 * @param thinking thinking blocks joined
	 * @param toolCalls tool_use blocks
	 * @param toolResults tool_result blocks
	 * @param cwd the first {@code cwd} of its lines
	 * @param extra for system lines: subtype, summary or content, and what Claude Code
	 * 2.1's say beyond it ({@link #systemDetail})
	 * @param toolUseResult Claude Code's structured result of a tool
	 * ({@code toolUseResult}, not redacted: for analysis inside the server only), or
	 * {@code null}
	 */
	public record Content(String text, String thinking, List<ToolCall> toolCalls, List<ToolResult> toolResults,
			String cwd, String extra, JsonNode toolUseResult) {

		/** Everything searchable, for a case-insensitive match. */
		public String searchable() {
			StringBuilder sb = new StringBuilder();
			sb.append(this.text).append('\n').append(this.thinking).append('\n').append(this.extra);
			this.toolCalls.forEach((c) -> sb.append('\n').append(c.name()).append(' ').append(c.input()));
			this.toolResults.forEach((r) -> sb.append('\n').append(r.content()));
			return sb.toString();
		}

		/** A one-glance summary, at most {@code max} characters. */
		public String preview(int max) {
			String p = !this.text.isBlank() ? this.text
					: !this.toolResults.isEmpty() ? this.toolResults.get(0).content() : !this.toolCalls.isEmpty()
							? describe(this.toolCalls.get(0)) : !this.thinking.isBlank() ? this.thinking : this.extra;
			p = (p == null) ? "" : p.strip();
			return (p.length() <= max) ? p : p.substring(0, max - 1) + "…";
		}

		private static String describe(ToolCall call) {
			JsonNode input = call.input();
			for (String key : DESCRIBED) {
				if (input != null && input.hasNonNull(key)) {
					return call.name() + ": " + input.get(key).asText();
				}
			}
			return String.valueOf(call.name());
		}

	}

	private TranscriptText() {
	}

	/**
	 * Characters of each text a preview reads and redacts: far more than a preview shows,
	 * so a secret that begins inside the preview is whole inside the window and redacted
	 * as in the full text.
	 */
	static final int PREVIEW_WINDOW = 8192;

	/** The tool-input fields a preview describes a call by. */
	private static final String[] DESCRIBED = { "command", "file_path", "pattern", "query", "description", "prompt",
			"url" };

	/**
	 * A message's {@link Content#preview preview}, reading and redacting at most
	 * {@link #PREVIEW_WINDOW} characters of each text instead of every text whole (a page
	 * of a session whose lines are 120 KB tool results spent most of its time redacting
	 * text nobody sees).
	 */
	public static String preview(FileChannel channel, MessageItem item, int max) throws IOException {
		return read(channel, item, PREVIEW_WINDOW).preview(max);
	}

	/** Reads and redacts the content of a message from its lines. */
	public static Content read(FileChannel channel, MessageItem item) throws IOException {
		return read(channel, item, Integer.MAX_VALUE);
	}

	/**
	 * Reads a message; with a {@code window} below {@link Integer#MAX_VALUE} each text is
	 * cut to it before redaction, tool inputs keep only the fields a preview describes,
	 * and {@code toolUseResult} is not read: for previews only.
	 */
	private static Content read(FileChannel channel, MessageItem item, int window) throws IOException {
		boolean whole = window == Integer.MAX_VALUE;
		StringBuilder text = new StringBuilder();
		StringBuilder thinking = new StringBuilder();
		StringBuilder extra = new StringBuilder();
		List<ToolCall> calls = new ArrayList<>();
		List<ToolResult> results = new ArrayList<>();
		String cwd = null;
		JsonNode toolUseResult = null;
		for (int i = 0; i < item.lineCount(); i++) {
			long length = item.lineLength(i);
			if (length > MAX_LINE_FOR_TEXT) {
				// in the text, where every view looks; other lines keep their text
				append(text, "[line of " + (length >> 20) + " MB not shown]");
				continue;
			}
			JsonNode line = readLine(channel, item.lineOffset(i), length);
			if (line == null) {
				continue;
			}
			if (whole && toolUseResult == null && line.path("toolUseResult").isObject()) {
				toolUseResult = line.get("toolUseResult");
			}
			if (cwd == null && line.hasNonNull("cwd")) {
				cwd = line.get("cwd").asText();
			}
			for (String f : new String[] { "subtype", "summary", "content" }) {
				if (line.hasNonNull(f) && line.get(f).isTextual()) {
					append(extra, cut(line.get(f).asText(), window));
				}
			}
			append(extra, cut(systemDetail(line), window));
			append(extra, cut(hookDetail(line), window));
			JsonNode content = line.path("message").path("content");
			if (content.isTextual()) {
				append(text, cut(content.asText(), window));
			}
			for (JsonNode block : content) {
				switch (block.path("type").asText()) {
					case "text" -> append(text, cut(block.path("text").asText(), window));
					case "thinking" -> append(thinking, cut(block.path("thinking").asText(), window));
					case "tool_use" ->
						calls.add(new ToolCall(block.path("id").asText(null), block.path("name").asText(null),
								Redactor.redact(whole ? block.get("input") : described(block.get("input"), window))));
					case "tool_result" -> results.add(new ToolResult(block.path("tool_use_id").asText(null),
							block.path("is_error").asBoolean(false),
							Redactor.redact(cut(resultText(block.get("content")), window))));
					default -> {
					}
				}
			}
		}
		return new Content(Redactor.redact(cut(text.toString(), window)),
				Redactor.redact(cut(thinking.toString(), window)), calls, results, cwd,
				Redactor.redact(cut(extra.toString(), window)), toolUseResult);
	}

	/**
	 * What a hook's failure or block attachment says ({@code attachment} of type
	 * {@code hook_*} the timeline shows,
	 * {@link dev.cctracer.shared.log.HookOutcomes#shown}): its hook name, what happened,
	 * its exit code, its blocking error, {@code stderr} and {@code content} (each once),
	 * and its command(s); {@code null} for any other line. E.g.
	 * {@code PreToolUse:Bash hook failed (exit 1): lint.sh: not found [command: lint.sh]}.
	 * The search finds a line by these texts too ({@code EntryFactReader}).
	 */
	static String hookDetail(JsonNode line) {
		JsonNode a = line.path("attachment");
		HookLine.Kind outcome = HookLine.Kind.ofAttachment(a.path("type").asText(null));
		String what = (outcome == null) ? null : switch (outcome) {
			case NON_BLOCKING_ERROR -> "failed";
			case BLOCKING_ERROR -> "blocked";
			case ERROR_DURING_EXECUTION -> "could not be run";
			case CANCELLED -> "was cancelled";
			default -> null;
		};
		if (!"attachment".equals(line.path("type").asText()) || what == null) {
			return null;
		}
		String name = a.path("hookName").asText(a.path("hookEvent").asText("a"));
		StringBuilder detail = new StringBuilder(name).append(" hook ").append(what);
		if (a.path("exitCode").canConvertToInt()) {
			detail.append(" (exit ").append(a.get("exitCode").asInt()).append(')');
		}
		JsonNode blocking = a.path("blockingError");
		Set<String> said = new LinkedHashSet<>();
		said(said, blocking.isObject() ? blocking.path("blockingError") : blocking);
		said(said, a.path("stderr"));
		said(said, a.path("content"));
		if (!said.isEmpty()) {
			detail.append(": ").append(String.join("; ", said));
		}
		Set<String> commands = new LinkedHashSet<>();
		said(commands, a.path("command"));
		said(commands, blocking.path("command"));
		if (!commands.isEmpty()) {
			detail.append(" [command: ").append(String.join("; ", commands)).append(']');
		}
		return detail.toString();
	}

	/** Adds a text field's value, stripped, unless it is blank or not a string. */
	private static void said(Set<String> texts, JsonNode value) {
		if (value.isTextual() && !value.asText().isBlank()) {
			texts.add(value.asText().strip());
		}
	}

	/**
	 * What a system line of Claude Code 2.1 says beyond its subtype, or {@code null}: a
	 * turn's duration ({@code turn_duration}: {@code durationMs}, {@code messageCount})
	 * and a stop hook's run ({@code stop_hook_summary}: {@code hookCount}, the commands
	 * of its {@code hookInfos}, {@code hookErrors}, {@code preventedContinuation} with
	 * its {@code stopReason}, or that reason alone), which the timeline showed as the
	 * bare subtype. The search finds a line by these texts too ({@code EntryFactReader}).
	 */
	static String systemDetail(JsonNode line) {
		if (!"system".equals(line.path("type").asText())) {
			return null;
		}
		StringBuilder detail = new StringBuilder();
		JsonNode duration = line.get("durationMs");
		if (duration != null && duration.canConvertToLong()) {
			detail.append("took ").append(seconds(duration.asLong()));
			if (line.path("messageCount").canConvertToLong()) {
				detail.append(", ").append(line.get("messageCount").asLong()).append(" messages");
			}
		}
		JsonNode hooks = line.get("hookCount");
		if (hooks != null && hooks.canConvertToLong()) {
			long n = hooks.asLong();
			detail.append((detail.length() > 0) ? "; " : "").append(n).append((n == 1) ? " hook ran" : " hooks ran");
		}
		Set<String> commands = new LinkedHashSet<>();
		for (JsonNode info : line.path("hookInfos")) {
			said(commands, info.path("command"));
		}
		if (!commands.isEmpty()) {
			detail.append((detail.length() > 0) ? " " : "").append('[').append(String.join("; ", commands)).append(']');
		}
		for (JsonNode error : line.path("hookErrors")) {
			if (error.isTextual()) {
				detail.append((detail.length() > 0) ? "; " : "").append("error: ").append(error.asText());
			}
		}
		String reason = line.path("stopReason").isTextual() ? line.get("stopReason").asText().strip() : "";
		if (line.path("preventedContinuation").asBoolean(false)) {
			detail.append((detail.length() > 0) ? "; " : "")
				.append("stopped the turn")
				.append(reason.isBlank() ? "" : ": " + reason);
		}
		else if (!reason.isBlank()) {
			detail.append((detail.length() > 0) ? "; " : "").append("stop reason: ").append(reason);
		}
		return (detail.length() > 0) ? detail.toString() : null;
	}

	/**
	 * Milliseconds as seconds with one decimal ("12.2 s"), minutes beyond ("2 min 5 s").
	 */
	private static String seconds(long millis) {
		// below 59.95 s, which would read "60.0 s"
		if (millis < 59_950) {
			return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
		}
		return (millis / 60_000) + " min " + ((millis % 60_000) / 1000) + " s";
	}

	private static String cut(String s, int window) {
		return (s == null || s.length() <= window) ? s : s.substring(0, window);
	}

	/** Only the input fields a preview describes a call by, each cut to the window. */
	private static JsonNode described(JsonNode input, int window) {
		if (input == null || !input.isObject()) {
			return input;
		}
		ObjectNode kept = MAPPER.createObjectNode();
		for (String key : DESCRIBED) {
			if (input.hasNonNull(key)) {
				kept.put(key, cut(input.get(key).asText(), window));
			}
		}
		return kept;
	}

	private static String resultText(JsonNode content) {
		if (content == null || content.isNull()) {
			return "";
		}
		if (content.isTextual()) {
			return content.asText();
		}
		StringBuilder sb = new StringBuilder();
		for (JsonNode part : content) {
			if (part.has("text")) {
				append(sb, part.get("text").asText());
			}
			else if (part.isTextual()) {
				append(sb, part.asText());
			}
			else {
				append(sb, "[" + part.path("type").asText("part") + "]");
			}
		}
		return sb.toString();
	}

	private static void append(StringBuilder sb, String s) {
		if (s == null || s.isEmpty()) {
			return;
		}
		if (sb.length() > 0) {
			sb.append('\n');
		}
		sb.append(s);
	}

	/**
	 * One line as a JSON tree, or {@code null} when it is not JSON; bytes that are not
	 * UTF-8 are read as U+FFFD ({@link Utf8Repair}), as the ingest reads them.
	 */
	public static JsonNode readLine(FileChannel channel, long offset, long length) throws IOException {
		try (InputStream in = new ChannelRangeInputStream(channel, offset, length)) {
			return MAPPER.readTree(in);
		}
		catch (JacksonException ex) {
			try (InputStream in = new ChannelRangeInputStream(channel, offset, length)) {
				return MAPPER.readTree(Utf8Repair.reader(in));
			}
			catch (JacksonException again) {
				return null;
			}
		}
	}

}
