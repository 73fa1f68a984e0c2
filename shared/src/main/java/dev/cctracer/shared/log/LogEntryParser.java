package dev.cctracer.shared.log;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;

/**
 * Decodes one JSONL line of a Claude Code transcript into a {@link LogEntry}: the
 * ingest's lines first with the {@link LogEntryScanner} (the same fields read from the
 * bytes), then, for whatever it leaves, with Jackson's streaming {@link JsonParser}: only
 * the fields the indexer needs are read, everything else (text, tool input, tool results)
 * is skipped unread — unless the facts pass a collector
 * ({@link EntryFactReader.Collector}), which then reads, in the same pass, the fields the
 * facts need of what would be skipped (the entry is the same).
 */
final class LogEntryParser {

	/**
	 * The JSON factory with the reader's limits: any string length, nesting up to 2000;
	 * its generators (the facts' copy of a tool input) take the same nesting.
	 */
	static final JsonFactory FACTORY = JsonFactory.builder()
		.disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
		.streamReadConstraints(StreamReadConstraints.builder()
			.maxStringLength(Integer.MAX_VALUE)
			.maxNestingDepth(2000)
			.maxDocumentLength(-1)
			.build())
		.streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(2000).build())
		.build();

	private static final byte[] INTERRUPT_MARKER = "[Request interrupted by user".getBytes(StandardCharsets.US_ASCII);

	private static final int INTERRUPT_LINE_MAX = 16 * 1024;

	private static final int[] INTERRUPT_SHIFTS = Bytes.shifts(INTERRUPT_MARKER);

	private LogEntryParser() {
	}

	/**
	 * The entry of a line held in a buffer (without its newline), with
	 * {@link LogEntry#interrupted()} set on a short user line that reports an interrupt;
	 * {@code null} when the line is not exactly one JSON object. Bytes that are not
	 * well-formed UTF-8 are read as U+FFFD ({@link Utf8Repair}). Never throws.
	 */
	static LogEntry parse(byte[] buf, int off, int len) {
		return parse(buf, off, len, null);
	}

	/**
	 * {@link #parse(byte[], int, int)}, handing the line's content to a collector on the
	 * way (the facts' one pass); {@code null} also when the collector failed.
	 */
	static LogEntry parse(byte[] buf, int off, int len, EntryFactReader.Collector collector) {
		// the byte scanner first; Jackson reads what it leaves, gathering the content
		// afresh
		LogEntry entry = LogEntryScanner.scan(buf, off, len, collector);
		if (entry == null) {
			if (collector != null) {
				collector.reset();
			}
			entry = parseWithJackson(buf, off, len, collector);
		}
		if (entry == null) {
			// bytes that are not UTF-8 (the collector's caller retries with its own)
			byte[] repaired = (collector == null) ? Utf8Repair.wellFormed(buf, off, len) : null;
			return (repaired != null) ? parse(repaired, 0, repaired.length, null) : null;
		}
		// interrupt notices are short lines; scanning every large tool result for one is
		// wasted work
		if (entry.type() == EntryType.USER && len <= INTERRUPT_LINE_MAX
				&& Bytes.indexOf(buf, off, len, INTERRUPT_MARKER, INTERRUPT_SHIFTS) >= 0) {
			entry = withInterrupted(entry);
		}
		return entry;
	}

	/**
	 * The entry of a line as Jackson reads it, without the interrupt mark; {@code null}
	 * when it is not exactly one JSON object or the collector failed. Never throws.
	 */
	static LogEntry parseWithJackson(byte[] buf, int off, int len, EntryFactReader.Collector collector) {
		try (JsonParser parser = FACTORY.createParser(buf, off, len)) {
			return parseEntry(parser, collector);
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * The entry of a line read from a stream (a line longer than the read buffer: never
	 * an interrupt notice); {@code null} when it is not exactly one JSON object. Never
	 * throws.
	 */
	static LogEntry parse(InputStream in) {
		return parse(in, null);
	}

	/**
	 * {@link #parse(InputStream)}, handing the line's content to a collector on the way.
	 */
	static LogEntry parse(InputStream in, EntryFactReader.Collector collector) {
		try (JsonParser parser = FACTORY.createParser(in)) {
			return parseEntry(parser, collector);
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * The entry of a line too long for the read buffer that failed to parse, read again
	 * from the channel as chars ({@link Utf8Repair#reader}: bytes that are not UTF-8 as
	 * U+FFFD), handing its content to a collector (without the line's bytes) when one is
	 * given; {@code null} when it still is not exactly one JSON object. Never throws.
	 */
	static LogEntry parseAgain(FileChannel channel, long offset, long length, EntryFactReader.Collector collector) {
		try (InputStream again = new ChannelRangeInputStream(channel, offset, length);
				JsonParser parser = FACTORY.createParser(Utf8Repair.reader(again))) {
			return parseEntry(parser, collector);
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	private static LogEntry withInterrupted(LogEntry e) {
		return new LogEntry(e.type(), e.rawType(), e.timestamp(), e.sessionId(), e.cwd(), e.sidechain(), e.agentId(),
				e.requestId(), e.costUsd(), e.messageId(), e.model(), e.usage(), e.toolUses(), e.toolUseIds(),
				e.toolErrors(), true, e.apiError(), e.label(), e.errorText(), e.errorKind(), e.toolErrorIds(),
				e.forked());
	}

	/**
	 * Parses one JSON object; {@code null} when the line is not exactly one JSON object.
	 * @throws IOException when the JSON is malformed or truncated
	 */
	static LogEntry parseEntry(JsonParser p) throws IOException {
		return parseEntry(p, null);
	}

	/**
	 * {@link #parseEntry(JsonParser)}; a collector, when given, receives the fields this
	 * parser skips that the facts need (the entry is the same either way).
	 */
	private static LogEntry parseEntry(JsonParser p, EntryFactReader.Collector c) throws IOException {
		if (p.nextToken() != JsonToken.START_OBJECT) {
			return null;
		}
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
		MessageFields message = null;
		JsonToken token;
		while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
			String field = p.currentName();
			JsonToken value = p.nextToken();
			switch (field) {
				case "type" -> rawType = stringOrNull(p, value);
				case "timestamp" -> timestamp = Timestamps.parseOrNull(stringOrNull(p, value));
				case "sessionId" -> sessionId = stringOrNull(p, value);
				case "cwd" -> cwd = stringOrNull(p, value);
				case "isSidechain" -> sidechain = value == JsonToken.VALUE_TRUE;
				case "agentId" -> agentId = stringOrNull(p, value);
				case "requestId" -> requestId = stringOrNull(p, value);
				case "costUSD" -> costUsd = value.isNumeric() ? loggedUsd(p) : null;
				case "isApiErrorMessage" -> apiError = value == JsonToken.VALUE_TRUE;
				case "aiTitle", "customTitle", "agentName" -> label = cap(stringOrNull(p, value));
				case "error" -> errorKind = cap(stringOrNull(p, value));
				case "forkedFrom" -> {
					forked = value == JsonToken.START_OBJECT;
					p.skipChildren();
				}
				case "uuid" -> {
					if (c != null) {
						c.uuid(p, value);
					}
					else {
						p.skipChildren();
					}
				}
				case "message" -> {
					if (value == JsonToken.START_OBJECT) {
						message = parseMessage(p, c);
					}
					else {
						p.skipChildren();
					}
				}
				case "content" -> {
					if (c != null) {
						c.lineContent(stringOrNull(p, value));
					}
					else {
						p.skipChildren();
					}
				}
				case "summary", "stopReason" -> {
					if (c != null) {
						c.contentSeen();
						c.text(p, value);
					}
					else {
						p.skipChildren();
					}
				}
				case "hookErrors", "hookInfos" -> {
					if (c != null) {
						c.contentSeen();
						hookList(p, value, "hookInfos".equals(field), c);
					}
					else {
						p.skipChildren();
					}
				}
				case "attachment" -> {
					if (c != null && value == JsonToken.START_OBJECT) {
						attachment(p, c);
					}
					else {
						p.skipChildren();
					}
				}
				default -> p.skipChildren();
			}
		}
		if (token != JsonToken.END_OBJECT || p.nextToken() != null) {
			return null;
		}
		if (c != null) {
			c.lineEnd(rawType);
		}
		EntryType type = EntryType.of(rawType);
		if (message == null) {
			message = MessageFields.EMPTY;
		}
		return new LogEntry(type, rawType, timestamp, sessionId, cwd, sidechain, agentId, requestId, costUsd,
				message.id, message.model, message.usage, message.toolUses, message.toolUseIds(), message.toolErrors,
				false, apiError, label, message.syntheticText, errorKind, message.toolErrorIds(), forked);
	}

	/**
	 * A stop summary's {@code hookErrors} (its strings) or {@code hookInfos} (each
	 * object's {@code command}) for the collector, the parser at the value.
	 */
	private static void hookList(JsonParser p, JsonToken value, boolean infos, EntryFactReader.Collector c)
			throws IOException {
		if (value != JsonToken.START_ARRAY) {
			p.skipChildren();
			return;
		}
		JsonToken t;
		while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
			if (!infos) {
				c.text(p, t);
			}
			else if (t == JsonToken.START_OBJECT) {
				while (p.nextToken() == JsonToken.FIELD_NAME) {
					String field = p.currentName();
					JsonToken v = p.nextToken();
					if ("command".equals(field)) {
						c.text(p, v);
					}
					else {
						p.skipChildren();
					}
				}
			}
			else {
				p.skipChildren();
			}
		}
	}

	/**
	 * An {@code attachment} object for the collector, the parser at its start: its
	 * {@code type} and {@code hookEvent}, and a hook outcome's {@code stderr},
	 * {@code command}, {@code content} and {@code blockingError} (a string, or its
	 * {@code blockingError} and {@code command}).
	 */
	private static void attachment(JsonParser p, EntryFactReader.Collector c) throws IOException {
		c.attachmentStart();
		while (p.nextToken() == JsonToken.FIELD_NAME) {
			String field = p.currentName();
			JsonToken v = p.nextToken();
			switch (field) {
				case "type" -> c.attachmentType(stringOrNull(p, v));
				case "hookEvent" -> c.attachmentEvent(stringOrNull(p, v));
				case "stderr", "command", "content" -> c.attachmentString(stringOrNull(p, v));
				case "blockingError" -> {
					if (v == JsonToken.START_OBJECT) {
						while (p.nextToken() == JsonToken.FIELD_NAME) {
							String inner = p.currentName();
							JsonToken iv = p.nextToken();
							if ("blockingError".equals(inner) || "command".equals(inner)) {
								c.attachmentString(stringOrNull(p, iv));
							}
							else {
								p.skipChildren();
							}
						}
					}
					else {
						c.attachmentString(stringOrNull(p, v));
					}
				}
				default -> p.skipChildren();
			}
		}
		c.attachmentEnd();
	}

	/**
	 * A label or error text cut to {@value LogEntry#LABEL_READ_MAX} chars: what is kept
	 * of it is redacted first and cut to {@value LogEntry#LABEL_MAX} then.
	 */
	static String cap(String text) {
		return (text == null || text.length() <= LogEntry.LABEL_READ_MAX) ? text
				: text.substring(0, LogEntry.LABEL_READ_MAX);
	}

	private static MessageFields parseMessage(JsonParser p, EntryFactReader.Collector c) throws IOException {
		MessageFields m = new MessageFields();
		while (p.nextToken() == JsonToken.FIELD_NAME) {
			String field = p.currentName();
			JsonToken value = p.nextToken();
			switch (field) {
				case "id" -> m.id = stringOrNull(p, value);
				case "model" -> m.model = stringOrNull(p, value);
				case "usage" -> {
					if (value == JsonToken.START_OBJECT) {
						m.usage = parseUsage(p);
					}
					else {
						p.skipChildren();
					}
				}
				case "content" -> {
					if (c != null) {
						c.contentSeen();
					}
					if (value == JsonToken.START_ARRAY) {
						parseContent(p, m, c);
					}
					else if (c != null) {
						c.text(p, value);
					}
					else {
						p.skipChildren();
					}
				}
				default -> p.skipChildren();
			}
		}
		return m;
	}

	private static void parseContent(JsonParser p, MessageFields m, EntryFactReader.Collector c) throws IOException {
		JsonToken token;
		while ((token = p.nextToken()) != JsonToken.END_ARRAY && token != null) {
			if (token != JsonToken.START_OBJECT) {
				p.skipChildren();
				continue;
			}
			String type = null;
			boolean error = false;
			String toolUseId = null;
			String id = null;
			while (p.nextToken() == JsonToken.FIELD_NAME) {
				String field = p.currentName();
				JsonToken value = p.nextToken();
				if ("type".equals(field)) {
					type = stringOrNull(p, value);
				}
				else if ("id".equals(field)) {
					id = stringOrNull(p, value);
					if (c != null) {
						c.blockString(field, id);
					}
				}
				else if ("is_error".equals(field)) {
					error = value == JsonToken.VALUE_TRUE;
				}
				else if ("tool_use_id".equals(field)) {
					toolUseId = stringOrNull(p, value);
					if (c != null) {
						c.blockString(field, toolUseId);
					}
				}
				else if ("text".equals(field) && m.syntheticText == null && LogEntry.SYNTHETIC_MODEL.equals(m.model)) {
					// Claude Code writes "model" before "content": only its own notices
					// (API errors) pay for decoding text
					String text = stringOrNull(p, value);
					m.syntheticText = cap(text);
					if (c != null) {
						c.text(text);
					}
				}
				else if (c != null) {
					c.blockField(p, field, value);
				}
				else {
					p.skipChildren();
				}
			}
			if ("tool_use".equals(type)) {
				m.toolUse(id);
			}
			else if ("tool_result".equals(type) && error) {
				m.toolError(toolUseId);
			}
			if (c != null) {
				c.endBlock(type, error);
			}
		}
	}

	/**
	 * Reads a {@code message.usage} object (the parser is just past its START_OBJECT):
	 * the four counters, the 5m/1h split when present (else all writes are 5m), and
	 * {@code speed}. Missing fields are 0.
	 * @throws IOException when the JSON is malformed or truncated
	 */
	static Usage parseUsage(JsonParser p) throws IOException {
		long input = 0;
		long output = 0;
		long creation = 0;
		long read = 0;
		long split5m = 0;
		long split1h = 0;
		boolean split = false;
		boolean fast = false;
		long webSearches = 0;
		String geo = null;
		while (p.nextToken() == JsonToken.FIELD_NAME) {
			String field = p.currentName();
			JsonToken value = p.nextToken();
			switch (field) {
				case "input_tokens" -> input = longOrZero(p, value);
				case "output_tokens" -> output = longOrZero(p, value);
				case "cache_creation_input_tokens" -> creation = longOrZero(p, value);
				case "cache_read_input_tokens" -> read = longOrZero(p, value);
				case "speed" -> fast = "fast".equals(stringOrNull(p, value));
				case "server_tool_use" -> webSearches = webSearchRequests(p, value);
				case "inference_geo" -> geo = Usage.geo(stringOrNull(p, value));
				case "cache_creation" -> {
					if (value == JsonToken.START_OBJECT) {
						while (p.nextToken() == JsonToken.FIELD_NAME) {
							String inner = p.currentName();
							JsonToken innerValue = p.nextToken();
							if ("ephemeral_5m_input_tokens".equals(inner)) {
								split5m = longOrZero(p, innerValue);
								split = true;
							}
							else if ("ephemeral_1h_input_tokens".equals(inner)) {
								split1h = longOrZero(p, innerValue);
								split = true;
							}
							else {
								p.skipChildren();
							}
						}
					}
					else {
						p.skipChildren();
					}
				}
				default -> p.skipChildren();
			}
		}
		return usage(input, output, creation, split ? split5m : -1, split1h, read, fast, webSearches, geo);
	}

	/**
	 * The usage of a {@code message.usage} object as read: the 5m/1h split of
	 * {@code cache_creation} defines the cache writes when present ({@code split5m} ≥ 0),
	 * else all of {@code cache_creation_input_tokens} are 5-minute writes. A split that
	 * names fewer writes than {@code cache_creation_input_tokens} (a bucket of a TTL it
	 * does not know, e.g. a future {@code ephemeral_24h_input_tokens}; none in Claude
	 * Code's logs to date, where the two always add up) leaves no write out: the rest are
	 * 5-minute writes, the lowest write price, as for a line without the split.
	 */
	static Usage usage(long input, long output, long creation, long split5m, long split1h, long read, boolean fast,
			long webSearches, String geo) {
		if (split5m < 0) {
			return new Usage(input, output, creation, 0, read, fast, webSearches, geo);
		}
		long unnamed = creation - split5m - split1h;
		return new Usage(input, output, (unnamed > 0) ? split5m + unnamed : split5m, split1h, read, fast, webSearches,
				geo);
	}

	/** {@code server_tool_use.web_search_requests}; 0 when missing. */
	private static long webSearchRequests(JsonParser p, JsonToken value) throws IOException {
		if (value != JsonToken.START_OBJECT) {
			p.skipChildren();
			return 0;
		}
		long n = 0;
		while (p.nextToken() == JsonToken.FIELD_NAME) {
			String inner = p.currentName();
			JsonToken innerValue = p.nextToken();
			if ("web_search_requests".equals(inner)) {
				n = longOrZero(p, innerValue);
			}
			else {
				p.skipChildren();
			}
		}
		return n;
	}

	/** A string value, or {@code null} (skipped) for any other value. */
	static String stringOrNull(JsonParser p, JsonToken value) throws IOException {
		if (value == JsonToken.VALUE_STRING) {
			return p.getText();
		}
		p.skipChildren();
		return null;
	}

	/**
	 * A token count: an integer (negative as 0), a fraction truncated, 0 for any other
	 * value (skipped).
	 * @throws IOException when the count is above {@link Usage#MAX_COUNT} or too large
	 * for 64 bits (the line is invalid)
	 */
	private static long longOrZero(JsonParser p, JsonToken value) throws IOException {
		long v;
		if (value == JsonToken.VALUE_NUMBER_INT) {
			v = p.getLongValue();
		}
		else if (value == JsonToken.VALUE_NUMBER_FLOAT) {
			v = (long) p.getDoubleValue();
		}
		else {
			p.skipChildren();
			return 0;
		}
		if (!Usage.isCount(v)) {
			throw new JsonParseException(p, "a count above " + Usage.MAX_COUNT);
		}
		return Math.max(0, v);
	}

	/**
	 * A logged cost ({@code costUSD}) in USD, or {@code null} when it is below 0 or above
	 * {@link Usage#MAX_LOGGED_USD}: a cost no line has is no cost logged, and the line's
	 * tokens still count (it had made the whole line invalid, its tokens lost).
	 */
	private static Double loggedUsd(JsonParser p) throws IOException {
		double usd = p.getDoubleValue();
		return Usage.isLoggedUsd(usd) ? usd : null;
	}

	/** The fields of {@code message} an entry keeps (the byte scanner fills them too). */
	static final class MessageFields {

		static final MessageFields EMPTY = new MessageFields();

		String id;

		String model;

		Usage usage;

		String syntheticText;

		int toolUses;

		/** The calls' {@code id}s, {@code null} while there are none. */
		List<String> toolUseIds;

		int toolErrors;

		/**
		 * The failed results' {@code tool_use_id}s, {@code null} while there are none.
		 */
		List<String> toolErrorIds;

		void toolUse(String id) {
			this.toolUses++;
			this.toolUseIds = withId(this.toolUseIds, id);
		}

		List<String> toolUseIds() {
			return (this.toolUseIds != null) ? List.copyOf(this.toolUseIds) : List.of();
		}

		void toolError(String toolUseId) {
			this.toolErrors++;
			this.toolErrorIds = withId(this.toolErrorIds, toolUseId);
		}

		/** {@code ids} with {@code id} added when it is not {@code null}. */
		private static List<String> withId(List<String> ids, String id) {
			if (id == null) {
				return ids;
			}
			List<String> list = (ids != null) ? ids : new ArrayList<>(1);
			list.add(id);
			return list;
		}

		List<String> toolErrorIds() {
			return (this.toolErrorIds != null) ? List.copyOf(this.toolErrorIds) : List.of();
		}

	}

}
