package dev.cctracer.shared.log;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Reads the entry-level facts of a byte range of a transcript with the ingest's own
 * framing and parser: each line's {@link LogEntry} exactly as the ingest gets it
 * ({@link JsonlReader#read}), plus what analytics need of its content, read by a second,
 * streaming pass over the same bytes: the line's {@code uuid}, its {@code tool_use} and
 * {@code tool_result} blocks, and its searchable text.
 * <p>
 * The text is the message content's text, thinking, tool inputs (as compact JSON) and
 * tool-result text, joined by newlines and cut after {@value #TEXT_MAX} characters (plus
 * a margin, so a caller can redact before cutting). It is read only from lines the reader
 * holds in its buffer (1 MiB by default); a longer line (up to the ingest's cap) gives
 * its tool blocks but no text, so no line is ever held whole in memory. Lines over the
 * cap, blank lines and lines that are not one JSON object are reported as skipped, as the
 * ingest skips them.
 */
public final class EntryFactReader {

	/** Characters of searchable text kept per line. */
	public static final int TEXT_MAX = 64 * 1024;

	/** Characters read past {@link #TEXT_MAX}, so a secret cut at the edge is whole. */
	public static final int TEXT_MARGIN = 1024;

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
	 * @param text the searchable text (unredacted, at most {@link #TEXT_MAX} +
	 * {@link #TEXT_MARGIN} characters), or {@code null} when the line has no
	 * {@code message.content} or was too long to read text from
	 * @param tools its tool blocks, in order
	 */
	public record Content(String uuid, String text, List<ToolBlock> tools) {

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
				LogEntry entry = LogEntryParser.parse(buf, off, len);
				if (entry == null) {
					handler.skipped(offset, len);
					return;
				}
				Content content;
				try (JsonParser p = LogEntryParser.FACTORY.createParser(buf, off, len)) {
					content = content(p, true);
				}
				catch (IOException | RuntimeException ex) {
					content = Content.NONE;
				}
				handler.entry(offset, entry, content);
			}

			@Override
			public void streamed(long offset, long length, InputStream in) {
				LogEntry entry = LogEntryParser.parse(in);
				if (entry == null) {
					handler.skipped(offset, length);
					return;
				}
				Content content;
				try (InputStream again = new ChannelRangeInputStream(channel, offset, length);
						JsonParser p = LogEntryParser.FACTORY.createParser(again)) {
					content = content(p, false);
				}
				catch (IOException | RuntimeException ex) {
					content = Content.NONE;
				}
				handler.entry(offset, entry, content);
			}

			@Override
			public void overlong(long offset, long length) {
				handler.skipped(offset, length);
			}
		});
	}

	/**
	 * The content facts of one JSON object; with {@code withText} false no string is
	 * materialised but ids, names and error flags (short by nature).
	 */
	static Content content(JsonParser p, boolean withText) throws IOException {
		if (p.nextToken() != JsonToken.START_OBJECT) {
			return Content.NONE;
		}
		String uuid = null;
		Text text = withText ? new Text() : null;
		boolean hasContent = false;
		List<ToolBlock> tools = new ArrayList<>(0);
		while (p.nextToken() == JsonToken.FIELD_NAME) {
			String field = p.currentName();
			JsonToken value = p.nextToken();
			if ("uuid".equals(field) && value == JsonToken.VALUE_STRING) {
				uuid = p.getText();
			}
			else if ("message".equals(field) && value == JsonToken.START_OBJECT) {
				while (p.nextToken() == JsonToken.FIELD_NAME) {
					String name = p.currentName();
					JsonToken v = p.nextToken();
					if ("content".equals(name)) {
						hasContent = true;
						blocks(p, v, text, tools);
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
		return new Content(uuid, (hasContent && text != null) ? text.toString() : null, tools);
	}

	private static void blocks(JsonParser p, JsonToken value, Text text, List<ToolBlock> tools) throws IOException {
		if (value != JsonToken.START_ARRAY) {
			text(p, value, text);
			return;
		}
		JsonToken t;
		while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
			if (t != JsonToken.START_OBJECT) {
				p.skipChildren();
				continue;
			}
			String type = null;
			String id = null;
			String name = null;
			String toolUseId = null;
			boolean error = false;
			while (p.nextToken() == JsonToken.FIELD_NAME) {
				String field = p.currentName();
				JsonToken v = p.nextToken();
				switch (field) {
					case "type" -> type = (v == JsonToken.VALUE_STRING) ? p.getText() : null;
					case "id" -> id = (v == JsonToken.VALUE_STRING) ? p.getText() : null;
					case "name" -> name = (v == JsonToken.VALUE_STRING) ? p.getText() : null;
					case "tool_use_id" -> toolUseId = (v == JsonToken.VALUE_STRING) ? p.getText() : null;
					case "is_error" -> error = v == JsonToken.VALUE_TRUE;
					case "text", "thinking" -> text(p, v, text);
					case "input" -> json(p, v, text);
					case "content" -> resultText(p, v, text);
					default -> p.skipChildren();
				}
			}
			if ("tool_use".equals(type) && id != null) {
				tools.add(new ToolBlock(true, id, name, false));
				if (text != null && name != null) {
					text.add(name);
				}
			}
			else if ("tool_result".equals(type) && toolUseId != null) {
				tools.add(new ToolBlock(false, toolUseId, null, error));
			}
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
		try (JsonGenerator g = LogEntryParser.FACTORY.createGenerator(text.writer())) {
			g.copyCurrentStructure(p);
		}
	}

	/** The searchable text of a line, kept up to the cap. */
	private static final class Text {

		private static final int LIMIT = TEXT_MAX + TEXT_MARGIN;

		private final StringBuilder sb = new StringBuilder();

		boolean full() {
			return this.sb.length() >= LIMIT;
		}

		void separate() {
			if (this.sb.length() > 0 && !full()) {
				this.sb.append('\n');
			}
		}

		/** Appends the parser's current string without copying it into a String first. */
		void add(JsonParser p) throws IOException {
			if (full()) {
				return;
			}
			int length = p.getTextLength();
			if (length == 0) {
				return;
			}
			separate();
			this.sb.append(p.getTextCharacters(), p.getTextOffset(), Math.min(length, LIMIT - this.sb.length()));
		}

		void add(String s) {
			if (full() || s.isEmpty()) {
				return;
			}
			separate();
			this.sb.append(s, 0, Math.min(s.length(), LIMIT - this.sb.length()));
		}

		Writer writer() {
			return new Writer() {
				@Override
				public void write(char[] cbuf, int off, int len) {
					int room = LIMIT - Text.this.sb.length();
					if (room > 0) {
						Text.this.sb.append(cbuf, off, Math.min(len, room));
					}
				}

				@Override
				public void flush() {
				}

				@Override
				public void close() {
				}
			};
		}

		@Override
		public String toString() {
			return this.sb.toString();
		}

	}

}
