package dev.cctracer.shared.log;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;

/**
 * Streams the complete lines of a byte range of a JSONL file through Jackson's
 * {@link JsonParser}.
 * <p>
 * Lines up to the buffer size are parsed from the buffer; longer ones are parsed straight
 * from the channel, so memory stays bounded whatever a line's length. A line over the cap
 * is skipped whole and reported as over-long. Only bytes up to {@code end} are read, and
 * callers pass an {@code end} just after a {@code '\n'} (see {@link #completeEnd}), so a
 * partial last line is never consumed.
 */
public final class JsonlReader {

	/** Default cap on one line: 64 MiB. */
	public static final long DEFAULT_MAX_LINE_BYTES = 64L << 20;

	private static final int DEFAULT_BUFFER = 1 << 20;

	private static final byte[] INTERRUPT_MARKER = "[Request interrupted by user".getBytes(StandardCharsets.US_ASCII);

	private static final int INTERRUPT_LINE_MAX = 16 * 1024;

	private static final int[] INTERRUPT_SHIFTS = Bytes.shifts(INTERRUPT_MARKER);

	private static final JsonFactory FACTORY = JsonFactory.builder()
		.disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
		.streamReadConstraints(StreamReadConstraints.builder()
			.maxStringLength(Integer.MAX_VALUE)
			.maxNestingDepth(2000)
			.maxDocumentLength(-1)
			.build())
		.build();

	private final int bufferSize;

	private final long maxLineBytes;

	/**
	 * Read buffers kept for reuse (at most {@link #SPARE_BUFFERS}): a fresh 1 MiB buffer
	 * per file is a humongous object for G1 at a 512 MB heap, and the cold index of 3,000
	 * files set off a young collection and a marking cycle about every hundred files.
	 */
	private final java.util.concurrent.ConcurrentLinkedQueue<byte[]> spare = new java.util.concurrent.ConcurrentLinkedQueue<>();

	private static final int SPARE_BUFFERS = 4;

	public JsonlReader() {
		this(DEFAULT_BUFFER, DEFAULT_MAX_LINE_BYTES);
	}

	public JsonlReader(int bufferSize, long maxLineBytes) {
		if (bufferSize < 16) {
			throw new IllegalArgumentException("buffer too small: " + bufferSize);
		}
		this.bufferSize = bufferSize;
		this.maxLineBytes = maxLineBytes;
	}

	/**
	 * The offset just after the last {@code '\n'} in {@code [from, size)}, or
	 * {@code from} when there is none: the end of what can be consumed now.
	 */
	public static long completeEnd(FileChannel channel, long from, long size) throws IOException {
		ByteBuffer spare = SPARE_BLOCKS.poll();
		ByteBuffer block = (spare != null) ? spare : ByteBuffer.allocate(64 * 1024);
		try {
			return completeEnd(channel, from, size, block);
		}
		finally {
			if (SPARE_BLOCKS.size() < SPARE_BUFFERS) {
				SPARE_BLOCKS.offer(block);
			}
		}
	}

	/**
	 * 64 KiB blocks of {@link #completeEnd}, kept for reuse: one per file added up to 190
	 * MB on the cold index.
	 */
	private static final java.util.concurrent.ConcurrentLinkedQueue<ByteBuffer> SPARE_BLOCKS = new java.util.concurrent.ConcurrentLinkedQueue<>();

	private static long completeEnd(FileChannel channel, long from, long size, ByteBuffer block) throws IOException {
		long blockEnd = size;
		while (blockEnd > from) {
			long blockStart = Math.max(from, blockEnd - block.capacity());
			int length = (int) (blockEnd - blockStart);
			block.clear().limit(length);
			readFully(channel, block, blockStart);
			for (int i = length - 1; i >= 0; i--) {
				if (block.get(i) == '\n') {
					return blockStart + i + 1;
				}
			}
			blockEnd = blockStart;
		}
		return from;
	}

	/**
	 * Reads every line in {@code [start, end)} and reports each to the handler.
	 * {@code end} must be a line end (just after a {@code '\n'}) or the end of a file
	 * that is complete.
	 * @return the number of lines reported
	 */
	public long read(FileChannel channel, long start, long end, LineHandler handler) throws IOException {
		return forEachLine(channel, start, end, new RawLineHandler() {
			@Override
			public void buffered(long offset, byte[] buf, int off, int len) {
				handleBufferedLine(buf, off, len, offset, handler);
			}

			@Override
			public void streamed(long offset, long length, InputStream in) {
				handleStreamedLine(in, offset, handler);
			}

			@Override
			public void overlong(long offset, long length) {
				handler.overlong(offset, length);
			}
		});
	}

	/**
	 * The bounded line iteration under {@link #read}, for other parsers of the same
	 * files: every line in {@code [start, end)} as bytes in a buffer, as a stream (longer
	 * than the buffer), or as over-long.
	 * @return the number of lines
	 */
	public long forEachLine(FileChannel channel, long start, long end, RawLineHandler handler) throws IOException {
		byte[] buf;
		if (end - start > SMALL_RANGE) {
			byte[] reused = this.spare.poll();
			buf = (reused != null) ? reused : new byte[this.bufferSize];
		}
		else {
			buf = new byte[(int) Math.min(this.bufferSize, Math.max(16, end - start))];
		}
		try {
			return forEachLine(channel, start, end, handler, buf);
		}
		finally {
			if (buf.length == this.bufferSize && this.spare.size() < SPARE_BUFFERS) {
				this.spare.offer(buf);
			}
		}
	}

