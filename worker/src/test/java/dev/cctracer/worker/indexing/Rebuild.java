package dev.cctracer.worker.indexing;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import dev.cctracer.shared.log.JsonlReader;
import dev.cctracer.shared.log.Usage;
import dev.cctracer.shared.pricing.PriceTable;
import dev.cctracer.shared.usage.ChunkParser;
import dev.cctracer.shared.usage.ChunkResult;
import dev.cctracer.shared.usage.Dedup;
import dev.cctracer.shared.usage.DedupCandidate;
import dev.cctracer.shared.usage.UsageCopy;

/**
 * The oracle of the ingest tests: every file read from scratch in one pass, the dedup
 * rule applied once over all copies; per relative path: messages, tokens, calculated cost
 * and tool uses.
 */
final class Rebuild {

	/** The prefix of a deleted file's key (its messages and tokens are returned). */
	static final String DELETED = "deleted:";

	private Rebuild() {
	}

	/**
	 * @param toolUses {@code tool_use} blocks counted: those of the file's counted
	 * responses and of its lines without usage
	 * @param copiedToolUses {@code tool_use} blocks of all the file's usage lines,
	 * counted or not (what its stored copies hold together)
	 */
	record FileTotals(long messages, Usage usage, long costPico, long toolUses, long copiedToolUses) {

	}

	static Map<String, FileTotals> of(Path projects) throws IOException {
		return of(projects, PriceTable.bundled());
	}

	static Map<String, FileTotals> of(Path projects, PriceTable prices) throws IOException {
		return of(projects, prices, Map.of());
	}

	/**
	 * @param deleted files gone from disk whose history the index keeps: by their full
	 * path (their path order), the bytes it had read of them; their copies take part in
	 * the dedup rule (losing its ties to files on disk), their totals are returned under
	 * {@link #DELETED} and their path below {@code projects}
	 */
	static Map<String, FileTotals> of(Path projects, PriceTable prices, Map<String, byte[]> deleted)
			throws IOException {
		ChunkParser parser = new ChunkParser();
		List<Candidate> copies = new ArrayList<>();
		Map<String, FileTotals> totals = new TreeMap<>();
		for (Map.Entry<String, byte[]> gone : deleted.entrySet()) {
			totals.put(DELETED + projects.relativize(Path.of(gone.getKey())), new FileTotals(0, Usage.ZERO, 0, 0, 0));
			Path bytes = Files.createTempFile("deleted", ".jsonl");
			try {
				Files.write(bytes, gone.getValue());
				try (FileChannel ch = FileChannel.open(bytes, StandardOpenOption.READ)) {
					for (UsageCopy c : parser.parse(ch, 0, ch.size(), gone.getKey()).copies()) {
						copies.add(new Candidate(c, true));
					}
				}
			}
			finally {
				Files.delete(bytes);
			}
		}
		List<Path> files;
		try (Stream<Path> walk = Files.walk(projects)) {
			files = walk.filter((p) -> p.toString().endsWith(".jsonl")).sorted().toList();
		}
		for (Path file : files) {
			try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
				long end = JsonlReader.completeEnd(ch, 0, ch.size());
				ChunkResult r = parser.parse(ch, 0, end, file.toString());
				r.copies().forEach((c) -> copies.add(new Candidate(c, false)));
				totals.put(projects.relativize(file).toString(), new FileTotals(0, Usage.ZERO, 0,
						r.counters().toolUses(), r.copies().stream().mapToLong(UsageCopy::toolUses).sum()));
			}
		}
		for (Candidate c : Dedup.winners(copies)) {
			UsageCopy w = c.copy();
			String rel = (c.deleted() ? DELETED : "") + projects.relativize(Path.of(w.pathOrder()));
			FileTotals t = totals.get(rel);
			long cost = prices.cost(w.model(), w.timestamp(), w.usage()).total();
			totals.put(rel, new FileTotals(t.messages() + 1, t.usage().plus(w.usage()), t.costPico() + cost,
					t.toolUses() + w.toolUses(), t.copiedToolUses()));
		}
		return totals;
	}

	/** A copy read, with whether its file is deleted. */
	private record Candidate(UsageCopy copy, boolean deleted) implements DedupCandidate {

		@Override
		public String messageId() {
			return this.copy.messageId();
		}

		@Override
		public String requestId() {
			return this.copy.requestId();
		}

		@Override
		public boolean sidechain() {
			return this.copy.sidechain();
		}

		@Override
		public long totalTokens() {
			return this.copy.totalTokens();
		}

		@Override
		public boolean forked() {
			return this.copy.forked();
		}

		@Override
		public String pathOrder() {
			return this.copy.pathOrder();
		}

		@Override
		public long lineOffset() {
			return this.copy.lineOffset();
		}

	}

}
