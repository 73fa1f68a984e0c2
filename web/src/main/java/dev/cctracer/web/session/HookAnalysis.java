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
import dev.cctracer.web.usage.NotFoundException;

/**
 * The hooks a session ran (its main transcript and its subagents'), read from the
 * transcripts' hook lines ({@link HookLine}) and grouped into runs per event and command
 * ({@link HookRuns}): how often each ran, failed and blocked, its exit codes, time and
 * last error. Commands and messages are redacted and cut.
 */
@Component
class HookAnalysis {

	private final TranscriptCache cache;

	HookAnalysis(TranscriptCache cache) {
		this.cache = cache;
	}

	/**
	 * The hook runs of the transcripts; one that cannot be read (gone since it was
	 * listed, unreadable) is counted in {@code transcripts_not_read}, and adds nothing.
	 * @param files the session's transcripts on this disk
	 */
	HooksDto hooks(List<FileRef> files) {
		HookRuns runs = new HookRuns();
		int notRead = 0;
		for (FileRef file : files) {
			HookRuns one = new HookRuns();
			try {
				this.cache.forEachLine(file, one.reader(null));
				runs.addAll(one);
			}
			catch (UncheckedIOException | NotFoundException ex) {
				notRead++;
			}
		}
		List<HookDto> hooks = new ArrayList<>();
		long total = 0;
		long failures = 0;
		long blocks = 0;
		for (HookRuns.Row row : runs.rows()) {
			hooks.add(new HookDto(row.event(), HookLine.shown(row.command(), HookLine.COMMAND_CHARS), row.names(),
					row.runs(), row.failures(), row.blocks(), row.exitCodes(), row.durationMs(), row.timedRuns(),
					HookLine.shown(row.lastError(), HookLine.MESSAGE_CHARS), DtoFields.iso(row.lastErrorAt())));
			total += row.runs();
			failures += row.failures();
			blocks += row.blocks();
		}
		return new HooksDto(hooks, total, failures, blocks, notRead);
	}

}
