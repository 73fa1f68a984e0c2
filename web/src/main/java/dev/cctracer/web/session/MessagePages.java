package dev.cctracer.web.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.cctracer.shared.transcript.MessageItem;
import dev.cctracer.shared.transcript.MessageKind;
import dev.cctracer.shared.transcript.TranscriptIndex;
import dev.cctracer.shared.transcript.TranscriptText;
import dev.cctracer.web.session.MessageDtos.FiltersDto;
import dev.cctracer.web.session.MessageDtos.MessageDto;
import dev.cctracer.web.session.MessageDtos.MessagesDto;
import dev.cctracer.web.session.MessageDtos.ToolCountDto;
import dev.cctracer.web.session.MessageDtos.TypeCountDto;
import dev.cctracer.web.session.TranscriptCache.Open;
import dev.cctracer.web.usage.IndexedFiles.FileRef;

/**
 * Pages of a transcript's messages with filters (keyset pages by {@link MessageCursor},
 * or numbered pages for compatibility), and the filter options a transcript offers.
 */
@Component
class MessagePages {

	/**
	 * How many bytes of text one search request may read before it returns what it has.
	 */
	private static final long SEARCH_BYTES_PER_REQUEST = 64L << 20;

	private final TranscriptCache cache;

	private final MessageCosts costs;

	MessagePages(TranscriptCache cache, MessageCosts costs) {
		this.cache = cache;
		this.costs = costs;
	}

	/**
	 * One page of the messages matching the query: after its cursor (keyset mode, the
	 * next cursor set when more may follow; a search reads at most 64 MiB of text a
	 * request and then hands out a cursor to continue) or its page number (page mode,
	 * with totals).
	 * @throws IllegalArgumentException when the cursor is malformed or of another file
	 * @throws MessageCursor.TranscriptRewrittenException when the file was rewritten
	 * since the cursor was issued
	 * @throws UncheckedIOException when the transcript cannot be read
	 */
	MessagesDto list(FileRef file, MessageQuery q) {
		try (Open open = this.cache.open(file)) {
			TranscriptIndex index = open.index();
			if (q.page() != null) {
				return pageMode(open, q, this.costs.of(file));
			}
			MessageCosts.Counted counted = this.costs.of(file);
			int start = (q.cursor() == null || q.cursor().isBlank()) ? 0
					: MessageCursor.decode(q.cursor(), file, index) + 1;
			List<MessageDto> page = new ArrayList<>(q.limit());
			long searched = 0;
			Integer lastScanned = null;
			boolean more = false;
			for (MessageItem item : index.from(start)) {
				if (!q.matches(item, index)) {
					continue;
				}
				TranscriptText.Content content = null;
				if (q.search() != null) {
					if (searched > SEARCH_BYTES_PER_REQUEST) {
						// budget spent: the client continues from here
						more = true;
						break;
					}
					searched += bytes(item);
					content = TranscriptText.read(open.channel(), item);
					lastScanned = item.ordinal();
					if (!q.found(content)) {
						continue;
					}
				}
				if (page.size() == q.limit()) {
					more = true;
					break;
				}
				page.add(
						MessageDto.of(item,
								(content != null) ? content.preview(MessageDto.PREVIEW_CHARS)
										: TranscriptText.preview(open.channel(), item, MessageDto.PREVIEW_CHARS),
								counted));
			}
			String next = null;
			String tail = null;
			Integer tailFrom = null;
			if (more) {
				int last = page.isEmpty() ? ((lastScanned != null) ? lastScanned : start - 1)
						: page.get(page.size() - 1).index() - 1;
				next = MessageCursor.encode(file, index, last);
			}
			else {
				// the last page: a follower reads again from its last response (whose
				// later lines merge into it, also after a tool result), else its last
				// row, else from where this page began
				tailFrom = tailFrom(page);
				int before = (tailFrom == null) ? start - 1 : tailFrom - 2;
				tail = (before >= 0) ? MessageCursor.encode(file, index, before) : null;
			}
			return new MessagesDto(page, more, next, null, null, null, null, null, tail, tailFrom);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private MessagesDto pageMode(Open open, MessageQuery q, MessageCosts.Counted counted) throws IOException {
		TranscriptIndex index = open.index();
		List<MessageItem> matching = new ArrayList<>();
		for (MessageItem item : index.from(0)) {
			if (q.matches(item, index) && (q.search() == null || q.found(TranscriptText.read(open.channel(), item)))) {
				matching.add(item);
			}
		}
		// in long: page 2,147,483,647 of 200 overflowed an int into a negative index (a
		// 500)
		int from = (int) Math.min(matching.size(), (long) (q.page() - 1) * q.limit());
		int to = Math.min(matching.size(), from + q.limit());
		List<MessageDto> page = new ArrayList<>();
		for (MessageItem item : matching.subList(from, to)) {
			page.add(MessageDto.of(item, TranscriptText.preview(open.channel(), item, MessageDto.PREVIEW_CHARS),
					counted));
		}
		int totalPages = (matching.size() + q.limit() - 1) / q.limit();
		return new MessagesDto(page, to < matching.size(), null, matching.size(), q.page(), q.limit(), totalPages);
	}

	/**
	 * What the transcript's messages can be filtered by: the count of every message kind
	 * (zero included), the count of calls per tool (most called first), how many messages
	 * are failed tool results, and how many entries Claude Code wrote again into the
	 * transcript (a line of a message's kind with an earlier line's uuid: they are no
	 * messages; lines of no message, such as {@code progress}, are not counted).
	 */
	FiltersDto filters(FileRef file) {
		try (Open open = this.cache.open(file)) {
			TranscriptIndex index = open.index();
			Map<MessageKind, Long> kinds = new EnumMap<>(MessageKind.class);
			for (MessageKind k : MessageKind.values()) {
				kinds.put(k, 0L);
			}
			Map<String, Long> tools = new HashMap<>();
			long errors = 0;
			for (MessageItem item : index.from(0)) {
				kinds.merge(item.kind(), 1L, Long::sum);
				item.tools().forEach((t) -> tools.merge(String.valueOf(t.name()), 1L, Long::sum));
				errors += item.failed() ? 1 : 0;
			}
			List<TypeCountDto> types = new ArrayList<>();
			kinds.forEach((k, v) -> types.add(new TypeCountDto(k.wireName(), v)));
			List<ToolCountDto> toolList = new ArrayList<>();
			tools.forEach((k, v) -> toolList.add(new ToolCountDto(k, v)));
			toolList.sort(Comparator.comparingLong(ToolCountDto::count).reversed().thenComparing(ToolCountDto::name));
			return new FiltersDto(types, toolList, errors, index.repeatedEntries());
		}
	}

	/**
	 * The 1-based index of the row a follow reads again from: the page's last assistant
	 * message (the response that may still grow), else its last row; {@code null} for
	 * none.
	 */
	private static Integer tailFrom(List<MessageDto> page) {
		for (int i = page.size() - 1; i >= 0; i--) {
			if (page.get(i).type().equals(MessageKind.ASSISTANT.wireName())) {
				return page.get(i).index();
			}
		}
		return page.isEmpty() ? null : page.get(page.size() - 1).index();
	}

	/** The bytes of the lines a message was read from. */
	private static long bytes(MessageItem item) {
		long total = 0;
		for (int i = 0; i < item.lineCount(); i++) {
			total += item.lineLength(i);
		}
		return total;
	}

}
