package dev.cctracer.web.session;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import org.springframework.stereotype.Service;

import dev.cctracer.shared.discovery.Ids;
import dev.cctracer.shared.transcript.MessageItem;
import dev.cctracer.shared.transcript.TranscriptText;
import dev.cctracer.web.session.MessageDtos.FiltersDto;
import dev.cctracer.web.session.MessageDtos.MessageDetailDto;
import dev.cctracer.web.session.MessageDtos.MessagesDto;
import dev.cctracer.web.usage.AnswerCache;
import dev.cctracer.web.usage.IndexedFiles;
import dev.cctracer.web.usage.IndexedFiles.FileRef;
import dev.cctracer.web.usage.NotFoundException;
import dev.cctracer.web.usage.UsageService;

/**
 * Messages of a session or subagent: keyset pages with filters, filter options, details,
 * an NDJSON stream, and the large tool outputs saved beside a session.
 * <p>
 * The cursor names the file, its generation and the last message's position: positions
 * never change while a file only grows, so walking page by page yields every message
 * exactly once, also while lines are appended; a rewritten file (new generation) makes
 * old cursors fail clearly (409).
 * <p>
 * This class finds the transcript and caches answers by the file's committed state (and,
 * for pages, which carry costs and counted flags, by the data version: a price change or
 * another file's copy of a response changes them without this file changing); the work is
 * {@link MessagePages}, {@link MessageDetails}, {@link MessageStream} and
 * {@link PersistedOutputs}. A transcript that is not on this machine's disk (a
 * teammate's, in a team database) has its timeline read from the facts instead
 * ({@link FactPages}): pages and the stream, without filters; its details are not there.
 */
@Service
public class MessageService {

	private final IndexedFiles files;

	private final TranscriptCache cache;

	private final AnswerCache answers;

	private final MessagePages pages;

	private final MessageDetails details;

	private final MessageStream stream;

	private final FactPages facts;

	private final UsageService usage;

	MessageService(IndexedFiles files, TranscriptCache cache, AnswerCache answers, MessagePages pages,
			MessageDetails details, MessageStream stream, FactPages facts, UsageService usage) {
		this.facts = facts;
		this.usage = usage;
		this.answers = answers;
		this.files = files;
		this.cache = cache;
		this.pages = pages;
		this.details = details;
		this.stream = stream;
	}

	/** Drops the cached message indexes (admin console); returns how many there were. */
	public int clearCaches() {
		this.answers.clear(AnswerCache.MESSAGES);
		return this.cache.clear();
	}

	/**
	 * The main transcript of a session ({@code agent} null) or a subagent's transcript.
	 * @throws Ids.InvalidIdException when an id is malformed
	 * @throws NotFoundException when there is no such transcript
	 */
	FileRef file(String project, String session, String agent) {
		String p = Ids.requireProjectDir(project);
		String s = Ids.requireSessionId(session);
		if (agent == null) {
			return this.files.mainFile(p, s)
				.orElseThrow(() -> this.files.sessionExists(p, s) ? NotFoundException.noMainTranscript(project, session)
						: NotFoundException.session(project, session));
		}
		if (!Ids.isAgentId(agent)) {
			throw new Ids.InvalidIdException("agent", agent);
		}
		return this.files.subagentFile(p, s, agent)
			.orElseThrow(() -> new NotFoundException("subagent not found: " + project + "/" + session + "/" + agent
					+ (this.files.sessionExists(p, s)
							? " (a sidechain logged inside the session's transcript has no "
									+ "transcript of its own: its lines are in the session's timeline, type=subagent)"
							: "")));
	}

	/** Whether the transcript is on this machine's disk now (not removed). */
	boolean onDisk(FileRef file) {
		return this.cache.onDisk(file);
	}

	/**
	 * An answer keyed by the file's committed state (id, generation, offset) and the
	 * query: a grown or rewritten file is a new key, so an answer is never stale.
	 */
	private <T> T cached(Object key, Supplier<T> compute) {
		return this.answers.get(AnswerCache.MESSAGES, key, compute);
	}

