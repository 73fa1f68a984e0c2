package dev.cctracer.web.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;

import dev.cctracer.web.session.AnalysisDtos.ErrorDto;
import dev.cctracer.web.session.AnalysisDtos.ErrorsDto;
import dev.cctracer.web.usage.IndexedFiles.FileRef;
import dev.cctracer.worker.SessionFacts;
import dev.cctracer.shared.transcript.ToolFailure;

/**
 * The tool errors of a session whose transcripts Claude Code removed, from the facts its
 * worker wrote while they were on disk: each failed call once (by {@code tool_use_id},
 * the main transcript's first, as {@link ToolCallAnalysis#errors}), its tool's name from
 * the call, its message the start of the result's text as the facts keep it (redacted, at
 * most {@value SessionFacts#PREVIEW_CHARS} characters).
 */
@Component
class FactErrors {

	/** A failed tool result as the facts keep it, before its call's name is known. */
	private record Failure(String toolUseId, String timestamp, String preview, String uuid, String agentId) {

	}

	private final FactPages pages;

	FactErrors(FactPages pages) {
		this.pages = pages;
	}

	/**
	 * The errors of these transcripts of a session (main first) whose {@code tool_use_id}
	 * is not in {@code listed} yet, oldest first; adds theirs to it.
	 * @throws java.io.UncheckedIOException when the facts cannot be read
	 */
	ErrorsDto errors(String project, String session, List<FileRef> files, Set<String> listed) {
		Map<String, String> names = new HashMap<>();
		List<Failure> found = new ArrayList<>();
		for (FileRef file : files) {
			String agent = file.main() ? null : file.agentId();
			try {
				this.pages.forEachEntry(project, session, agent, (e) -> {
					e.toolCalls().forEach((c) -> names.putIfAbsent(String.valueOf(c.id()), c.name()));
					e.toolResults()
						.stream()
						.filter(SessionFacts.ToolResult::error)
						.forEach((r) -> found.add(new Failure(r.toolUseId(),
								(e.time() != null) ? e.time().toString() : null, e.preview(), e.uuid(), agent)));
					return true;
				});
			}
			catch (IOException ex) {
				// the sink writes nowhere
				throw new UncheckedIOException(ex);
			}
		}
		List<ErrorDto> failed = new ArrayList<>();
		for (Failure f : found) {
			if (f.toolUseId() == null || listed.add(f.toolUseId())) {
				failed.add(new ErrorDto(f.timestamp(), (f.toolUseId() != null) ? names.get(f.toolUseId()) : null,
						f.preview(), f.uuid(), f.agentId(), ToolFailure.of(f.preview()).label()));
			}
		}
		failed.sort(Comparator.comparing((ErrorDto e) -> String.valueOf(e.timestamp())));
		return new ErrorsDto(failed, failed.size());
	}

}
