package dev.cctracer.shared.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.cctracer.shared.RealData;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The byte scanner reads every line it answers for exactly as Jackson's parser does
 * ({@link LogEntryParser#parseWithJackson}, the independent reading), and leaves to
 * Jackson whatever it cannot vouch for: on every line of the real transcripts, on crafted
 * edge cases of JSON and of the fields' rules, and on random mutations of real lines.
 */
class LogEntryScannerTests {

	@Test
	void everyRealLineReadAsJacksonReadsIt() throws IOException {
		List<byte[]> lines = realLines();
		int vouched = 0;
		int withUsage = 0;
		for (byte[] line : lines) {
			if (compare(line)) {
				vouched++;
				withUsage += LogEntryScanner.scan(line, 0, line.length).hasUsage() ? 1 : 0;
			}
		}
		assertThat(lines).hasSizeGreaterThan(5_000);
		// the fast path is the common one: every real line but the few Jackson refuses,
		// with the facts' collector and without
		assertThat(vouched).as("lines the scanner read").isGreaterThan(lines.size() * 99 / 100);
		assertThat(withUsage).as("usage lines the scanner read").isGreaterThan(2_000);
	}

	/** Claude Code's copy of another session's line carries a forkedFrom object. */
	@Test
	void aForkedLineIsMarkedByBothReaders() {
		byte[] fork = ("{\"type\":\"assistant\",\"forkedFrom\":{\"sessionId\":\"s-1\",\"messageUuid\":\"u-1\"},"
				+ "\"message\":{\"id\":\"m1\",\"usage\":{\"output_tokens\":2}}}")
			.getBytes(StandardCharsets.UTF_8);
		byte[] plain = "{\"type\":\"assistant\",\"forkedFrom\":null,\"message\":{\"id\":\"m1\"}}"
			.getBytes(StandardCharsets.UTF_8);
		assertThat(LogEntryScanner.scan(fork, 0, fork.length).forked()).isTrue();
		assertThat(LogEntryParser.parseWithJackson(fork, 0, fork.length, null).forked()).isTrue();
		assertThat(LogEntryScanner.scan(plain, 0, plain.length).forked()).isFalse();
		assertThat(LogEntryParser.parseWithJackson(plain, 0, plain.length, null).forked()).isFalse();
	}

	@Test
	void craftedLinesReadAsJacksonReadsThem() {
		String usage = "\"usage\":{\"input_tokens\":%s,\"output_tokens\":2}";
		String[] lines = {
				// numbers Jackson reads in its own ways
				"{\"type\":\"assistant\",\"costUSD\":-0,\"message\":{" + usage.formatted("-0") + "}}",
				"{\"type\":\"assistant\",\"costUSD\":-0.0,\"message\":{" + usage.formatted("1.9e2") + "}}",
				"{\"costUSD\":1e400,\"message\":{" + usage.formatted("1E+400") + "}}",
				"{\"message\":{" + usage.formatted("123456789012345678") + "}}",
				"{\"message\":{" + usage.formatted("1234567890123456789") + "}}",
				"{\"message\":{" + usage.formatted("99999999999999999999") + "}}",
				// counts and costs no response has: the line is invalid
				"{\"message\":{" + usage.formatted("1000000000") + "}}",
				"{\"message\":{" + usage.formatted("1000000001") + "}}",
				"{\"message\":{" + usage.formatted("1e30") + "}}",
				"{\"message\":{" + usage.formatted("1.000000001e9") + "}}",
				"{\"costUSD\":2e6,\"message\":{" + usage.formatted("1") + "}}",
				"{\"costUSD\":-1,\"message\":{" + usage.formatted("1") + "}}",
				"{\"costUSD\":1000000,\"message\":{" + usage.formatted("1") + "}}",
				"{\"message\":{" + usage.formatted("-12") + "}}", "{\"message\":{" + usage.formatted("012") + "}}",
				"{\"message\":{" + usage.formatted("1.") + "}}", "{\"message\":{" + usage.formatted(".5") + "}}",
				"{\"message\":{" + usage.formatted("+1") + "}}",
				"{\"message\":{" + usage.formatted("1" + "0".repeat(1200) + ".5") + "}}",
				"{\"message\":{" + usage.formatted("\"12\"") + "}}",
				"{\"message\":{" + usage.formatted("{\"a\":[1,2]}") + "}}",
				// structured values where the field's rule reads on inside them
				"{\"costUSD\":{\"type\":\"user\"},\"type\":\"assistant\"}",
				"{\"isSidechain\":[true],\"type\":\"assistant\"}", "{\"isApiErrorMessage\":{},\"type\":\"assistant\"}",
				"{\"message\":{\"content\":[{\"type\":\"tool_result\",\"is_error\":{\"x\":1}}]}}",
				"{\"isSidechain\":\"true\",\"isApiErrorMessage\":null,\"costUSD\":\"1.5\"}",
				// a fork's copy (forkedFrom: an object, else no mark)
				"{\"type\":\"assistant\",\"forkedFrom\":{\"sessionId\":\"s-1\",\"messageUuid\":\"u-1\"},\"message\":{"
						+ usage.formatted("3") + "}}",
				"{\"forkedFrom\":null,\"type\":\"user\"}", "{\"forkedFrom\":\"s-1\",\"type\":\"user\"}",
				"{\"forkedFrom\":[{}],\"type\":\"user\"}",
				// strings: escapes, non-ASCII, surrogates, controls
				"{\"type\":\"user\",\"cwd\":\"C:\\\\Users\\\\dev\\\\proj\",\"sessionId\":\"a\\/b\\\"c\\u00e9\\n\"}",
				"{\"cwd\":\"/home/ü/项目/😀\",\"agentId\":\"\\ud83d\\ude00\\ud83d\"}",
				"{\"cwd\":\"\\uDC00 lone\",\"type\":\"\\u0075ser\"}", "{\"cwd\":\"tab\there\"}",
				"{\"cwd\":\"bad \\x escape\"}", "{\"cwd\":\"short \\u12\"}", "{\"cwd\":\"overlong \u00c0\u0080\"}",
				// raw bytes that are not well-formed UTF-8 are written below as Latin-1
				// keys: escaped, long, duplicated
				"{\"ty\\u0070e\":\"assistant\"}", "{\"" + "k".repeat(60_000) + "\":1,\"type\":\"user\"}",
				"{\"type\":\"user\",\"type\":\"assistant\",\"message\":{\"id\":\"a\"},\"message\":7}",
				"{\"message\":{\"usage\":{\"input_tokens\":1},\"usage\":[2]}}",
				// the fields' shapes
				"{\"message\":{\"model\":\"<synthetic>\",\"content\":[{\"type\":\"text\",\"text\":\"" + "e".repeat(700)
						+ "\"},{\"type\":\"text\",\"text\":\"second\"}]}}",
				"{\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"x\"}],\"model\":\"<synthetic>\"}}",
				"{\"message\":{\"content\":[1,\"a\",null,[],{\"type\":\"tool_use\"},{\"type\":\"tool_result\",\"is_error\":true},{}]}}",
				"{\"message\":{\"content\":\"plain text\"}}",
				"{\"message\":{\"usage\":{\"cache_creation_input_tokens\":9,\"cache_creation\":{\"ephemeral_1h_input_tokens\":4}}}}",
				"{\"message\":{\"usage\":{\"speed\":\"fast\",\"inference_geo\":\"us\",\"server_tool_use\":{\"web_search_requests\":3}}}}",
				"{\"message\":{\"usage\":{\"server_tool_use\":[1],\"cache_creation\":5}}}",
				"{\"aiTitle\":\"" + "t".repeat(600) + "\",\"error\":\"rate_limit\"}",
				// the facts' content
				"{\"uuid\":\"u-1\",\"message\":{\"content\":[{\"type\":\"thinking\",\"thinking\":\"hm\\n\"},{\"type\":\"text\",\"text\":\"\"},"
						+ "{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"Bash\",\"input\":{\"command\":\"ls \\u00e9\",\"n\":1.0e10,\"m\":-0,\"a\":[true,null,{}]}}]}}",
				"{\"uuid\":7,\"message\":{\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t1\",\"is_error\":true,"
						+ "\"content\":[\"one\",{\"type\":\"text\",\"text\":\"two\"},{\"text\":3},4,[\"x\"]]},"
						+ "{\"type\":\"tool_result\",\"tool_use_id\":\"t2\",\"content\":\"plain 😀\"},{\"type\":\"tool_use\",\"input\":\"s\"}]}}",
				"{\"message\":{\"content\":\"a prompt\"},\"uuid\":\"u-2\"}", "{\"message\":{\"content\":null}}",
				"{\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"" + "w ".repeat(34_000)
						+ "\"},{\"type\":\"text\",\"text\":\"after the cap\"},"
						+ "{\"type\":\"tool_use\",\"id\":\"t3\",\"name\":\"Read\",\"input\":{\"file\":\"x\"}}]}}",
				"{\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"" + "😀".repeat(33_000) + "\"}]}}",
				"{\"message\":{\"content\":[{\"type\":\"tool_use\",\"id\":\"t4\",\"input\":{\"d\":" + "[".repeat(40)
						+ "]".repeat(40) + "}}]}}",
				// the texts of system, summary and hook lines
				"{\"type\":\"system\",\"subtype\":\"stop_hook_summary\",\"hookCount\":2,\"hookInfos\":[{\"command\":\"notify-send done\",\"durationMs\":12},"
						+ "{\"command\":7},\"x\",{}],\"hookErrors\":[\"exit 1: boom\",3,[\"y\"],\"\"],\"stopReason\":\"\",\"content\":null}",
				"{\"type\":\"system\",\"content\":\"Conversation compacted \\u00e9\",\"hookErrors\":\"s\",\"hookInfos\":{\"command\":\"c\"}}",
				"{\"type\":\"summary\",\"summary\":\"Fix the build\",\"stopReason\":[\"z\"]}",
				"{\"type\":\"attachment\",\"attachment\":{\"type\":\"hook_non_blocking_error\",\"hookEvent\":\"PreToolUse\",\"stderr\":\"lint.sh: not found\","
						+ "\"stdout\":\"\",\"command\":\"lint.sh\",\"content\":{\"a\":1},\"exitCode\":127}}",
				"{\"attachment\":{\"stderr\":\"before\",\"command\":\"b \\\"q\\\"\",\"type\":\"hook_blocking_error\",\"stdout\":\"after\","
						+ "\"blockingError\":{\"blockingError\":\"Blocked: rm\",\"command\":\"guard.sh\",\"x\":\"no\"},\"hookEvent\":\"PreToolUse\"},\"type\":\"attachment\"}",
				"{\"attachment\":{\"blockingError\":\"said\",\"hookEvent\":\"PostToolUse\",\"type\":\"file\",\"type\":\"hook_cancelled\"}}",
				"{\"attachment\":{\"blockingError\":\"said\",\"hookEvent\":\"Stop\",\"type\":\"hook_cancelled\"}}",
				"{\"attachment\":{\"stderr\":\"e\",\"hookEvent\":[\"PreToolUse\"],\"type\":\"hook_cancelled\"}}",
				"{\"attachment\":{\"type\":\"hook_blocking_error\",\"hookEvent\":\"PreToolUse\",\"stderr\":\"same\",\"content\":\" same\","
						+ "\"blockingError\":{\"blockingError\":\"same\\n\",\"command\":\"same.sh\"},\"command\":\"same.sh\"}}",
				"{\"attachment\":{\"content\":\"a skill listing\",\"type\":\"skill_listing\",\"stderr\":\"no\"}}",
				"{\"attachment\":{\"stderr\":\"no type\",\"hookEvent\":\"PreToolUse\"}}",
				"{\"attachment\":{\"type\":7,\"stderr\":\"no\",\"hookEvent\":\"PreToolUse\"}}",
				"{\"attachment\":[\"hook_x\"],\"content\":\"top\"}", "{\"attachment\":\"hook_success\"}",
				"{\"timestamp\":\"2026-11-30T10:00:00.123Z\"}", "{\"timestamp\":\"2026-11-30T10:00:00\"}",
				"{\"timestamp\":12}",
				// documents that are not one object
				"", "   ", "[]", "{}", " {\"type\":\"user\"} ", "{\"type\":\"user\"}\r", "{\"type\":\"user\"} x",
				"{\"type\":\"user\"}{}", "{\"type\":\"user\",}", "{\"type\":\"user\"", "{\"type\":\"us",
				"{\"type\" \"user\"}", "{'type':'user'}", "{\"a\":tru}", "{\"a\":truex}", "{\"a\":nul}", "{\"a\":[1,]}",
				"{\"a\":[1 2]}", "{\"a\":\u000b1}", "\ufeff{\"type\":\"user\"}",
				"{\"a\":" + "[".repeat(70) + "]".repeat(70) + ",\"type\":\"user\"}",
				"{\"a\":" + "{\"b\":".repeat(70) + "1" + "}".repeat(70) + "}" };
		int vouched = 0;
		for (String text : lines) {
			vouched += compare(text.getBytes(StandardCharsets.UTF_8)) ? 1 : 0;
		}
		// bytes that are not well-formed UTF-8
		byte[][] raw = { latin1("{\"cwd\":\"\u00c0\u0080\"}"), latin1("{\"cwd\":\"\u00ed\u00a0\u0080\"}"),
				latin1("{\"cwd\":\"\u00f5\u0080\u0080\u0080\"}"), latin1("{\"cwd\":\"\u00e9\"}"),
				latin1("{\"cwd\":\"\u00f0\u009f\u0098\"}"), latin1("{\"cwd\":\"\u0080\"}"),
				latin1("{\"type\":\"user\"}\u0000") };
		for (byte[] line : raw) {
			vouched += compare(line) ? 1 : 0;
		}
		assertThat(vouched).as("crafted lines the scanner read").isGreaterThan(25);
	}

	@Test
	void mutatedRealLinesReadAsJacksonReadsThemOrLeftToIt() throws IOException {
		List<byte[]> lines = realLines();
		Random random = new Random(2026_12_04L);
		byte[] inserts = latin1("\"\\{}[],:0-.eE+tfnu \t\r\u0000\u001f\u007f\u0080\u00c3\u00ed\u00f4\u00ff9a/");
		int vouched = 0;
		int refusedByJackson = 0;
		for (int round = 0; round < 40_000; round++) {
			byte[] line = lines.get(random.nextInt(lines.size()));
			if (line.length > 3000) {
				line = Arrays.copyOf(line, 1 + random.nextInt(3000));
			}
			byte[] mutated = line;
			int mutations = 1 + random.nextInt(3);
			for (int m = 0; m < mutations && mutated.length > 0; m++) {
				int at = random.nextInt(mutated.length);
				mutated = switch (random.nextInt(3)) {
					case 0 -> splice(mutated, at, 1, new byte[0]);
					case 1 -> splice(mutated, at, 0, new byte[] { inserts[random.nextInt(inserts.length)] });
					default -> splice(mutated, at, 1, new byte[] { inserts[random.nextInt(inserts.length)] });
				};
			}
			if (compare(mutated)) {
				vouched++;
			}
			else if (LogEntryParser.parseWithJackson(mutated, 0, mutated.length, null) == null) {
				refusedByJackson++;
			}
		}
		// both sides of the scanner's answer were exercised
		assertThat(vouched).isGreaterThan(3_000);
		assertThat(refusedByJackson).isGreaterThan(10_000);
	}

	/**
	 * Holds the scanner to Jackson on one line: equal when it answers.
	 * @return whether the scanner answered
	 */
	private static boolean compare(byte[] line) {
		// a window inside a larger buffer, as the reader hands lines over
		byte[] buf = new byte[line.length + 16];
		Arrays.fill(buf, (byte) '"');
		System.arraycopy(line, 0, buf, 8, line.length);
		String as = new String(line, StandardCharsets.ISO_8859_1);
		LogEntry scanned = LogEntryScanner.scan(buf, 8, line.length);
		LogEntry jackson = LogEntryParser.parseWithJackson(buf, 8, line.length, null);
		if (scanned != null) {
			assertThat(scanned).as(as).isEqualTo(jackson);
		}
		// with the facts' collector: the same entry and the same content
		EntryFactReader.Collector byScanner = new EntryFactReader.Collector(buf, 8, line.length);
		LogEntry scannedFacts = LogEntryScanner.scan(buf, 8, line.length, byScanner);
		if (scannedFacts != null) {
			EntryFactReader.Collector byJackson = new EntryFactReader.Collector(buf, 8, line.length);
			assertThat(scannedFacts).as(as).isEqualTo(LogEntryParser.parseWithJackson(buf, 8, line.length, byJackson));
			EntryFactReader.Content mine = byScanner.content();
			EntryFactReader.Content theirs = byJackson.content();
			assertThat(mine.uuid()).as(as).isEqualTo(theirs.uuid());
			assertThat(mine.tools()).as(as).isEqualTo(theirs.tools());
			assertThat(mine.text()).as(as).isEqualTo(theirs.text());
		}
		// the facts' own path (the scanner, then Jackson on a fresh start when it refuses
		// a line it had begun to gather): the content Jackson gathers alone
		EntryFactReader.Collector viaParse = new EntryFactReader.Collector(buf, 8, line.length);
		EntryFactReader.Collector alone = new EntryFactReader.Collector(buf, 8, line.length);
		if (LogEntryParser.parse(buf, 8, line.length, viaParse) != null
				&& LogEntryParser.parseWithJackson(buf, 8, line.length, alone) != null) {
			assertThat(viaParse.content().uuid()).as(as).isEqualTo(alone.content().uuid());
			assertThat(viaParse.content().tools()).as(as).isEqualTo(alone.content().tools());
			assertThat(viaParse.content().text()).as(as).isEqualTo(alone.content().text());
		}
		return scanned != null && scannedFacts != null;
	}

	private static byte[] splice(byte[] src, int at, int remove, byte[] insert) {
		byte[] out = new byte[src.length - remove + insert.length];
		System.arraycopy(src, 0, out, 0, at);
		System.arraycopy(insert, 0, out, at, insert.length);
		System.arraycopy(src, at + remove, out, at + insert.length, src.length - at - remove);
		return out;
	}

	private static byte[] latin1(String s) {
		return s.getBytes(StandardCharsets.ISO_8859_1);
	}

	/** Every line (without its newline) of every transcript under the real data. */
	private static List<byte[]> realLines() throws IOException {
		List<byte[]> lines = new ArrayList<>();
		try (Stream<Path> files = Files.walk(RealData.dir())) {
			for (Path file : files.filter((p) -> p.toString().endsWith(".jsonl")).sorted().toList()) {
				byte[] all = Files.readAllBytes(file);
				int start = 0;
				for (int i = 0; i <= all.length; i++) {
					if (i == all.length || all[i] == '\n') {
						if (i > start) {
							lines.add(Arrays.copyOfRange(all, start, i));
						}
						start = i + 1;
					}
				}
			}
		}
		return lines;
	}

}