	/** Ranges up to this size get a buffer of their own size (live appends are small). */
	private static final long SMALL_RANGE = 64 * 1024;

	private long forEachLine(FileChannel channel, long start, long end, RawLineHandler handler, byte[] buf)
			throws IOException {
		ByteBuffer wrapper = ByteBuffer.wrap(buf);
		long lines = 0;
		long pos = start;
		while (pos < end) {
			int len = (int) Math.min(buf.length, end - pos);
			wrapper.clear().limit(len);
			readFully(channel, wrapper, pos);
			int lineStart = 0;
			for (int i = Bytes.indexOfNewline(buf, 0, len); i >= 0; i = Bytes.indexOfNewline(buf, lineStart, len)) {
				emit(buf, lineStart, i - lineStart, pos + lineStart, handler);
				lines++;
				lineStart = i + 1;
			}
			if (lineStart == 0) {
				if (pos + len >= end) {
					// the range ends without a newline: the caller said it is complete
					emit(buf, 0, len, pos, handler);
					return lines + 1;
				}
				long newline = findNewline(channel, pos + len, end);
				long lineLength = newline - pos;
				if (lineLength > this.maxLineBytes) {
					handler.overlong(pos, lineLength);
				}
				else {
					handler.streamed(pos, lineLength, new ChannelRangeInputStream(channel, pos, lineLength));
				}
				lines++;
				pos = Math.min(end, newline + 1);
			}
			else if (lineStart < len && pos + len >= end) {
				// trailing bytes without newline at the very end of a complete range
				emit(buf, lineStart, len - lineStart, pos + lineStart, handler);
				return lines + 1;
			}
			else {
				pos += lineStart;
			}
		}
		return lines;
	}

	private void emit(byte[] buf, int off, int len, long offset, RawLineHandler handler) {
		if (len > this.maxLineBytes) {
			handler.overlong(offset, len);
		}
		else {
			handler.buffered(offset, buf, off, len);
		}
	}

	/** Receives the raw lines of {@link #forEachLine}. */
	public interface RawLineHandler {

		/**
		 * A line held in a buffer, without its newline; the bytes are valid during the
		 * call only.
		 */
		void buffered(long offset, byte[] buf, int off, int len);

		/**
		 * A line longer than the buffer (within the cap), to be parsed from the stream.
		 */
		void streamed(long offset, long length, InputStream in);

		/** A line over the cap. */
		void overlong(long offset, long length);

	}

	/** The JSON factory with the reader's limits, for parsers of lines. */
	public static JsonFactory jsonFactory() {
		return FACTORY;
	}

	private void handleBufferedLine(byte[] buf, int off, int len, long offset, LineHandler handler) {
		if (isBlank(buf, off, len)) {
			handler.blank(offset);
			return;
		}
		LogEntry entry;
		try (JsonParser parser = FACTORY.createParser(buf, off, len)) {
			entry = parseEntry(parser);
		}
		catch (IOException | RuntimeException ex) {
			entry = null;
		}
		if (entry == null) {
			handler.invalid(offset);
			return;
		}
		// interrupt notices are short lines; scanning every large tool result for one is
		// wasted work
		if (entry.type() == EntryType.USER && len <= INTERRUPT_LINE_MAX
				&& Bytes.indexOf(buf, off, len, INTERRUPT_MARKER, INTERRUPT_SHIFTS) >= 0) {
			entry = withInterrupted(entry);
		}
		handler.entry(offset, entry);
	}

	private void handleStreamedLine(InputStream in, long offset, LineHandler handler) {
		LogEntry entry;
		try (JsonParser parser = FACTORY.createParser(in)) {
			entry = parseEntry(parser);
		}
		catch (IOException | RuntimeException ex) {
			entry = null;
		}
		if (entry == null) {
			handler.invalid(offset);
		}
		else {
			handler.entry(offset, entry);
		}
	}

	private static LogEntry withInterrupted(LogEntry e) {
		return new LogEntry(e.type(), e.rawType(), e.timestamp(), e.sessionId(), e.cwd(), e.sidechain(), e.agentId(),
				e.requestId(), e.costUsd(), e.messageId(), e.model(), e.usage(), e.toolUses(), e.toolErrors(), true,
				e.apiError(), e.label(), e.errorText(), e.errorKind());
	}

