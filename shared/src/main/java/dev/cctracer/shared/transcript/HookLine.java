package dev.cctracer.shared.transcript;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import dev.cctracer.shared.log.JsonlReader;
import dev.cctracer.shared.log.Timestamps;

/**
 * What one transcript line says about a Claude Code hook (a command the user configured
 * to run on an event: {@code PreToolUse}, {@code PostToolUse}, {@code Stop},
 * {@code SessionStart}…), read from the three shapes Claude Code 2.x logs:
 * <ul>
 * <li>a {@code progress} line whose {@code data.type} is {@code hook_progress}: a hook
 * started ({@code data.hookEvent}, {@code data.hookName} such as
 * {@code PostToolUse:Read}, {@code data.command}); written by 2.1.x up to at least
 * 2.1.81, not by 2.1.145;</li>
 * <li>a {@code system} line of subtype {@code stop_hook_summary}: the stop hooks of a
 * turn ({@code hookInfos[]} with {@code command} and {@code durationMs}, the texts of
 * {@code hookErrors[]});</li>
 * <li>an {@code attachment} line whose {@code attachment.type} starts with {@code hook_}:
 * an outcome — {@code hook_success}, {@code hook_non_blocking_error} ({@code stderr},
 * {@code exitCode}, {@code command}, {@code durationMs}), {@code hook_blocking_error}
 * ({@code blockingError.blockingError} and {@code .command}: the hook stopped a tool call
 * or the stop, exit code 2 or a {@code block} decision),
 * {@code hook_error_during_execution}, {@code hook_cancelled} and others (system
 * messages, added context).</li>
 * </ul>
 * Every line of a run shares its {@code toolUseID} (the tool call it ran for, or an id of
 * the turn's stop). Shapes taken from the transcripts in {@code shared/realdata}
 * (2.1.39–2.1.150) and Claude Code's hooks reference
 * (https://docs.anthropic.com/en/docs/claude-code/hooks: exit code 2 blocks, any other
 * non-zero code is a non-blocking error shown to the user).
 *
 * @param kind which of the shapes, and for an attachment which outcome
 * @param uuid the line's {@code uuid}, or {@code null}
 * @param timestamp the line's time, epoch milliseconds UTC, or {@code null}
 * @param toolUseId the run's {@code toolUseID}, or {@code null}
 * @param event the hook event ({@code hookEvent}), or {@code null} (a stop summary names
 * none)
 * @param name the hook's name ({@code hookName}: event and matcher), or {@code null}
 * @param commands the command(s) the line names, with their duration in milliseconds
 * ({@code null} when not logged); empty when it names none (a command over
 * {@link #MAX_TEXT} characters is redacted, then cut)
 * @param exitCode the command's exit code when logged, else {@code null}
 * @param message what the hook said on failure or block ({@code stderr}, the blocking
 * error, {@code content}, or a stop summary's first error; {@code cancelled},
 * {@code could not be run} or {@code blocked} when it said nothing), at most
 * {@link #MAX_TEXT} characters: redacted when it was longer (then cut), else as logged
 * (show it through {@link #shown}); {@code null} when none
 * @param errors the {@code hookErrors} of a stop summary (each at most {@link #MAX_TEXT}
 * characters as {@code message}; past {@value #MAX_ERRORS} counted as {@code ""}), else
 * empty
 * @param preventedContinuation a stop summary's {@code preventedContinuation}: its hooks
 * kept Claude Code from stopping (a block, on purpose)
 */
