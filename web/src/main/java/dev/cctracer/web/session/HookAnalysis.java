package dev.cctracer.web.session;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

import dev.cctracer.shared.transcript.HookLine;
import dev.cctracer.shared.transcript.HookRuns;
import dev.cctracer.web.session.AnalysisDtos.HookDto;
import dev.cctracer.web.session.AnalysisDtos.HooksDto;
import dev.cctracer.web.usage.IndexedFiles.FileRef;

/**
 * The hooks a session ran (its main transcript and its subagents'), read from the
 * transcripts' hook lines ({@link HookLine}) and grouped into runs per event and command
 * ({@link HookRuns}): how often each ran, failed and blocked, its exit codes, time and
 * last error. Commands and messages are redacted and cut.
 */
@Component
class HookAnalysis {

	/** Characters kept of a command. */
	static final int COMMAND_CHARS = 500;

	/** Characters kept of an error message. */
	static final int MESSAGE_CHARS = 300;

	private final TranscriptCache cache;

	HookAnalysis(TranscriptCache cache) {
		this.cache = cache;
	}

	/**
	 * The hook runs of the transcripts.
	 * @param files the session's transcripts on this disk
	 * @throws UncheckedIOException when a transcript cannot be read
	 */
	HooksDto hooks(List<FileRef> files) {
		HookRuns runs = new HookRuns();
		for (FileRef file : files) {
			this.cache.forEachLine(file, runs.reader(null));
		}
		List<HookDto> hooks = new ArrayList<>();
		long total = 0;
		long failures = 0;
		long blocks = 0;
		for (HookRuns.Row row : runs.rows()) {
			hooks.add(new HookDto(row.event(), HookLine.shown(row.command(), COMMAND_CHARS), row.names(), row.runs(),
					row.failures(), row.blocks(), row.exitCodes(), row.durationMs(), row.timedRuns(),
					HookLine.shown(row.lastError(), MESSAGE_CHARS), DtoFields.iso(row.lastErrorAt())));
			total += row.runs();
			failures += row.failures();
			blocks += row.blocks();
		}
		return new HooksDto(hooks, total, failures, blocks);
	}

}
