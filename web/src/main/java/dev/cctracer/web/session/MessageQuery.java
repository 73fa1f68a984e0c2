package dev.cctracer.web.session;

import java.util.Locale;

import dev.cctracer.shared.transcript.MessageItem;
import dev.cctracer.shared.transcript.MessageKind;
import dev.cctracer.shared.transcript.SearchNeedle;
import dev.cctracer.shared.transcript.TranscriptIndex;
import dev.cctracer.shared.transcript.TranscriptText;

/**
 * The filters and paging of a message list request, validated.
 *
 * @param type only messages of this kind (or all)
 * @param tool only assistant messages calling this tool and the results of its calls
 * @param errorOnly only failed entries: tool results with {@code is_error} and API errors
 * @param search case-insensitive text to find, as typed or as a tool input's JSON spells
 * it
 * @param cursor keyset cursor from a previous page
 * @param limit page size (1 to 200)
 * @param page 1-based page number for page mode (compatibility), or null
 */
record MessageQuery(MessageKind type, String tool, boolean errorOnly, SearchNeedle search, String cursor, int limit,
		Integer page) {

	static final int MAX_LIMIT = 200;

	static MessageQuery of(String type, String tool, Boolean errorOnly, String search, String cursor, Integer limit,
			Integer page, Integer perPage) {
		int size = (limit != null) ? limit : (perPage != null) ? perPage : 50;
		if (size < 1 || size > MAX_LIMIT) {
			// said by the name the caller used
			throw new IllegalArgumentException(((limit == null && perPage != null) ? "per_page" : "limit")
					+ " must be between 1 and " + MAX_LIMIT);
		}
		if (page != null && page < 1) {
			throw new IllegalArgumentException("page must be 1 or more");
		}
		if (page != null && cursor != null && !cursor.isBlank()) {
			throw new IllegalArgumentException("use either cursor or page, not both");
		}
		if (search != null && search.length() > 200) {
			throw new IllegalArgumentException("search text is limited to 200 characters");
		}
		SearchNeedle s = (search == null || search.isBlank()) ? null : SearchNeedle.of(search);
		String t = (tool == null || tool.isBlank()) ? null : tool;
		return new MessageQuery(MessageKind.parse(type), t, Boolean.TRUE.equals(errorOnly), s, cursor, size, page);
	}

	/**
	 * Whether a message passes the kind, error and tool filters (the text search is
	 * {@link #found}: it needs the message's text).
	 * @param index the message's transcript, which names the tool of a tool result
	 */
	boolean matches(MessageItem item, TranscriptIndex index) {
		if (this.type != null && item.kind() != this.type) {
			return false;
		}
		if (this.errorOnly && !item.failed()) {
			return false;
		}
		if (this.tool != null) {
			boolean calls = item.tools().stream().anyMatch((t) -> this.tool.equals(t.name()));
			boolean result = item.toolUseIds().stream().anyMatch((id) -> this.tool.equals(index.toolName(id)));
			return calls || result;
		}
		return true;
	}

	/**
	 * Whether a message's searchable text holds the search text (ignoring case), as typed
	 * or as a tool input's JSON spells it ({@link SearchNeedle}).
	 */
	boolean found(TranscriptText.Content content) {
		return this.search.foundIn(content.searchable().toLowerCase(Locale.ROOT));
	}

}