	/**
	 * Parses one JSON object; {@code null} when the line is not exactly one JSON object.
	 */
	static LogEntry parseEntry(JsonParser p) throws IOException {
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
				case "costUSD" -> costUsd = value.isNumeric() ? p.getDoubleValue() : null;
				case "isApiErrorMessage" -> apiError = value == JsonToken.VALUE_TRUE;
				case "aiTitle", "customTitle", "agentName" -> label = cap(stringOrNull(p, value));
				case "error" -> errorKind = cap(stringOrNull(p, value));
				case "message" -> {
					if (value == JsonToken.START_OBJECT) {
						message = parseMessage(p);
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
		EntryType type = EntryType.of(rawType);
		if (message == null) {
			message = MessageFields.EMPTY;
		}
		return new LogEntry(type, rawType, timestamp, sessionId, cwd, sidechain, agentId, requestId, costUsd,
				message.id, message.model, message.usage, message.toolUses, message.toolErrors, false, apiError, label,
				message.syntheticText, errorKind);
	}

	private static String cap(String text) {
		return (text == null || text.length() <= LogEntry.LABEL_MAX) ? text : text.substring(0, LogEntry.LABEL_MAX);
	}

	private static MessageFields parseMessage(JsonParser p) throws IOException {
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
					if (value == JsonToken.START_ARRAY) {
						parseContent(p, m);
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

	private static void parseContent(JsonParser p, MessageFields m) throws IOException {
		JsonToken token;
		while ((token = p.nextToken()) != JsonToken.END_ARRAY && token != null) {
			if (token != JsonToken.START_OBJECT) {
				p.skipChildren();
				continue;
			}
			String type = null;
			boolean error = false;
			while (p.nextToken() == JsonToken.FIELD_NAME) {
				String field = p.currentName();
				JsonToken value = p.nextToken();
				if ("type".equals(field)) {
					type = stringOrNull(p, value);
				}
				else if ("is_error".equals(field)) {
					error = value == JsonToken.VALUE_TRUE;
				}
				else if ("text".equals(field) && m.syntheticText == null && LogEntry.SYNTHETIC_MODEL.equals(m.model)) {
					// Claude Code writes "model" before "content": only its own notices
					// (API errors) pay for decoding text
					m.syntheticText = cap(stringOrNull(p, value));
				}
				else {
					p.skipChildren();
				}
			}
			if ("tool_use".equals(type)) {
				m.toolUses++;
			}
			else if ("tool_result".equals(type) && error) {
				m.toolErrors++;
			}
		}
	}

	/**
	 * Reads a {@code message.usage} object (the parser is just past its START_OBJECT):
	 * the four counters, the 5m/1h split when present (else all writes are 5m), and
	 * {@code speed}. Missing fields are 0.
	 */
	public static Usage parseUsage(JsonParser p) throws IOException {
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
		return split ? new Usage(input, output, split5m, split1h, read, fast, webSearches, geo)
				: new Usage(input, output, creation, 0, read, fast, webSearches, geo);
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

	private static String stringOrNull(JsonParser p, JsonToken value) throws IOException {
		if (value == JsonToken.VALUE_STRING) {
			return p.getText();
		}
		p.skipChildren();
		return null;
	}

	private static long longOrZero(JsonParser p, JsonToken value) throws IOException {
		if (value == JsonToken.VALUE_NUMBER_INT) {
			return Math.max(0, p.getLongValue());
		}
		if (value == JsonToken.VALUE_NUMBER_FLOAT) {
			return Math.max(0, (long) p.getDoubleValue());
		}
		p.skipChildren();
		return 0;
	}

	private static boolean isBlank(byte[] buf, int off, int len) {
		for (int i = off; i < off + len; i++) {
			byte b = buf[i];
			if (b != ' ' && b != '\t' && b != '\r') {
				return false;
			}
		}
		return true;
	}

	private long findNewline(FileChannel channel, long from, long end) throws IOException {
		ByteBuffer block = ByteBuffer.allocate(64 * 1024);
		long pos = from;
		while (pos < end) {
			int len = (int) Math.min(block.capacity(), end - pos);
			block.clear().limit(len);
			readFully(channel, block, pos);
			int i = Bytes.indexOfNewline(block.array(), 0, len);
			if (i >= 0) {
				return pos + i;
			}
			pos += len;
		}
		return end;
	}

	static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
		long pos = position;
		while (buffer.hasRemaining()) {
			int n = channel.read(buffer, pos);
			if (n < 0) {
				throw new IOException("file shrank while reading at offset " + pos);
			}
			pos += n;
		}
	}

	private static final class MessageFields {

		static final MessageFields EMPTY = new MessageFields();

		String id;

		String model;

		Usage usage;

		String syntheticText;

		int toolUses;

		int toolErrors;

	}

	/** Positional reads of a byte range of a channel, for lines too long to buffer. */
	private static final class ChannelRangeInputStream extends InputStream {

		private final FileChannel channel;

		private long position;

		private final long end;

		ChannelRangeInputStream(FileChannel channel, long start, long length) {
			this.channel = channel;
			this.position = start;
			this.end = start + length;
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			return (read(one, 0, 1) < 0) ? -1 : (one[0] & 0xff);
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			if (this.position >= this.end) {
				return -1;
			}
			int n = (int) Math.min(len, this.end - this.position);
			int read = this.channel.read(ByteBuffer.wrap(b, off, n), this.position);
			if (read < 0) {
				return -1;
			}
			this.position += read;
			return read;
		}

	}

}