public record HookLine(Kind kind, String uuid, Long timestamp, String toolUseId, String event, String name,
		List<Command> commands, Integer exitCode, String message, List<String> errors, boolean preventedContinuation) {

	/** The most characters of a command or message kept (the rest is not read). */
	public static final int MAX_TEXT = 4096;

	/** The most error texts of one stop summary kept (the others are counted). */
	public static final int MAX_ERRORS = 64;

	/** Characters of a command shown ({@link #shown}). */
	public static final int COMMAND_CHARS = 500;

	/** Characters of an error message shown ({@link #shown}). */
	public static final int MESSAGE_CHARS = 300;

	/** The shapes and outcomes of hook lines. */
	public enum Kind {

		/** {@code hook_progress}: the hook started. */
		STARTED,
		/** {@code stop_hook_summary}: a turn's stop hooks ran. */
		STOP_SUMMARY,
		/** {@code hook_success}. */
		SUCCESS,
		/**
		 * {@code hook_non_blocking_error}: the command failed (exit code other than 0 and
		 * 2).
		 */
		NON_BLOCKING_ERROR,
		/** {@code hook_blocking_error}: the hook blocked what it ran for. */
		BLOCKING_ERROR,
		/** {@code hook_error_during_execution}: the hook could not be run. */
		ERROR_DURING_EXECUTION,
		/** {@code hook_cancelled}: the hook was cancelled (timeout, interruption). */
		CANCELLED,
		/** Any other {@code hook_*} attachment (system message, added context…). */
		OTHER;

		/**
		 * Whether this outcome is the hook failing (not a block, which is on purpose).
		 */
		public boolean failure() {
			return this == NON_BLOCKING_ERROR || this == ERROR_DURING_EXECUTION || this == CANCELLED;
		}

		/** Whether this is a hook's failure or its block: an outcome worth saying. */
		public boolean failureOrBlock() {
			return failure() || this == BLOCKING_ERROR;
		}

		/**
		 * The outcome an attachment's {@code attachment.type} says ({@code hook_success},
		 * {@code hook_non_blocking_error}…; {@link #OTHER} for another {@code hook_*}),
		 * or {@code null} when it is not a hook's.
		 */
		public static Kind ofAttachment(String type) {
			if (type == null || !type.startsWith("hook_")) {
				return null;
			}
			return switch (type) {
				case "hook_success" -> SUCCESS;
				case "hook_non_blocking_error" -> NON_BLOCKING_ERROR;
				case "hook_blocking_error" -> BLOCKING_ERROR;
				case "hook_error_during_execution" -> ERROR_DURING_EXECUTION;
				case "hook_cancelled" -> CANCELLED;
				default -> OTHER;
			};
		}

	}

	/** A command a hook line names, and its duration in milliseconds when logged. */
	public record Command(String command, Long durationMs) {

	}

	/**
	 * A command or message as shown: redacted whole ({@link Redactor#redact}: a secret is
	 * never cut into a piece the patterns miss), stripped, then cut to {@code max}
	 * characters (a cut one ends with {@code …}); {@code null} for {@code null}.
	 */
	public static String shown(String text, int max) {
		if (text == null) {
			return null;
		}
		String safe = Redactor.redact(text).strip();
		if (safe.length() <= max) {
			return safe;
		}
		// never half of a surrogate pair
		int end = Character.isHighSurrogate(safe.charAt(max - 2)) ? max - 2 : max - 1;
		return safe.substring(0, end) + "…";
	}

	/**
	 * Cheap test before {@link #parse}: whether the line's bytes contain {@code hook}
	 * (every hook line does; most other lines do not).
	 */
	public static boolean mayBeHook(byte[] buf, int off, int len) {
		for (int i = off, end = off + len - 3; i < end; i++) {
			if (buf[i] == 'h' && buf[i + 1] == 'o' && buf[i + 2] == 'o' && buf[i + 3] == 'k') {
				return true;
			}
		}
		return false;
	}

	/**
	 * The hook line in a buffer, or {@code null} when the line is not one of the shapes
	 * above (or not JSON).
	 */
	public static HookLine parse(byte[] buf, int off, int len) {
		try (JsonParser p = JsonlReader.jsonFactory().createParser(buf, off, len)) {
			return read(p);
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * The hook line read from a stream (a line longer than the reader's buffer: callers
	 * bound its length, as a string is read whole before it is cut to {@link #MAX_TEXT}),
	 * or {@code null}.
	 */
	public static HookLine parse(InputStream in) {
		try (JsonParser p = JsonlReader.jsonFactory().createParser(in)) {
			return read(p);
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	private static HookLine read(JsonParser p) throws IOException {
		if (p.nextToken() != JsonToken.START_OBJECT) {
			return null;
		}
		Fields top = new Fields();
		Fields inner = null;
		while (p.nextToken() == JsonToken.FIELD_NAME) {
			String field = p.currentName();
			JsonToken v = p.nextToken();
			switch (field) {
				case "type" -> top.type = text(p, v);
				case "subtype" -> top.subtype = text(p, v);
				case "uuid" -> top.uuid = text(p, v);
				case "timestamp" -> top.timestamp = text(p, v);
				case "toolUseID" -> top.toolUseId = text(p, v);
				case "data", "attachment" -> inner = (v == JsonToken.START_OBJECT) ? fields(p) : skip(p, inner);
				case "hookInfos" -> top.infos(p, v);
				case "hookErrors" -> top.errors(p, v);
				case "preventedContinuation" -> top.preventedContinuation = v == JsonToken.VALUE_TRUE;
				default -> p.skipChildren();
			}
		}
		Kind kind = kind(top, inner);
		if (kind == null) {
			return null;
		}
		Long time = Timestamps.parseOrNull(top.timestamp);
		if (kind == Kind.STOP_SUMMARY) {
			return new HookLine(kind, top.uuid, time, top.toolUseId, null, null, List.copyOf(top.commands), null,
					top.errors.isEmpty() ? null : top.errors.get(0), List.copyOf(top.errors),
					top.preventedContinuation);
		}
		if (inner.hookEvent == null) {
			// every start and outcome names its event: not a hook line of a known shape
			return null;
		}
		String toolUseId = (top.toolUseId != null) ? top.toolUseId : inner.toolUseId;
		List<Command> commands = (inner.command != null) ? List.of(new Command(inner.command, inner.durationMs))
				: List.of();
		String message = (inner.blockingError != null) ? inner.blockingError
				: (inner.stderr != null && !inner.stderr.isBlank()) ? inner.stderr : inner.content;
		if (message == null || message.isBlank()) {
			message = switch (kind) {
				case CANCELLED -> "cancelled";
				case ERROR_DURING_EXECUTION -> "could not be run";
				case BLOCKING_ERROR -> "blocked";
				default -> null;
			};
		}
		return new HookLine(kind, top.uuid, time, toolUseId, inner.hookEvent, inner.hookName, commands, inner.exitCode,
				(kind == Kind.STARTED || kind == Kind.SUCCESS) ? null : message, List.of(), false);
	}

	private static Kind kind(Fields top, Fields inner) {
		if ("system".equals(top.type)) {
			return "stop_hook_summary".equals(top.subtype) ? Kind.STOP_SUMMARY : null;
		}
		if (inner == null || inner.type == null) {
			return null;
		}
		if ("progress".equals(top.type)) {
			return "hook_progress".equals(inner.type) ? Kind.STARTED : null;
		}
		return "attachment".equals(top.type) ? Kind.ofAttachment(inner.type) : null;
	}

	/**
	 * The fields of a {@code data} or {@code attachment} object (the parser at its
	 * start).
	 */
	private static Fields fields(JsonParser p) throws IOException {
		Fields f = new Fields();
		while (p.nextToken() == JsonToken.FIELD_NAME) {
			String field = p.currentName();
			JsonToken v = p.nextToken();
			switch (field) {
				case "type" -> f.type = text(p, v);
				case "hookEvent" -> f.hookEvent = text(p, v);
				case "hookName" -> f.hookName = text(p, v);
				case "command" -> f.command = text(p, v);
				case "toolUseID" -> f.toolUseId = text(p, v);
				case "stderr" -> f.stderr = text(p, v);
				case "content" -> f.content = text(p, v);
				case "exitCode" -> f.exitCode = (v == JsonToken.VALUE_NUMBER_INT) ? p.getIntValue() : null;
				case "durationMs" -> f.durationMs = number(p, v);
				case "blockingError" -> blockingError(p, v, f);
				default -> p.skipChildren();
			}
		}
		return f;
	}

	/**
	 * {@code blockingError}: an object with the text ({@code blockingError}) and the
	 * {@code command}, or (older shapes) the text itself.
	 */
	private static void blockingError(JsonParser p, JsonToken v, Fields f) throws IOException {
		if (v == JsonToken.VALUE_STRING) {
			f.blockingError = text(p, v);
			return;
		}
		if (v != JsonToken.START_OBJECT) {
			p.skipChildren();
			return;
		}
		while (p.nextToken() == JsonToken.FIELD_NAME) {
			String field = p.currentName();
			JsonToken w = p.nextToken();
			switch (field) {
				case "blockingError" -> f.blockingError = text(p, w);
				case "command" -> f.command = (f.command != null) ? f.command : text(p, w);
				default -> p.skipChildren();
			}
		}
	}

	private static Fields skip(JsonParser p, Fields kept) throws IOException {
		p.skipChildren();
		return kept;
	}

	/** A string value, at most {@link #MAX_TEXT} characters of it; else {@code null}. */
	private static String text(JsonParser p, JsonToken v) throws IOException {
		if (v != JsonToken.VALUE_STRING) {
			p.skipChildren();
			return null;
		}
		String text = p.getText();
		// a secret across the cut would keep a piece too short for its pattern: a long
		// text is redacted whole before it is cut
		return (text.length() <= MAX_TEXT) ? text : Redactor.redactThenCut(text, MAX_TEXT);
	}

	private static Long number(JsonParser p, JsonToken v) throws IOException {
		if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
			double d = p.getDoubleValue();
			return (d >= 0 && d < 1e15) ? Math.round(d) : null;
		}
		p.skipChildren();
		return null;
	}

	/**
	 * The fields read, at the top of the line or in its {@code data}/{@code attachment}.
	 */
	private static final class Fields {

		String type;

		String subtype;

		String uuid;

		String timestamp;

		String toolUseId;

		String hookEvent;

		String hookName;

		String command;

		String stderr;

		String content;

		String blockingError;

		Integer exitCode;

		Long durationMs;

		final List<Command> commands = new ArrayList<>();

		final List<String> errors = new ArrayList<>();

		boolean preventedContinuation;

		void infos(JsonParser p, JsonToken v) throws IOException {
			if (v != JsonToken.START_ARRAY) {
				p.skipChildren();
				return;
			}
			while (p.nextToken() == JsonToken.START_OBJECT) {
				String command = null;
				Long duration = null;
				while (p.nextToken() == JsonToken.FIELD_NAME) {
					String field = p.currentName();
					JsonToken w = p.nextToken();
					switch (field) {
						case "command" -> command = text(p, w);
						case "durationMs" -> duration = number(p, w);
						default -> p.skipChildren();
					}
				}
				this.commands.add(new Command(command, duration));
			}
			// past a non-object element: the rest of the array
			if (p.currentToken() != JsonToken.END_ARRAY) {
				p.skipChildren();
				skipRest(p);
			}
		}

		void errors(JsonParser p, JsonToken v) throws IOException {
			if (v != JsonToken.START_ARRAY) {
				p.skipChildren();
				return;
			}
			for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY && t != null; t = p.nextToken()) {
				if (t == JsonToken.VALUE_STRING) {
					this.errors.add((this.errors.size() < MAX_ERRORS) ? text(p, t) : "");
				}
				else {
					p.skipChildren();
				}
			}
		}

		private static void skipRest(JsonParser p) throws IOException {
			for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY && t != null; t = p.nextToken()) {
				p.skipChildren();
			}
		}

	}

}
