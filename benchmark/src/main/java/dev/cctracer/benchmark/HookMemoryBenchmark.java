package dev.cctracer.benchmark;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import dev.cctracer.shared.log.JsonlReader;
import dev.cctracer.shared.transcript.HookRuns;

/**
 * The heap the hook statistics hold ({@code java -jar cctracer-benchmark.jar hooks}): the
 * transcripts of {@code ../shared/realdata} (real hook density: spotter's 2.1.39 logs a
 * {@code hook_progress} line per hook per tool call) read {@value #COPIES} times over,
 * each copy its own sessions, in this process, as the job reads them — folded session by
 * session — and as its first version did, every line kept until the end. Reports the heap
 * held after a collection and the read's time; the app is not started.
 */
final class HookMemoryBenchmark {

	private static final int COPIES = 200;

	private final Report report = new Report();

	/** Runs it over the real transcripts in {@code realData}. */
	void run(Path realData) throws Exception {
		List<Path> files;
		try (Stream<Path> walk = Files.walk(realData)) {
			files = walk.filter((p) -> p.toString().endsWith(".jsonl")).sorted().toList();
		}
		this.report.line("transcripts", String.format(Locale.ROOT, "%d files of %s, read %d times over", files.size(),
				realData.getFileName(), COPIES));
		for (boolean fold : new boolean[] { true, false, true }) {
			measure(files, fold);
		}
		this.report.print();
	}

	private void measure(List<Path> files, boolean fold) throws Exception {
		JsonlReader reader = new JsonlReader(1 << 20, JsonlReader.DEFAULT_MAX_LINE_BYTES);
		long before = usedHeap();
		long started = System.nanoTime();
		long bytes = 0;
		HookRuns runs = new HookRuns();
		for (int copy = 0; copy < COPIES; copy++) {
			for (Path file : files) {
				try (FileChannel channel = FileChannel.open(file)) {
					long end = JsonlReader.completeEnd(channel, 0, channel.size());
					// each file of each copy a session of its own
					HookRuns one = new HookRuns();
					reader.forEachLine(channel, 0, end, one.reader(file.getFileName() + "#" + copy));
					runs.addAll(one);
					bytes += end;
				}
				if (fold) {
					runs.flush();
				}
			}
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		long held = usedHeap() - before;
		List<HookRuns.Row> rows = runs.rows();
		this.report.line(fold ? "folded session by session (the job)" : "every line kept to the end (first version)",
				String.format(Locale.ROOT, "%s held, %d rows, %.2f s for %s (%.0f MB/s)", Report.mb(held), rows.size(),
						seconds, Report.mb(bytes), bytes / 1e6 / seconds));
	}

	private static long usedHeap() {
		Runtime runtime = Runtime.getRuntime();
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return runtime.totalMemory() - runtime.freeMemory();
	}

}
