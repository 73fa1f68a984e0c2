package dev.cctracer.shared.log;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Reads the entry-level facts of a byte range of a transcript with the ingest's own
 * framing and parser: each line's {@link LogEntry} exactly as the ingest gets it
 * ({@link JsonlReader#read}), plus what analytics need of its content, gathered in the
 * same pass ({@link Collector}): the line's {@code uuid}, its {@code tool_use} and
 * {@code tool_result} blocks, and its searchable text. (A second, streaming pass over the
 * same bytes and the text built as a Java string made the facts of the benchmark's
 * calibrated medium set take 8.6 s instead of 6.6 s.)
 * <p>
 * The text is the message content's text, thinking, tool inputs (as compact JSON) and
 * tool-result text, and what the timeline shows of the lines around the messages
 * ({@code TranscriptText}'s details): a {@code summary} or {@code stopReason} string (a
 * summary, a stop hook's reason), a stop summary's {@code hookErrors} strings and
 * {@code hookInfos[].command}, the {@code stderr}, {@code command}, {@code content} and
 * {@code blockingError} (a string, or its {@code blockingError} and {@code command}) of a
 * hook outcome the timeline shows ({@link HookOutcomes#shown}), in the line's order, and
 * last a {@code system} line's top-level {@code content} — joined by newlines and cut
 * after {@value #TEXT_MAX} characters (plus a margin, so a caller can redact before
 * cutting), gathered as UTF-8 bytes decoded straight from the line's bytes
 * ({@link Utf8Text}): it is stored as UTF-8, and a Java string of it cost a UTF-16 copy
 * and an encoding back. It is read only from lines the reader holds in its buffer (1 MiB
 * by default); a longer line (up to the ingest's cap) is streamed for its entry and tool
 * blocks, and its text is read from the strings its first {@value #STREAMED_TEXT_BYTES}
 * bytes hold whole, so no line is ever held whole in memory. Lines over the cap, blank
 * lines and lines that are not one JSON object are reported as skipped, as the ingest
 * skips them.
 */
public final class EntryFactReader {

	/** Characters of searchable text kept per line. */
	public static final int TEXT_MAX = 64 * 1024;

	/** Characters read past {@link #TEXT_MAX}, so a secret cut at the edge is whole. */
	public static final int TEXT_MARGIN = 1024;

	/** Bytes of a line longer than the reader's buffer read for its searchable text. */
	public static final int STREAMED_TEXT_BYTES = 1 << 20;

	/**
	 * A {@code tool_use} block ({@code use}: its {@code id} and {@code name}) or a
	 * {@code tool_result} block (its {@code tool_use_id} as {@code id}, and
	 * {@code is_error}).
	 */
	public record ToolBlock(boolean use, String id, String name, boolean error) {

	}

	/**
	 * What a line's content says.
	 *
	 * @param uuid the line's {@code uuid}, or {@code null}
	 * @param text the searchable text as UTF-8 bytes (unredacted, at most
	 * {@link #TEXT_MAX} + {@link #TEXT_MARGIN} UTF-16 chars; a surrogate pair the cap
	 * splits, or a lone surrogate escape, is {@code ?} as Java's encoder writes it), or
	 * {@code null} when the line has no {@code message.content} or was too long to read
	 * text from
	 * @param tools its tool blocks, in order
	 */
	public record Content(String uuid, byte[] text, List<ToolBlock> tools) {

		static final Content NONE = new Content(null, null, List.of());

	}

	/** Receives the facts of each line. */
	public interface Handler {

		/** A line that is one JSON object. */
		void entry(long offset, LogEntry entry, Content content);

		/** A blank, invalid or over-long line (not a fact). */
		default void skipped(long offset, long length) {
		}

	}

	private final JsonlReader reader;

	public EntryFactReader(JsonlReader reader) {
		this.reader = reader;
	}

	/**
	 * Reads {@code [start, end)} (a line end or the end of a complete file).
	 * @return the number of lines
	 * @throws IOException when the channel cannot be read or shrank below {@code end}
	 */
	public long read(FileChannel channel, long start, long end, Handler handler) throws IOException {
		return this.reader.forEachLine(channel, start, end, new JsonlReader.RawLineHandler() {
			@Override
			public void buffered(long offset, byte[] buf, int off, int len) {
				Collector collector = new Collector(buf, off, len);
				LogEntry entry = LogEntryParser.parse(buf, off, len, collector);
				if (entry != null) {
					handler.entry(offset, entry, collector.content());
					return;
				}
				// bytes that are not UTF-8 (Jackson refuses them, in the collector's work
				// or its own): read as U+FFFD, as the ingest reads them
				byte[] repaired = Utf8Repair.wellFormed(buf, off, len);
				if (repaired != null) {
					collector = new Collector(repaired, 0, repaired.length);
					entry = LogEntryParser.parse(repaired, 0, repaired.length, collector);
					if (entry != null) {
						handler.entry(offset, entry, collector.content());
						return;
					}
				}
				// not one JSON object (the plain parse fails on the same token, since the
				// collector reads exactly what it would skip), or the collector's own
				// work failed: then the ingest's own parse decides, without content
				entry = collector.failed() ? LogEntryParser.parse(buf, off, len) : null;
				if (entry != null) {
					handler.entry(offset, entry, Content.NONE);
				}
				else if (!GluedObjects.forEach(offset, buf, off, len, this::buffered)) {
					// not objects glued on one line either (those are read each at
					// its own offset, as the ingest reads them: JsonlReader)
					handler.skipped(offset, len);
				}
			}

			@Override
			public void streamed(long offset, long length, InputStream in) {
				Collector collector = new Collector(null, 0, 0);
				LogEntry entry = LogEntryParser.parse(in, collector);
				if (entry == null) {
					// read again as chars, bytes that are not UTF-8 as U+FFFD
					collector = new Collector(null, 0, 0);
					entry = LogEntryParser.parseAgain(channel, offset, length, collector);
				}
				if (entry != null) {
					handler.entry(offset, entry, withHeadText(channel, offset, length, collector.content()));
					return;
				}
				if (collector.failed()) {
					entry = LogEntryParser.parseAgain(channel, offset, length, null);
				}
				if (entry == null) {
					handler.skipped(offset, length);
				}
				else {
					handler.entry(offset, entry, Content.NONE);
				}
			}

			@Override
			public void overlong(long offset, long length) {
				handler.skipped(offset, length);
			}
		});
	}

	/**
	 * A streamed line's content with the searchable text of its first
	 * {@value #STREAMED_TEXT_BYTES} bytes: each string those bytes hold whole, as a
	 * buffered line gives them; a string they cut adds nothing (the byte decoder rolls a
	 * string back that runs past its end, and Jackson fails on it before adding), so no
	 * part of a secret is kept that redaction would not know. The entry, uuid and tool
	 * blocks stay the stream's; a head that cannot be read gives no text (the stream was
	 * read, so the file is changing under the reader, which its next read sees).
	 */
	private static Content withHeadText(FileChannel channel, long offset, long length, Content streamed) {
		ByteBuffer head = ByteBuffer.allocate((int) Math.min(length, STREAMED_TEXT_BYTES));
		try {
			while (head.hasRemaining() && channel.read(head, offset + head.position()) >= 0) {
				// read on until full or at the file's end
			}
		}
		catch (IOException ex) {
			return streamed;
		}
		Collector collector = new Collector(head.array(), 0, head.position());
		try {
			LogEntryParser.parse(head.array(), 0, head.position(), collector);
		}
		catch (RuntimeException ex) {
			// the head ends inside the line: what was gathered before its end is kept
		}
		byte[] text = collector.content().text();
		return (text == null) ? streamed : new Content(streamed.uuid(), text, streamed.tools());
	}

	/**
	 * The content facts of a line, gathered while the ingest's parser reads it
	 * ({@link LogEntryParser#parse(byte[], int, int, Collector)}): one pass for the entry
	 * and its content. Without a buffer (a line read as a stream) no text is gathered,
	 * and no string is materialised but ids, names and error flags (short by nature).
	 */
	static final class Collector {

		private final Text text;

		private final List<ToolBlock> tools = new ArrayList<>(0);

		private String uuid;

		private boolean hasContent;

		private String id;

		private String name;

		private String toolUseId;

		/** The line's top-level {@code content}, until its type is known. */
		private boolean lineContentSeen;

		private String lineContent;

		/** The current attachment's last {@code type} and {@code hookEvent} read. */
		private String attachmentType;

		private String attachmentEvent;

		/** The strings of the current attachment's hook fields. */
		private final List<String> pending = new ArrayList<>(0);

		/**
		 * Set while the collector works and cleared when it is done, so it stays set when
		 * its work threw.
		 */
		private boolean failed;

		/** The line's bytes, {@code buf[off, off + len)}; {@code buf} null for none. */
		Collector(byte[] buf, int off, int len) {
			this.text = (buf != null) ? new Text(buf, off, len) : null;
		}

		/**
		 * Forgets what the {@link LogEntryScanner} gathered before it left the line to
		 * Jackson, which then gathers it again.
		 */
		void reset() {
			if (this.text != null) {
				this.text.clear();
			}
			this.tools.clear();
			this.uuid = null;
			this.hasContent = false;
			this.id = null;
			this.name = null;
			this.toolUseId = null;
			this.attachmentType = null;
			this.attachmentEvent = null;
			this.pending.clear();
			this.lineContentSeen = false;
			this.lineContent = null;
			this.failed = false;
		}

		/** The top-level {@code uuid}, as the {@link LogEntryScanner} read it. */
		void uuid(String value) {
			this.uuid = value;
		}

		/**
		 * A text string whose opening quote the {@link LogEntryScanner} found at
		 * {@code quote} in the line's buffer.
		 * @return the index after its closing quote when the text read it whole (and so
		 * checked it), 0 when it did not read it to its end (at the cap), -1 when it
		 * refused it (not well-formed up to the cap)
		 */
		int textAt(int quote) {
			return (this.text != null) ? this.text.addAt(quote) : 0;
		}

		/** Whether the text is at its cap (a tool input is then not copied). */
		boolean textFull() {
			return this.text == null || this.text.full();
		}

		/**
		 * A tool input (an object or an array) at {@code buf[start, end)} of the line's
		 * buffer, copied as compact JSON exactly as the Jackson pass copies it.
		 * @throws IOException when Jackson refuses the span
		 */
		void input(int start, int end) throws IOException {
			try (JsonParser p = LogEntryParser.FACTORY.createParser(this.text.buf, start, end - start)) {
				json(p, p.nextToken(), this.text);
			}
		}

		/** A block's {@code id}, {@code name} or {@code tool_use_id}, as read. */
		void blockString(String field, String value) {
			switch (field) {
				case "id" -> this.id = value;
				case "name" -> this.name = value;
				default -> this.toolUseId = value;
			}
		}

		/** The top-level {@code uuid} field's value. */
		void uuid(JsonParser p, JsonToken value) throws IOException {
			this.failed = true;
			this.uuid = LogEntryParser.stringOrNull(p, value);
			this.failed = false;
		}

		/**
		 * A {@code message.content} field, or a top-level field whose text is searchable
		 * (see the class), whatever its value: the line has text.
		 */
		void contentSeen() {
			this.hasContent = true;
		}

		/**
		 * The line's top-level {@code content} (a string, else {@code null}): text of a
		 * {@code system} line only, which the line's type says at its end
		 * ({@link #lineEnd}); a {@code queue-operation}'s copy of a prompt is not.
		 */
		void lineContent(String value) {
			this.lineContentSeen = true;
			this.lineContent = value;
		}

		/**
		 * The line's end, with its {@code type} as read: a {@code system} line's
		 * top-level {@code content} becomes the last of its text.
		 */
		void lineEnd(String rawType) {
			if (this.lineContentSeen && "system".equals(rawType)) {
				this.hasContent = true;
				if (this.text != null && this.lineContent != null) {
					this.failed = true;
					this.text.add(this.lineContent);
					this.failed = false;
				}
			}
			this.lineContentSeen = false;
			this.lineContent = null;
		}

		/**
		 * An {@code attachment} object starts: its hook fields wait for its end, where
		 * its (last) {@code type} and {@code hookEvent} say whether the timeline shows it
		 * ({@link HookOutcomes#shown}).
		 */
		void attachmentStart() {
			this.attachmentType = null;
			this.attachmentEvent = null;
			this.pending.clear();
		}

		/** The attachment's {@code type}, {@code null} when not a string. */
		void attachmentType(String value) {
			this.attachmentType = value;
		}

		/** The attachment's {@code hookEvent}, {@code null} when not a string. */
		void attachmentEvent(String value) {
			this.attachmentEvent = value;
		}

		/** A hook field's string ({@code stderr}, {@code command}…), kept for the end. */
		void attachmentString(String value) {
			if (this.text != null && value != null) {
				this.pending.add(value);
			}
		}

		/**
		 * The attachment's end: its hook fields become the line's text when the timeline
		 * shows it, in their order, each text once (a failure's {@code stderr} and
		 * {@code content} often say the same; compared stripped, as the timeline shows
		 * them).
		 */
		void attachmentEnd() {
			if (HookOutcomes.shown(this.attachmentType, this.attachmentEvent)) {
				this.failed = true;
				this.hasContent = true;
				if (this.text != null) {
					Set<String> added = new HashSet<>();
					for (String value : this.pending) {
						if (added.add(value.strip())) {
							this.text.add(value);
						}
					}
				}
				this.failed = false;
			}
			this.pending.clear();
		}

		/** A string that is text (else skipped): a plain content, a text or thinking. */
		void text(JsonParser p, JsonToken value) throws IOException {
			this.failed = true;
			EntryFactReader.text(p, value, this.text);
			this.failed = false;
		}

		/** Text the ingest's parser has already read (an API error notice's). */
		void text(String value) {
			this.failed = true;
			if (this.text != null && value != null) {
				this.text.add(value);
			}
			this.failed = false;
		}

		/** A block's field the ingest's parser does not read. */
		void blockField(JsonParser p, String field, JsonToken value) throws IOException {
			this.failed = true;
			switch (field) {
				case "id", "name", "tool_use_id" -> blockString(field, LogEntryParser.stringOrNull(p, value));
				case "text", "thinking" -> EntryFactReader.text(p, value, this.text);
				case "input" -> json(p, value, this.text);
				case "content" -> resultText(p, value, this.text);
				default -> p.skipChildren();
			}
			this.failed = false;
		}

		/** A block's end, with its {@code type} and {@code is_error} as read. */
		void endBlock(String type, boolean error) {
			if ("tool_use".equals(type) && this.id != null) {
				this.tools.add(new ToolBlock(true, this.id, this.name, false));
				if (this.text != null && this.name != null) {
					this.text.add(this.name);
				}
			}
			else if ("tool_result".equals(type) && this.toolUseId != null) {
				this.tools.add(new ToolBlock(false, this.toolUseId, null, error));
			}
			this.id = null;
			this.name = null;
			this.toolUseId = null;
		}

		/**
		 * Whether the collector's own work threw (where the ingest's parser would only
		 * have skipped): a line that did not parse is then parsed again without it.
		 */
		boolean failed() {
			return this.failed;
		}

		Content content() {
			return new Content(this.uuid, (this.hasContent && this.text != null) ? this.text.bytes() : null,
					this.tools);
		}

	}

	private static void text(JsonParser p, JsonToken v, Text text) throws IOException {
		if (text != null && v == JsonToken.VALUE_STRING) {
			text.add(p);
		}
		else {
			p.skipChildren();
		}
	}

	private static void resultText(JsonParser p, JsonToken v, Text text) throws IOException {
		if (text == null || v != JsonToken.START_ARRAY) {
			text(p, v, text);
			return;
		}
		JsonToken t;
		while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
			if (t == JsonToken.VALUE_STRING) {
				text.add(p);
			}
			else if (t == JsonToken.START_OBJECT) {
				while (p.nextToken() == JsonToken.FIELD_NAME) {
					String field = p.currentName();
					JsonToken fv = p.nextToken();
					if ("text".equals(field)) {
						text(p, fv, text);
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

	private static void json(JsonParser p, JsonToken v, Text text) throws IOException {
		if (text == null || text.full() || (v != JsonToken.START_OBJECT && v != JsonToken.START_ARRAY)) {
			p.skipChildren();
			return;
		}
		text.separate();
		Writer out = text.writer();
		try (out; JsonGenerator g = LogEntryParser.FACTORY.createGenerator(out)) {
			g.copyCurrentStructure(p);
		}
	}

	/**
	 * The searchable text of a line, kept up to the cap as UTF-8 bytes: strings are
	 * decoded from the line's bytes ({@link Utf8Text}), never built as Java strings.
	 */
	private static final class Text {

		private static final int LIMIT = TEXT_MAX + TEXT_MARGIN;

		private final Utf8Text utf8 = new Utf8Text(LIMIT);

		private final byte[] buf;

		private final int off;

		private final int end;

		/** The line's bytes, {@code buf[off, off + len)}, the parser reads. */
		Text(byte[] buf, int off, int len) {
			this.buf = buf;
			this.off = off;
			this.end = off + len;
		}

		boolean full() {
			return this.utf8.full();
		}

		void separate() {
			this.utf8.separate();
		}

		/** Forgets the text gathered. */
		void clear() {
			this.utf8.clear();
		}

		/**
		 * Appends the string whose opening quote is at {@code buf[quote]}, as
		 * {@link #add} appends it when Jackson's parser stands on it.
		 * @return as {@link Collector#textAt} (on -1 the text holds a separator more)
		 */
		int addAt(int quote) {
			if (full()) {
				return 0;
			}
			// an empty string adds nothing, not even a separator
			if (quote + 1 < this.end && this.buf[quote + 1] == '"') {
				return quote + 2;
			}
			separate();
			if (!this.utf8.addJsonString(this.buf, quote, this.end)) {
				return -1;
			}
			return Math.max(0, this.utf8.stringEnd());
		}

		/**
		 * Appends the parser's current string, decoded from the line's bytes; one that is
		 * not well-formed is left to the parser (which fails on it as before).
		 */
		void add(JsonParser p) throws IOException {
			if (full()) {
				return;
			}
			int quote = this.off + (int) p.currentTokenLocation().getByteOffset();
			if (quote < this.off || quote >= this.end || this.buf[quote] != '"') {
				throw new IOException("string token not at a quote");
			}
			if (addAt(quote) < 0) {
				int length = p.getTextLength();
				if (length > 0) {
					this.utf8.addChars(p.getTextCharacters(), p.getTextOffset(), length);
				}
			}
		}

		void add(String s) {
			if (full() || s.isEmpty()) {
				return;
			}
			separate();
			this.utf8.add(s);
		}

		/**
		 * A writer of chars into the text. A surrogate pair split between two writes
		 * (Jackson writes a long key in pieces) is joined again: a high surrogate a write
		 * ends with waits for the next write, or for {@code close}.
		 */
		Writer writer() {
			return new Writer() {
				private char high;

				@Override
				public void write(char[] cbuf, int off, int len) {
					int start = off;
					int end = off + len;
					if (this.high != 0 && start < end) {
						boolean pair = Character.isLowSurrogate(cbuf[start]);
						Text.this.utf8.addChars(pair ? new char[] { this.high, cbuf[start] } : new char[] { this.high },
								0, pair ? 2 : 1);
						this.high = 0;
						start += pair ? 1 : 0;
					}
					if (start < end && Character.isHighSurrogate(cbuf[end - 1])) {
						this.high = cbuf[end - 1];
						end--;
					}
					Text.this.utf8.addChars(cbuf, start, end - start);
				}

				@Override
				public void flush() {
				}

				@Override
				public void close() {
					if (this.high != 0) {
						Text.this.utf8.addChars(new char[] { this.high }, 0, 1);
						this.high = 0;
					}
				}
			};
		}

		byte[] bytes() {
			return this.utf8.toBytes();
		}

	}

}
