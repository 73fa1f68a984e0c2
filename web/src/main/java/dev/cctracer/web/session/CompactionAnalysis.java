package dev.cctracer.web.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.springframework.stereotype.Component;

import dev.cctracer.shared.transcript.MessageItem;
import dev.cctracer.shared.transcript.TranscriptText;
import dev.cctracer.web.session.AnalysisDtos.CompactionDto;
import dev.cctracer.web.session.AnalysisDtos.CompactionsDto;
import dev.cctracer.web.session.TranscriptCache.Open;
import dev.cctracer.web.usage.IndexedFiles.FileRef;

/**
 * The compactions of a session's transcripts: where Claude Code replaced the conversation
 * so far by a summary, as its {@code system} line of subtype {@code compact_boundary}
 * logs it, with its {@code compactMetadata} ({@code trigger}: {@code auto} when the
 * context was full, {@code manual} for {@code /compact}; {@code preTokens}: the context's
 * tokens before it).
 */
@Component
class CompactionAnalysis {

	private final TranscriptCache cache;

	CompactionAnalysis(TranscriptCache cache) {
		this.cache = cache;
	}

	/**
	 * The compactions of the given transcripts, oldest first: when (UTC), trigger, the
	 * tokens before, the boundary's uuid and its subagent ({@code null} for the main
	 * transcript).
	 * @throws UncheckedIOException when a transcript cannot be read
	 */
	CompactionsDto compactions(List<FileRef> refs) {
		List<CompactionDto> found = new ArrayList<>();
		for (FileRef ref : refs) {
			try (Open open = this.cache.open(ref)) {
				for (MessageItem item : open.index().from(0)) {
					if (!item.compaction()) {
						continue;
					}
					JsonNode line = (item.lineLength(0) > TranscriptText.MAX_LINE_FOR_TEXT) ? null
							: TranscriptText.readLine(open.channel(), item.lineOffset(0), item.lineLength(0));
					JsonNode meta = (line != null) ? line.path("compactMetadata") : null;
					String trigger = (meta != null && meta.path("trigger").isTextual()) ? meta.get("trigger").asText()
							: null;
					found.add(new CompactionDto(DtoFields.iso(item.timestamp()), trigger, count(meta, "preTokens"),
							count(meta, "postTokens"), item.uuid(), ref.main() ? null : ref.agentId()));
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		found.sort(Comparator.comparing((CompactionDto c) -> String.valueOf(c.timestamp())));
		return new CompactionsDto(found, found.size());
	}

	/**
	 * A token count of the metadata, or {@code null} when it has none there, or one no
	 * context has (negative: a count Claude Code cannot have logged).
	 */
	static Long count(JsonNode meta, String field) {
		return (meta != null && meta.path(field).isIntegralNumber() && meta.get(field).canConvertToLong()
				&& meta.get(field).asLong() >= 0) ? meta.get(field).asLong() : null;
	}

}