	/**
	 * A page of matching messages; see {@link MessagePages#list}. Cached for the data
	 * version too: its costs follow the price table (a re-pricing bumps the version) and
	 * its counted flags follow the other files' copies of its responses.
	 */
	MessagesDto list(FileRef file, MessageQuery q) {
		return cached(List.of(file, q, this.usage.dataVersion()), () -> this.pages.list(file, q));
	}

	/**
	 * A page of the timeline of a session ({@code agent} null) or a subagent: from its
	 * transcript ({@link #list(FileRef, MessageQuery)}), or from the facts when the
	 * transcript is not on this machine's disk (the page then has {@code facts}; see
	 * {@link FactPages#list}).
	 * @throws Ids.InvalidIdException when an id is malformed
	 * @throws NotFoundException when there is no such transcript, or it is neither here
	 * nor in the facts
	 * @throws IllegalArgumentException when the query is one the timeline cannot answer
	 */
	MessagesDto timeline(String project, String session, String agent, MessageQuery q) {
		FileRef file = file(project, session, agent);
		if (this.cache.onDisk(file)) {
			return list(file, q);
		}
		// not cached: the facts of a teammate's file grow without its committed state
		// changing here
		return this.facts.list(project, session, agent, q).orElseThrow(() -> gone(file));
	}

	/**
	 * Writes every matching message of a session's or a subagent's timeline as one JSON
	 * line, flushing as it goes, from its transcript or (when it is not on this machine's
	 * disk) from the facts; stops at the first failed write (the client went away).
	 * Returns how many were written.
	 * @param file the transcript ({@link #file})
	 */
	long stream(String project, String session, String agent, FileRef file, MessageQuery q, OutputStream out)
			throws IOException {
		if (this.cache.onDisk(file)) {
			return this.stream.stream(file, q, out);
		}
		return this.facts.stream(project, session, agent, q, out);
	}

	private static NotFoundException gone(FileRef file) {
		return NotFoundException.notOnThisDisk(file.relPath());
	}

	/**
	 * What the transcript's messages can be filtered by; see
	 * {@link MessagePages#filters}.
	 */
	FiltersDto filters(FileRef file) {
		return cached(file, () -> this.pages.filters(file));
	}

	/** The message with this uuid; see {@link MessageDetails#byUuid}. */
	MessageDetailDto detail(FileRef file, String uuid) {
		return this.details.byUuid(file, uuid);
	}

	/**
	 * Claude Code's own patch of each of these tool calls
	 * ({@link CodeChangeAnalysis#structuredPatch} of its result line), by
	 * {@code tool_use} id; a call without a result or a patch is absent.
	 * @throws UncheckedIOException when the transcript cannot be read
	 */
	Map<String, JsonNode> patches(FileRef file, Collection<String> callIds) {
		Map<String, JsonNode> found = new HashMap<>();
		if (callIds.isEmpty()) {
			return found;
		}
		try (TranscriptCache.Open open = this.cache.open(file)) {
			for (String id : callIds) {
				MessageItem result = open.index().resultItem(id);
				if (result == null) {
					continue;
				}
				JsonNode patch = CodeChangeAnalysis
					.structuredPatch(TranscriptText.read(open.channel(), result).toolUseResult());
				if (patch != null) {
					found.put(id, patch);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return found;
	}

	/** The message at a 1-based position; see {@link MessageDetails#byIndex}. */
	MessageDetailDto byIndex(FileRef file, int index) {
		return this.details.byIndex(file, index);
	}

	/**
	 * A large tool output Claude Code saved in {@code <session>/tool-results/<name>},
	 * redacted, at most 16 MiB (a longer one ends with a note).
	 * @throws NotFoundException when the session, the file or a valid name is missing
	 */
	String toolResult(String project, String session, String name) {
		PersistedOutputs.requireName(name);
		return PersistedOutputs.read(file(project, session, null), project, session, name);
	}

}
