package dev.cctracer.web.session;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

import dev.cctracer.web.session.MessageDtos.FactsDto;
import dev.cctracer.web.session.MessageDtos.MessageDto;
import dev.cctracer.web.session.MessageDtos.MessagesDto;
import dev.cctracer.web.session.MessageDtos.ToolDto;
import dev.cctracer.web.usage.Dtos.TokensDto;
import dev.cctracer.worker.SessionFacts;
import dev.cctracer.worker.SessionFacts.Entry;
import dev.cctracer.worker.SessionFacts.Timeline;

/**
 * A session's or a subagent's timeline read from the entry-level facts
 * ({@link SessionFacts}) instead of its transcript, for a transcript that is not on this
 * machine's disk: a teammate's session of a team database, or a file removed since it was
 * indexed. One row per line of the transcript that is a JSON object (a streamed
 * response's lines are rows of their own; {@code counted} says which one the totals
 * count), with a preview of its redacted text; keyset pages
 * ({@link MessageCursor#encodeEntries}) or numbered pages. The filters (type, tool,
 * errors, search) need the transcript: a query with one is refused.
 */
@Component
class FactPages {

	private final SessionFacts facts;

	/** The app's mapper: snake_case, every string redacted. */
	private final ObjectMapper json;

	private final Counter streamed;

	FactPages(SessionFacts facts, ObjectMapper json, MeterRegistry meters) {
		this.facts = facts;
		this.json = json;
		this.streamed = meters.counter("cctracer.stream.messages");
	}

	/**
	 * One page of the timeline: after the query's cursor, or its numbered page (with
	 * totals).
	 * @return the page, or empty when no such transcript is indexed
	 * @throws IllegalArgumentException when the query filters, or its cursor is malformed
	 * or of another transcript
	 * @throws MessageCursor.TranscriptRewrittenException when the file was rewritten
	 * since the cursor was issued
	 */
	Optional<MessagesDto> list(String project, String session, String agent, MessageQuery q) {
		refuseFilters(q);
		if (q.page() != null) {
			long skip = (long) (q.page() - 1) * q.limit();
			if (skip > Integer.MAX_VALUE) {
				throw new IllegalArgumentException("page is past the end");
			}
			return this.facts.entries(project, session, agent, (int) skip, q.limit()).map((t) -> {
				int total = (int) Math.min(Integer.MAX_VALUE, t.total());
				return new MessagesDto(rows(t), t.hasMore() && !t.entries().isEmpty(), null, total, q.page(), q.limit(),
						(total + q.limit() - 1) / q.limit(), facts(t));
			});
		}
		MessageCursor.EntryCursor cursor = (q.cursor() == null || q.cursor().isBlank()) ? null
				: MessageCursor.decodeEntries(q.cursor());
		int offset = (cursor != null) ? cursor.next() : 0;
		return this.facts.entries(project, session, agent, offset, q.limit()).map((t) -> {
			if (cursor != null) {
				cursor.check(t.fileId(), t.generation());
			}
			List<MessageDto> rows = rows(t);
			boolean more = t.hasMore() && !rows.isEmpty();
			String next = more ? MessageCursor.encodeEntries(t.fileId(), t.generation(), offset + rows.size()) : null;
			return new MessagesDto(rows, more, next, null, null, null, null, facts(t));
		});
	}

	/**
	 * Writes every row of the timeline as one JSON line, {@value SessionFacts#MAX_LIMIT}
	 * read at a time, flushing as it goes; stops at the first failed write (the client
	 * went away), or when the file is rewritten meanwhile.
	 * @return how many rows were written
	 * @throws IllegalArgumentException when the query filters
	 * @throws IOException when a write fails
	 */
	long stream(String project, String session, String agent, MessageQuery q, OutputStream out) throws IOException {
		refuseFilters(q);
		ObjectWriter writer = this.json.writer();
		long[] written = { 0 };
		forEachEntry(project, session, agent, (e) -> {
			out.write(writer.writeValueAsBytes(row(e)));
			out.write('\n');
			if (++written[0] % 50 == 0) {
				out.flush();
			}
			this.streamed.increment();
			return true;
		});
		out.flush();
		return written[0];
	}

	/** Receives a transcript's fact entries in order; answers false to stop. */
	@FunctionalInterface
	interface EntrySink {

		boolean accept(Entry entry) throws IOException;

	}

	/**
	 * Hands every entry of a transcript's facts to {@code sink} in order,
	 * {@value SessionFacts#MAX_LIMIT} read at a time; stops when the sink answers false,
	 * or when the file is rewritten meanwhile.
	 * @param agent a subagent's id, or {@code null} for the session's main transcript
	 * @throws IOException when the sink throws it
	 */
	void forEachEntry(String project, String session, String agent, EntrySink sink) throws IOException {
		int offset = 0;
		Timeline first = null;
		while (true) {
			Optional<Timeline> read = this.facts.entries(project, session, agent, offset, SessionFacts.MAX_LIMIT);
			if (read.isEmpty()) {
				return;
			}
			Timeline t = read.get();
			if (first == null) {
				first = t;
			}
			else if (t.fileId() != first.fileId() || t.generation() != first.generation()) {
				return;
			}
			for (Entry e : t.entries()) {
				if (!sink.accept(e)) {
					return;
				}
			}
			if (!t.hasMore() || t.entries().isEmpty()) {
				return;
			}
			offset += t.entries().size();
		}
	}

	private static void refuseFilters(MessageQuery q) {
		if (q.type() != null || q.tool() != null || q.errorOnly() || q.search() != null) {
			throw new IllegalArgumentException("the transcript is not on this machine's disk: its timeline comes from "
					+ "the facts, which page but do not filter (type, tool, error_only and search need the transcript)");
		}
	}

	private static List<MessageDto> rows(Timeline t) {
		return t.entries().stream().map(FactPages::row).toList();
	}

	/** A line as a message row: its tool calls, its first tool result, its usage. */
	static MessageDto row(Entry e) {
		List<ToolDto> tools = e.toolCalls().stream().map((c) -> new ToolDto(c.id(), c.name())).toList();
		String toolUseId = e.toolResults().isEmpty() ? null : e.toolResults().get(0).toolUseId();
		boolean error = e.toolResults().stream().anyMatch(SessionFacts.ToolResult::error);
		SessionFacts.Tokens u = e.tokens();
		TokensDto tokens = (u == null) ? null : new TokensDto(u.input(), u.output(),
				u.cacheWrite5m() + u.cacheWrite1h(), u.cacheRead(), u.cacheWrite5m(), u.cacheWrite1h());
		return new MessageDto(e.uuid(), null, e.type(), (e.time() != null) ? e.time().toString() : null, e.model(),
				e.preview(), tokens, tools, toolUseId, error, e.sidechain(), e.agentId(), e.index(), null,
				// as the transcript's timeline: absent on a line without usage
				(u == null) ? null : e.counted(), null, null);
	}

	private static FactsDto facts(Timeline t) {
		return new FactsDto(t.origin(), t.thisMachine(), t.total(), t.complete(), t.coveredBytes(), t.committedBytes());
	}

}
