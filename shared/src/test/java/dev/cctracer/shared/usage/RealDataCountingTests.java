package dev.cctracer.shared.usage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.cctracer.shared.RealData;
import dev.cctracer.shared.log.Usage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Counting pinned on the real transcripts. Every expected number was computed
 * independently with {@code shared/src/test/python/handcheck.py FILE...} (json.loads per
 * line, the DESIGN.md rules written again in 60 lines of Python) and spot-checked by
 * reading the duplicated lines of {@code short.jsonl} by eye: its 5 usage lines are one
 * response (msg_01MKH1cc…) written once per content block.
 */
class RealDataCountingTests {

	@Test
	void shouldKeepOneCopyOfAResponseWrittenOncePerContentBlock() throws IOException {
		Totals t = totals("spotter/short.jsonl");
		assertThat(t.usageLines).isEqualTo(5);
		assertThat(t.messages).isEqualTo(1);
		assertThat(t.usage).isEqualTo(new Usage(3, 13, 0, 13835, 11515, false));
	}

	@Test
	void shouldSplitCacheWritesInto1hAnd5m() throws IOException {
		assertThat(totals("spotter/tool_heavy.jsonl").usage).isEqualTo(new Usage(54, 212, 0, 17696, 88231, false));
		assertThat(totals("spotter/subagent.jsonl").usage).isEqualTo(new Usage(1576, 1586, 0, 25842, 427286, false));
		assertThat(totals("spotter/subagent.jsonl").messages).isEqualTo(12);
	}

	@Test
	void shouldCountAllWritesAs5mWithoutTheSplit() throws IOException {
		Totals t = totals("sniffly/d3ad4cdc-5657-435d-98fa-0035d53e383d.jsonl");
		assertThat(t.usageLines).isEqualTo(73);
		assertThat(t.messages).isEqualTo(62);
		assertThat(t.usage).isEqualTo(new Usage(114, 16769, 174552, 0, 3754072, false));
	}

	@Test
	void shouldKeepTheMaxTokenCopyAcrossAMainSessionAndItsSubagents() throws IOException {
		Totals all = totals("spotter/ae4a77f8-aedd-4bc1-888f-c94edc91af04.jsonl",
				"spotter/ae4a77f8-aedd-4bc1-888f-c94edc91af04/subagents/agent-aac57f5.jsonl",
				"spotter/ae4a77f8-aedd-4bc1-888f-c94edc91af04/subagents/agent-acompact-946d2b.jsonl");
		assertThat(all.usageLines).isEqualTo(408 + 15 + 1);
		assertThat(all.byFile.get(0).messages).isEqualTo(217);
		assertThat(all.byFile.get(0).usage).isEqualTo(new Usage(242, 49467, 237121, 0, 16553628, false));
		assertThat(all.byFile.get(1).messages).isEqualTo(3);
		assertThat(all.byFile.get(1).usage).isEqualTo(new Usage(2408, 7, 18814, 0, 29274, false));
		assertThat(all.byFile.get(2).usage).isEqualTo(new Usage(3, 8, 121689, 0, 17842, false));
	}

	@Test
	void shouldCountInlineSidechainsOfTheOldLayout() throws IOException {
		Totals t = totals("claude-code-viewer/fe5e1c67-53e7-4862-81ae-d0e013e3270b.jsonl");
		assertThat(t.usageLines).isEqualTo(262);
		assertThat(t.messages).isEqualTo(170);
		assertThat(t.usage).isEqualTo(new Usage(818, 51933, 137976, 0, 3647854, false));
	}

	@Test
	void shouldCountAnOrphanSubagent() throws IOException {
		Totals t = totals("spotter/6c2214d7-b87e-4432-8e41-22ba294ea584/subagents/agent-afc096d.jsonl");
		assertThat(t.messages).isEqualTo(18);
		assertThat(t.usage).isEqualTo(new Usage(219, 28, 0, 39438, 457858, false));
	}

	@Test
	void shouldSkipMalformedLinesAndKeepTheRest() throws IOException {
		Totals t = totals("claude-code-log/edge_cases.jsonl");
		assertThat(t.invalid).isEqualTo(3);
		assertThat(t.unknown).isEqualTo(1);
		assertThat(t.messages).isEqualTo(4);
		assertThat(t.usage).isEqualTo(new Usage(488, 435, 0, 0, 0, false));
	}

	@Test
	void shouldNotCountASecondCopyOfAFileTwice() throws IOException {
		// a resumed session copies history into a new file: global dedup counts it once
		Totals twice = totals("spotter/short.jsonl", "spotter/short.jsonl");
		assertThat(twice.messages).isEqualTo(1);
		assertThat(twice.byFile.get(0).messages).isEqualTo(1);
		assertThat(twice.byFile.get(1).messages).isZero();
	}

	private static Totals totals(String... files) throws IOException {
		ChunkParser parser = new ChunkParser();
		List<UsageCopy> copies = new ArrayList<>();
		Totals totals = new Totals();
		for (int i = 0; i < files.length; i++) {
			Path path = RealData.file(files[i]);
			try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
				// the order key gets the index so that the same file given twice is two
				// files
				ChunkResult r = parser.parse(ch, 0, ch.size(), i + ":" + path);
				copies.addAll(r.copies());
				totals.usageLines += r.counters().usageLines();
				totals.invalid += r.counters().invalidLines();
				totals.unknown += r.counters().unknownTypeLines();
			}
			totals.byFile.add(new Totals());
		}
		for (UsageCopy w : Dedup.winners(copies)) {
			int file = Integer.parseInt(w.pathOrder().substring(0, w.pathOrder().indexOf(':')));
			totals.add(w.usage());
			totals.byFile.get(file).add(w.usage());
		}
		return totals;
	}

	static final class Totals {

		Usage usage = Usage.ZERO;

		long messages;

		long usageLines;

		long invalid;

		long unknown;

		final List<Totals> byFile = new ArrayList<>();

		void add(Usage u) {
			this.usage = this.usage.plus(u);
			this.messages++;
		}

	}

}
