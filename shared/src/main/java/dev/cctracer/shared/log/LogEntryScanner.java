package dev.cctracer.shared.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The ingest's fast path for one JSONL line: reads the same fields as
 * {@link LogEntryParser} straight from the line's bytes, skipping every other value eight
 * bytes at a time ({@link Bytes#stringStop}) instead of through Jackson's tokenizer,
 * which spent 29 % of the parse threads' time skipping the strings of text, tool inputs
 * and tool results ({@code perf}, BENCHMARKS.md, issue 18).
 * <p>
 * It answers only for lines it can vouch for: strict JSON (RFC 8259) with well-formed
 * UTF-8 (RFC 3629), at most {@value #MAX_DEPTH} levels deep, whose numbers it reads
 * exactly as Jackson does. Anything else — a malformed or truncated line, a field name
 * written with escapes, an integer of more than 18 digits, a byte-order mark, deeper
 * nesting — gets {@code null}, and the caller parses the line with Jackson, which then
 * decides (so a line is valid, invalid and read exactly as before). Every field's rule (a
 * string field holding a number is {@code null}, only an object {@code usage} is read,
 * the last of duplicate keys wins…) is {@link LogEntryParser}'s; the tests hold the two
 * to the same entry on every line of the real transcripts and on mutations of them.
 */
final class LogEntryScanner {

	/** Deeper lines are left to Jackson (which allows 2,000 levels). */
	static final int MAX_DEPTH = 64;

	/**
	 * Longer numbers and keys are left to Jackson (whose limits are 1,000 and 50,000).
	 */
	private static final int MAX_NUMBER = 100;

	private static final int MAX_KEY = 1000;

	private static final byte[] TYPE = ascii("type");

	private static final byte[] TIMESTAMP = ascii("timestamp");

	private static final byte[] SESSION_ID = ascii("sessionId");

	private static final byte[] CWD = ascii("cwd");

	private static final byte[] IS_SIDECHAIN = ascii("isSidechain");

	private static final byte[] FORKED_FROM = ascii("forkedFrom");

	private static final byte[] AGENT_ID = ascii("agentId");

	private static final byte[] REQUEST_ID = ascii("requestId");

	private static final byte[] COST_USD = ascii("costUSD");

	private static final byte[] IS_API_ERROR = ascii("isApiErrorMessage");

	private static final byte[] AI_TITLE = ascii("aiTitle");

	private static final byte[] CUSTOM_TITLE = ascii("customTitle");

	private static final byte[] AGENT_NAME = ascii("agentName");

	private static final byte[] ERROR = ascii("error");

	private static final byte[] MESSAGE = ascii("message");

	private static final byte[] ID = ascii("id");

	private static final byte[] MODEL = ascii("model");

	private static final byte[] USAGE = ascii("usage");

	private static final byte[] CONTENT = ascii("content");

	private static final byte[] IS_ERROR = ascii("is_error");

	private static final byte[] TEXT = ascii("text");

	private static final byte[] INPUT_TOKENS = ascii("input_tokens");

	private static final byte[] OUTPUT_TOKENS = ascii("output_tokens");

	private static final byte[] CACHE_CREATION_INPUT = ascii("cache_creation_input_tokens");

	private static final byte[] CACHE_READ_INPUT = ascii("cache_read_input_tokens");

	private static final byte[] SPEED = ascii("speed");

	private static final byte[] SERVER_TOOL_USE = ascii("server_tool_use");

	private static final byte[] INFERENCE_GEO = ascii("inference_geo");

	private static final byte[] CACHE_CREATION = ascii("cache_creation");

	private static final byte[] EPHEMERAL_5M = ascii("ephemeral_5m_input_tokens");

	private static final byte[] EPHEMERAL_1H = ascii("ephemeral_1h_input_tokens");

	private static final byte[] WEB_SEARCH_REQUESTS = ascii("web_search_requests");

	private static final byte[] UUID = ascii("uuid");

	private static final byte[] NAME = ascii("name");

	private static final byte[] TOOL_USE_ID = ascii("tool_use_id");

	private static final byte[] THINKING = ascii("thinking");

	private static final byte[] INPUT = ascii("input");

	private static final byte[] SUMMARY = ascii("summary");

	private static final byte[] STOP_REASON = ascii("stopReason");

	private static final byte[] HOOK_ERRORS = ascii("hookErrors");

	private static final byte[] HOOK_INFOS = ascii("hookInfos");

	private static final byte[] COMMAND = ascii("command");

	private static final byte[] ATTACHMENT = ascii("attachment");

	private static final byte[] HOOK_EVENT = ascii("hookEvent");

	private static final byte[] STDERR = ascii("stderr");

	private static final byte[] BLOCKING_ERROR = ascii("blockingError");

	private static final byte[] TRUE = ascii("true");

	private static final byte[] FALSE = ascii("false");

	private static final byte[] NULL = ascii("null");

	/**
	 * Thrown where the scanner cannot vouch for the line; preallocated, without a stack
	 * trace, as it only turns the line over to Jackson.
	 */
	private static final RuntimeException UNSURE = new RuntimeException("left to Jackson", null, false, false) {
	};

	private final byte[] b;

	private final int end;

	/** The facts' collector of the line's content, or {@code null}. */
	private final EntryFactReader.Collector c;

	private int i;

	/** The start and end (the closing quote) of the last key or string read. */
	private int strStart;

	private int strEnd;

	/** Whether the last string read held an escape, or a byte of a UTF-8 sequence. */
	private boolean strEscaped;

	private boolean strAscii;

	private LogEntryScanner(byte[] b, int off, int end, EntryFactReader.Collector c) {
		this.b = b;
		this.i = off;
		this.end = end;
		this.c = c;
	}

	/**
	 * The entry of a line held in {@code buf[off, off + len)} (without its newline), as
	 * {@link LogEntryParser} reads it but without the interrupt mark; {@code null} when
	 * the line is not one the scanner vouches for (the caller then parses it with
	 * Jackson). Never throws.
	 */
	static LogEntry scan(byte[] buf, int off, int len) {
		return scan(buf, off, len, null);
	}

	/**
	 * {@link #scan(byte[], int, int)}, handing the line's content to the facts' collector
	 * as {@link LogEntryParser} hands it over; on {@code null} the collector may hold
	 * part of it (the caller resets it for Jackson).
	 */
	static LogEntry scan(byte[] buf, int off, int len, EntryFactReader.Collector collector) {
		try {
			return new LogEntryScanner(buf, off, off + len, collector).entry();
		}
		catch (RuntimeException | IOException ex) {
			// UNSURE, a bound crossed on a truncated line, or Jackson refusing a tool
			// input
			return null;
		}
	}

	private LogEntry entry() throws IOException {
		ws();
		String rawType = null;
		Long timestamp = null;
		String sessionId = null;
		String cwd = null;
		boolean sidechain = false;
		String agentId = null;
		String requestId = null;
		Double costUsd = null;
		boolean apiError = false;
		String label = null;
		String errorKind = null;
		boolean forked = false;
		LogEntryParser.MessageFields message = LogEntryParser.MessageFields.EMPTY;
		if (openObject()) {
			do {
				key();
				if (is(TYPE)) {
					rawType = stringOrNull(1);
				}
				else if (is(TIMESTAMP)) {
					timestamp = Timestamps.parseOrNull(stringOrNull(1));
				}
				else if (is(SESSION_ID)) {
					sessionId = stringOrNull(1);
				}
				else if (is(CWD)) {
					cwd = stringOrNull(1);
				}
				else if (is(IS_SIDECHAIN)) {
					sidechain = isTrue(1);
				}
				else if (is(AGENT_ID)) {
					agentId = stringOrNull(1);
				}
				else if (is(REQUEST_ID)) {
					requestId = stringOrNull(1);
				}
				else if (is(COST_USD)) {
					costUsd = doubleOrNull(1);
					if (costUsd != null && !Usage.isLoggedUsd(costUsd)) {
						// no cost a line can have: none logged (LogEntryParser's rule)
						costUsd = null;
					}
				}
				else if (is(IS_API_ERROR)) {
					apiError = isTrue(1);
				}
				else if (is(AI_TITLE) || is(CUSTOM_TITLE) || is(AGENT_NAME)) {
					label = LogEntryParser.cap(stringOrNull(1));
				}
				else if (is(ERROR)) {
					errorKind = LogEntryParser.cap(stringOrNull(1));
				}
				else if (is(MESSAGE) && peek() == '{') {
					message = message();
				}
				else if (is(FORKED_FROM)) {
					forked = peek() == '{';
					skipValue(1);
				}
				else if (this.c != null && is(UUID)) {
					this.c.uuid(stringOrNull(1));
				}
				else if (this.c != null && is(CONTENT)) {
					this.c.lineContent(stringOrNull(1));
				}
				else if (this.c != null && (is(SUMMARY) || is(STOP_REASON))) {
					this.c.contentSeen();
					text(1);
				}
				else if (this.c != null && (is(HOOK_ERRORS) || is(HOOK_INFOS))) {
					this.c.contentSeen();
					hookList(is(HOOK_INFOS));
				}
				else if (this.c != null && is(ATTACHMENT) && peek() == '{') {
					attachment();
				}
				else {
					skipValue(1);
				}
			}
			while (nextMember('}'));
		}
		ws();
		if (this.i != this.end) {
			throw UNSURE;
		}
		if (this.c != null) {
			this.c.lineEnd(rawType);
		}
		return new LogEntry(EntryType.of(rawType), rawType, timestamp, sessionId, cwd, sidechain, agentId, requestId,
				costUsd, message.id, message.model, message.usage, message.toolUses, message.toolUseIds(),
				message.toolErrors, false, apiError, label, message.syntheticText, errorKind, message.toolErrorIds(),
				forked);
	}

	/** {@code message}, the scanner at its opening brace (its members at depth 2). */
	private LogEntryParser.MessageFields message() throws IOException {
		LogEntryParser.MessageFields m = new LogEntryParser.MessageFields();
		if (openObject()) {
			do {
				key();
				if (is(ID)) {
					m.id = stringOrNull(2);
				}
				else if (is(MODEL)) {
					m.model = stringOrNull(2);
				}
				else if (is(USAGE) && peek() == '{') {
					m.usage = usage();
				}
				else if (is(CONTENT)) {
					if (this.c != null) {
						this.c.contentSeen();
					}
					if (peek() == '[') {
						content(m);
					}
					else {
						text(2);
					}
				}
				else {
					skipValue(2);
				}
			}
			while (nextMember('}'));
		}
		return m;
	}

	/** {@code message.content} as an array (depth 3); blocks are objects at depth 4. */
	private void content(LogEntryParser.MessageFields m) throws IOException {
		if (openArray()) {
			do {
				if (peek() == '{') {
					block(m);
				}
				else {
					skipValue(3);
				}
			}
			while (nextMember(']'));
		}
	}

	private void block(LogEntryParser.MessageFields m) throws IOException {
		String type = null;
		boolean error = false;
		String toolUseId = null;
		String id = null;
		if (openObject()) {
			do {
				key();
				if (is(TYPE)) {
					type = stringOrNull(4);
				}
				else if (is(ID)) {
					id = stringOrNull(4);
					if (this.c != null) {
						this.c.blockString("id", id);
					}
				}
				else if (is(IS_ERROR)) {
					error = isTrue(4);
				}
				else if (is(TOOL_USE_ID)) {
					toolUseId = stringOrNull(4);
					if (this.c != null) {
						this.c.blockString("tool_use_id", toolUseId);
					}
				}
				else if (is(TEXT) && m.syntheticText == null && LogEntry.SYNTHETIC_MODEL.equals(m.model)) {
					String text = stringOrNull(4);
					m.syntheticText = LogEntryParser.cap(text);
					if (this.c != null) {
						this.c.text(text);
					}
				}
				else if (this.c != null) {
					blockField();
				}
				else {
					skipValue(4);
				}
			}
			while (nextMember('}'));
		}
		if ("tool_use".equals(type)) {
			m.toolUse(id);
		}
		else if ("tool_result".equals(type) && error) {
			m.toolError(toolUseId);
		}
		if (this.c != null) {
			this.c.endBlock(type, error);
		}
	}

	/**
	 * A block's field the entry does not need, for the collector (depth 4), as
	 * {@code Collector.blockField} reads it.
	 */
	private void blockField() throws IOException {
		if (is(ID)) {
			this.c.blockString("id", stringOrNull(4));
		}
		else if (is(NAME)) {
			this.c.blockString("name", stringOrNull(4));
		}
		else if (is(TOOL_USE_ID)) {
			this.c.blockString("tool_use_id", stringOrNull(4));
		}
		else if (is(TEXT) || is(THINKING)) {
			text(4);
		}
		else if (is(INPUT)) {
			byte v = peek();
			if (this.c.textFull() || (v != '{' && v != '[')) {
				skipValue(4);
			}
			else {
				int start = this.i;
				skipValue(4);
				this.c.input(start, this.i);
			}
		}
		else if (is(CONTENT)) {
			resultText();
		}
		else {
			skipValue(4);
		}
	}

	/**
	 * A tool result's {@code content} (depth 4): a string, or an array of strings and
	 * text blocks.
	 */
	private void resultText() {
		if (peek() != '[') {
			text(4);
			return;
		}
		if (openArray()) {
			do {
				byte v = peek();
				if (v == '"') {
					text(5);
				}
				else if (v == '{') {
					blockText();
				}
				else {
					skipValue(5);
				}
			}
			while (nextMember(']'));
		}
	}

	/** A text block of a tool result's content (depth 5): its {@code text}. */
	private void blockText() {
		if (openObject()) {
			do {
				key();
				if (is(TEXT)) {
					text(6);
				}
				else {
					skipValue(6);
				}
			}
			while (nextMember('}'));
		}
	}

	/**
	 * A value that is text when a string (handed to the collector), skipped otherwise.
	 */
	private void text(int depth) {
		if (this.c == null || peek() != '"') {
			skipValue(depth);
			return;
		}
		// the text decodes and checks the string as the scanner would skip it; what it
		// did not read to the end (at its cap) is skipped
		int after = this.c.textAt(this.i);
		if (after < 0) {
			throw UNSURE;
		}
		if (after > 0) {
			this.i = after;
		}
		else {
			skipString();
		}
	}

	/**
	 * A stop summary's {@code hookErrors} (its strings) or {@code hookInfos} (each
	 * object's {@code command}), at depth 1.
	 */
	private void hookList(boolean infos) {
		if (peek() != '[') {
			skipValue(1);
			return;
		}
		if (openArray()) {
			do {
				if (!infos) {
					text(2);
				}
				else if (peek() == '{') {
					if (openObject()) {
						do {
							key();
							if (is(COMMAND)) {
								text(3);
							}
							else {
								skipValue(3);
							}
						}
						while (nextMember('}'));
					}
				}
				else {
					skipValue(2);
				}
			}
			while (nextMember(']'));
		}
	}

	/**
	 * An {@code attachment} object (members at depth 2): a hook outcome's fields for the
	 * collector, as {@link LogEntryParser} hands them over.
	 */
	private void attachment() {
		this.c.attachmentStart();
		if (openObject()) {
			do {
				key();
				if (is(TYPE)) {
					this.c.attachmentType(stringOrNull(2));
				}
				else if (is(HOOK_EVENT)) {
					this.c.attachmentEvent(stringOrNull(2));
				}
				else if (is(STDERR) || is(COMMAND) || is(CONTENT)) {
					this.c.attachmentString(stringOrNull(2));
				}
				else if (is(BLOCKING_ERROR) && peek() == '{') {
					if (openObject()) {
						do {
							key();
							if (is(BLOCKING_ERROR) || is(COMMAND)) {
								this.c.attachmentString(stringOrNull(3));
							}
							else {
								skipValue(3);
							}
						}
						while (nextMember('}'));
					}
				}
				else if (is(BLOCKING_ERROR)) {
					this.c.attachmentString(stringOrNull(2));
				}
				else {
					skipValue(2);
				}
			}
			while (nextMember('}'));
		}
		this.c.attachmentEnd();
	}

	/** {@code message.usage} (depth 3), as {@link LogEntryParser#parseUsage}. */
	private Usage usage() {
		long input = 0;
		long output = 0;
		long creation = 0;
		long read = 0;
		long split5m = -1;
		long split1h = 0;
		boolean fast = false;
		long webSearches = 0;
		String geo = null;
		if (openObject()) {
			do {
				key();
				if (is(INPUT_TOKENS)) {
					input = longOrZero(3);
				}
				else if (is(OUTPUT_TOKENS)) {
					output = longOrZero(3);
				}
				else if (is(CACHE_CREATION_INPUT)) {
					creation = longOrZero(3);
				}
				else if (is(CACHE_READ_INPUT)) {
					read = longOrZero(3);
				}
				else if (is(SPEED)) {
					fast = "fast".equals(stringOrNull(3));
				}
				else if (is(SERVER_TOOL_USE)) {
					webSearches = webSearches();
				}
				else if (is(INFERENCE_GEO)) {
					geo = Usage.geo(stringOrNull(3));
				}
				else if (is(CACHE_CREATION) && peek() == '{') {
					if (openObject()) {
						do {
							key();
							if (is(EPHEMERAL_5M)) {
								split5m = longOrZero(4);
							}
							else if (is(EPHEMERAL_1H)) {
								split1h = longOrZero(4);
								// a split with only its 1h part: no 5m writes
								split5m = Math.max(split5m, 0);
							}
							else {
								skipValue(4);
							}
						}
						while (nextMember('}'));
					}
				}
				else {
					skipValue(3);
				}
			}
			while (nextMember('}'));
		}
		return LogEntryParser.usage(input, output, creation, split5m, split1h, read, fast, webSearches, geo);
	}

	/** {@code server_tool_use.web_search_requests}; 0 when missing or not an object. */
	private long webSearches() {
		if (peek() != '{') {
			skipValue(3);
			return 0;
		}
		long n = 0;
		if (openObject()) {
			do {
				key();
				if (is(WEB_SEARCH_REQUESTS)) {
					n = longOrZero(4);
				}
				else {
					skipValue(4);
				}
			}
			while (nextMember('}'));
		}
		return n;
	}

	/**
	 * Enters the object at the scanner: true when a member follows, false when it is
	 * empty (its closing brace read).
	 */
	private boolean openObject() {
		return open('{', '}');
	}

	/** Enters the array at the scanner, as {@link #openObject} an object. */
	private boolean openArray() {
		return open('[', ']');
	}

	private boolean open(char opening, char closing) {
		expect(opening);
		ws();
		if (peek() == closing) {
			this.i++;
			return false;
		}
		return true;
	}

	/**
	 * Reads a member's key and its colon, leaving the scanner at the value; a key written
	 * with escapes is left to Jackson (which would match it decoded).
	 */
	private void key() {
		ws();
		if (peek() != '"') {
			throw UNSURE;
		}
		skipString();
		if (this.strEscaped || this.strEnd - this.strStart > MAX_KEY) {
			// Jackson refuses names of over 50,000 chars
			throw UNSURE;
		}
		ws();
		expect(':');
		ws();
	}

	/** Whether the last key read is {@code name}. */
	private boolean is(byte[] name) {
		int n = this.strEnd - this.strStart;
		return n == name.length && Arrays.equals(this.b, this.strStart, this.strEnd, name, 0, n);
	}

	/**
	 * After a member's value: true at a comma (the next member follows), false at
	 * {@code close} (consumed).
	 */
	private boolean nextMember(char close) {
		ws();
		byte c = peek();
		this.i++;
		if (c == ',') {
			ws();
			return true;
		}
		if (c == close) {
			return false;
		}
		throw UNSURE;
	}

	/** A string value, or {@code null} for any other value (skipped). */
	private String stringOrNull(int depth) {
		if (peek() != '"') {
			skipValue(depth);
			return null;
		}
		skipString();
		return decoded();
	}

	/**
	 * {@code true} for the literal, {@code false} for any other scalar (skipped). An
	 * object or an array is left to Jackson: {@link LogEntryParser} does not skip one
	 * here, and reads on inside it.
	 */
	private boolean isTrue(int depth) {
		byte c = peek();
		if (c == 't') {
			literal(TRUE);
			return true;
		}
		if (c == '{' || c == '[') {
			throw UNSURE;
		}
		skipValue(depth);
		return false;
	}

	/**
	 * A number's value as Jackson's {@code getDoubleValue()} gives it, or {@code null}
	 * for any other scalar (skipped): an integer is converted from its {@code long} (so
	 * {@code -0} is 0.0), a fraction or exponent parsed as written.
	 */
	private Double doubleOrNull(int depth) {
		byte c = peek();
		if (c == '{' || c == '[') {
			// as for isTrue: LogEntryParser reads on inside it
			throw UNSURE;
		}
		if (c != '-' && (c < '0' || c > '9')) {
			skipValue(depth);
			return null;
		}
		int start = this.i;
		boolean integer = number();
		return integer ? (double) integer(start) : Double.parseDouble(ascii(start, this.i));
	}

	/**
	 * A token count as {@link LogEntryParser} reads it: an integer (negative as 0), a
	 * fraction truncated, 0 for any other value (skipped).
	 */
	private long longOrZero(int depth) {
		byte c = peek();
		if (c != '-' && (c < '0' || c > '9')) {
			skipValue(depth);
			return 0;
		}
		int start = this.i;
		boolean integer = number();
		long v = integer ? integer(start) : (long) Double.parseDouble(ascii(start, this.i));
		if (!Usage.isCount(v)) {
			// the line is invalid: Jackson's parser says so
			throw UNSURE;
		}
		return Math.max(0, v);
	}

	/**
	 * The integer just read from {@code start}; more than 18 digits (which Jackson reads
	 * as a {@code BigInteger} and refuses as a {@code long}) is left to Jackson.
	 */
	private long integer(int start) {
		int p = start;
		boolean negative = this.b[p] == '-';
		if (negative) {
			p++;
		}
		if (this.i - p > 18) {
			throw UNSURE;
		}
		long v = 0;
		for (; p < this.i; p++) {
			v = v * 10 + (this.b[p] - '0');
		}
		return negative ? -v : v;
	}

	/** Skips any value at this depth (its own members are one deeper). */
	private void skipValue(int depth) {
		byte c = peek();
		switch (c) {
			case '"' -> skipString();
			case '{' -> {
				if (depth >= MAX_DEPTH) {
					throw UNSURE;
				}
				if (openObject()) {
					do {
						key();
						skipValue(depth + 1);
					}
					while (nextMember('}'));
				}
			}
			case '[' -> {
				if (depth >= MAX_DEPTH) {
					throw UNSURE;
				}
				if (openArray()) {
					do {
						skipValue(depth + 1);
					}
					while (nextMember(']'));
				}
			}
			case 't' -> literal(TRUE);
			case 'f' -> literal(FALSE);
			case 'n' -> literal(NULL);
			default -> number();
		}
	}

	private void literal(byte[] word) {
		if (this.i + word.length > this.end
				|| !Arrays.equals(this.b, this.i, this.i + word.length, word, 0, word.length)) {
			throw UNSURE;
		}
		this.i += word.length;
	}

	/**
	 * Reads a number by RFC 8259's grammar; whatever follows it is checked by the caller
	 * (a separator or a closing bracket).
	 * @return whether it is an integer (no fraction, no exponent)
	 */
	private boolean number() {
		int start = this.i;
		if (peek() == '-') {
			this.i++;
		}
		byte c = peek();
		if (c == '0') {
			this.i++;
		}
		else if (c >= '1' && c <= '9') {
			digits();
		}
		else {
			throw UNSURE;
		}
		boolean integer = true;
		if (this.i < this.end && this.b[this.i] == '.') {
			this.i++;
			requireDigit();
			digits();
			integer = false;
		}
		if (this.i < this.end && (this.b[this.i] == 'e' || this.b[this.i] == 'E')) {
			this.i++;
			if (this.i < this.end && (this.b[this.i] == '+' || this.b[this.i] == '-')) {
				this.i++;
			}
			requireDigit();
			digits();
			integer = false;
		}
		if (this.i - start > MAX_NUMBER) {
			// Jackson refuses numbers of over 1,000 chars
			throw UNSURE;
		}
		return integer;
	}

	private void requireDigit() {
		byte c = peek();
		if (c < '0' || c > '9') {
			throw UNSURE;
		}
	}

	private void digits() {
		while (this.i < this.end && this.b[this.i] >= '0' && this.b[this.i] <= '9') {
			this.i++;
		}
	}

	/**
	 * Skips the string whose opening quote is at the scanner, recording where its content
	 * lies and whether it holds escapes or non-ASCII bytes. Refuses a raw control
	 * character, an unknown or short escape, UTF-8 that is not well-formed, or a missing
	 * closing quote.
	 */
	private void skipString() {
		int p = this.i + 1;
		this.strStart = p;
		this.strEscaped = false;
		this.strAscii = true;
		while (true) {
			p = Bytes.stringStop(this.b, p, this.end);
			if (p >= this.end) {
				throw UNSURE;
			}
			int c = this.b[p] & 0xFF;
			if (c == '"') {
				this.strEnd = p;
				this.i = p + 1;
				return;
			}
			if (c == '\\') {
				this.strEscaped = true;
				p = escapeEnd(p);
			}
			else if (c >= 0x80) {
				this.strAscii = false;
				p = sequenceEnd(p);
			}
			else {
				throw UNSURE;
			}
		}
	}

	/** The index after the escape at {@code p}. */
	private int escapeEnd(int p) {
		if (p + 1 >= this.end) {
			throw UNSURE;
		}
		switch (this.b[p + 1]) {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
				return p + 2;
			}
			case 'u' -> {
				hex4(p + 2);
				return p + 6;
			}
			default -> throw UNSURE;
		}
	}

	private int hex4(int p) {
		if (p + 4 > this.end) {
			throw UNSURE;
		}
		int v = 0;
		for (int k = p; k < p + 4; k++) {
			int d = Character.digit(this.b[k], 16);
			if (d < 0) {
				throw UNSURE;
			}
			v = (v << 4) | d;
		}
		return v;
	}

	/** The index after the well-formed UTF-8 sequence at {@code p} (RFC 3629). */
	private int sequenceEnd(int p) {
		int n = Bytes.sequenceLength(this.b, p, this.end);
		if (n < 0) {
			throw UNSURE;
		}
		return p + n;
	}

	/**
	 * The value of the string last skipped, escapes resolved as Jackson resolves them.
	 */
	private String decoded() {
		if (!this.strEscaped) {
			return new String(this.b, this.strStart, this.strEnd - this.strStart,
					this.strAscii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
		}
		StringBuilder out = new StringBuilder(this.strEnd - this.strStart);
		int p = this.strStart;
		while (p < this.strEnd) {
			int run = p;
			while (run < this.strEnd && this.b[run] != '\\') {
				run++;
			}
			if (run > p) {
				out.append(new String(this.b, p, run - p, StandardCharsets.UTF_8));
				p = run;
				continue;
			}
			byte e = this.b[p + 1];
			switch (e) {
				case 'b' -> out.append('\b');
				case 'f' -> out.append('\f');
				case 'n' -> out.append('\n');
				case 'r' -> out.append('\r');
				case 't' -> out.append('\t');
				case 'u' -> out.append((char) hex4(p + 2));
				default -> out.append((char) e);
			}
			p += (e == 'u') ? 6 : 2;
		}
		return out.toString();
	}

	private String ascii(int from, int to) {
		return new String(this.b, from, to - from, StandardCharsets.ISO_8859_1);
	}

	private void ws() {
		while (this.i < this.end) {
			byte c = this.b[this.i];
			if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
				return;
			}
			this.i++;
		}
	}

	/** The byte at the scanner; a line that ends here is left to Jackson. */
	private byte peek() {
		if (this.i >= this.end) {
			throw UNSURE;
		}
		return this.b[this.i];
	}

	private void expect(char c) {
		if (peek() != c) {
			throw UNSURE;
		}
		this.i++;
	}

	private static byte[] ascii(String s) {
		return s.getBytes(StandardCharsets.US_ASCII);
	}

}
