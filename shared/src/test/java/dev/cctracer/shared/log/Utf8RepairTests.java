package dev.cctracer.shared.log;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cctracer.shared.transcript.MessageItem;
import dev.cctracer.shared.transcript.TranscriptIndex;
import dev.cctracer.shared.transcript.TranscriptText;
import dev.cctracer.shared.usage.ChunkParser;
import dev.cctracer.shared.usage.ChunkResult;
import dev.cctracer.shared.usage.UsageCopy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A line with bytes that are not UTF-8 inside a string (a tool result cut mid-character,
 * a stray Latin-1 byte) is one JSON object all the same, as Node — Claude Code's and
 * ccusage's runtime — reads it: every reader takes it with U+FFFD in their place, a
 * buffered line and one longer than the buffer alike; a line that is not JSON stays
 * invalid.
 */
class Utf8RepairTests {

	@TempDir
	Path tmp;

	/** 0xE9 (Latin-1 é) alone, and a 3-byte sequence cut after its first byte. */
	private static final byte[] NOT_UTF8 = { (byte) 0xE9, ' ', (byte) 0xE2, (byte) 0x82 };

	@Test
	void everyReaderTakesALineWithBytesThatAreNotUtf8() throws IOException {
		Path file = this.tmp.resolve("s.jsonl");
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(line("m1", 7, ""));
		out.writeBytes(line("m2", 9, "x".repeat(6000)));
		out.writeBytes("{\"type\":\"user\",\"message\":{\"content\":\"caf\u00e9\"".getBytes(StandardCharsets.UTF_8));
		out.writeBytes(NOT_UTF8);
		out.writeBytes("\n".getBytes(StandardCharsets.UTF_8));
		Files.write(file, out.toByteArray());
		try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
			// a 4 KiB buffer: the second line is streamed, the first held whole
			JsonlReader reader = new JsonlReader(4096, 1 << 20);
			ChunkResult chunk = new ChunkParser(reader).parse(ch, 0, ch.size(), file.toString());
			assertThat(chunk.copies()).extracting(UsageCopy::messageId).containsExactly("m1", "m2");
			assertThat(chunk.copies()).extracting((c) -> c.usage().output()).containsExactly(7L, 9L);
			assertThat(chunk.counters().invalidLines()).isEqualTo(1);
			// the facts: both entries, the buffered one's text with U+FFFD
			List<LogEntry> entries = new ArrayList<>();
			List<String> texts = new ArrayList<>();
			new EntryFactReader(reader).read(ch, 0, ch.size(), (offset, entry, content) -> {
				entries.add(entry);
				texts.add((content.text() != null) ? new String(content.text(), StandardCharsets.UTF_8) : null);
			});
			assertThat(entries).extracting(LogEntry::messageId).containsExactly("m1", "m2");
			assertThat(texts.get(0)).contains("out: \uFFFD \uFFFD end");
			// the timeline: both responses, their text readable
			TranscriptIndex index = new TranscriptIndex(0, true);
			index.extend(ch, ch.size(), reader);
			assertThat(index.invalidLines()).isEqualTo(1);
			List<MessageItem> items = index.from(0);
			assertThat(items).hasSize(2);
			assertThat(TranscriptText.read(ch, items.get(0)).text()).contains("\uFFFD \uFFFD end");
			assertThat(TranscriptText.read(ch, items.get(1)).text()).contains("\uFFFD \uFFFD end");
		}
	}

	@Test
	void wellFormedTextIsLeftAsItIs() {
		byte[] text = "caf\u00e9 \u20ac \uD83D\uDE00".getBytes(StandardCharsets.UTF_8);
		assertThat(Utf8Repair.wellFormed(text, 0, text.length)).isNull();
		assertThat(Utf8Repair.wellFormed(NOT_UTF8, 0, NOT_UTF8.length))
			.isEqualTo("\uFFFD \uFFFD".getBytes(StandardCharsets.UTF_8));
	}

	/** An assistant line with usage whose text holds {@link #NOT_UTF8}. */
	private static byte[] line(String id, long output, String padding) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(("{\"type\":\"assistant\",\"uuid\":\"u-" + id
				+ "\",\"timestamp\":\"2026-11-03T08:00:00Z\",\"requestId\":\"r\",\"message\":{\"id\":\"" + id
				+ "\",\"model\":\"claude-opus-4-6\",\"content\":[{\"type\":\"text\",\"text\":\"" + padding + "out: ")
			.getBytes(StandardCharsets.UTF_8));
		out.writeBytes(NOT_UTF8);
		out.writeBytes((" end\"}],\"usage\":{\"input_tokens\":1,\"output_tokens\":" + output + "}}}\n")
			.getBytes(StandardCharsets.UTF_8));
		return out.toByteArray();
	}

}
