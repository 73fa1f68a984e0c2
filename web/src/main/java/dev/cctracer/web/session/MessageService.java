package dev.cctracer.web.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Service;

import dev.cctracer.shared.discovery.Ids;
import dev.cctracer.shared.transcript.MessageItem;
import dev.cctracer.shared.transcript.MessageKind;
import dev.cctracer.shared.transcript.Redactor;
import dev.cctracer.shared.transcript.TranscriptIndex;
import dev.cctracer.shared.transcript.TranscriptText;
import dev.cctracer.web.usage.AnswerCache;
import dev.cctracer.web.usage.Dtos.TokensDto;
import dev.cctracer.web.usage.NotFoundException;
import dev.cctracer.web.session.MessageDtos.FiltersDto;
import dev.cctracer.web.session.MessageDtos.MessageDetailDto;
import dev.cctracer.web.session.MessageDtos.MessageDto;
import dev.cctracer.web.session.MessageDtos.MessagesDto;
import dev.cctracer.web.session.MessageDtos.ToolCallDto;
import dev.cctracer.web.session.MessageDtos.ToolCountDto;
import dev.cctracer.web.session.MessageDtos.ToolDto;
import dev.cctracer.web.session.MessageDtos.ToolResultDto;
import dev.cctracer.web.session.MessageDtos.TypeCountDto;
import dev.cctracer.web.session.TranscriptCache.Open;
import dev.cctracer.web.session.TranscriptFiles.FileRef;

/**
 * Messages of a session or subagent: keyset pages with filters, filter options, and
 * details.
 * <p>
 * The cursor names the file, its generation and the last message's position: positions
 * never change while a file only grows, so walking page by page yields every message
 * exactly once, also while lines are appended; a rewritten file (new generation) makes
 * old cursors fail clearly (409).
 */
@Service
public class MessageService {

	private static final int PREVIEW_CHARS = 500;

	/**
	 * How many bytes of text one search request may read before it returns what it has.
	 */
	private static final long SEARCH_BYTES_PER_REQUEST = 64L << 20;

	private final TranscriptFiles files;

	private final TranscriptCache cache;

	private final AnswerCache answers;

	/** The app's mapper: snake_case, every string redacted. */
	private final ObjectMapper json;

	private final io.micrometer.core.instrument.Counter streamed;

	MessageService(TranscriptFiles files, TranscriptCache cache, AnswerCache answers,
			io.micrometer.core.instrument.MeterRegistry meters, ObjectMapper json) {
		this.json = json;
		this.answers = answers;
		this.files = files;
		this.cache = cache;
		this.streamed = meters.counter("cctracer.stream.messages");
	}

	/** Drops the cached message indexes (admin console); returns how many there were. */
	public int clearCaches() {
		this.answers.clear(AnswerCache.MESSAGES);
		return this.cache.clear();
	}

	FileRef file(String project, String session, String agent) {
		String p = Ids.requireProjectDir(project);
		String s = Ids.requireSessionId(session);
		if (agent == null) {
			return this.files.mainFile(p, s).orElseThrow(() -> NotFoundException.session(project, session));
		}
		if (!Ids.isAgentId(agent)) {
			throw new Ids.InvalidIdException("agent", agent);
		}
		return this.files.subagentFile(p, s, agent)
			.orElseThrow(() -> new NotFoundException("subagent not found: " + project + "/" + session + "/" + agent));
	}

	/**
	 * An answer keyed by the file's committed state (id, generation, offset) and the
	 * query: a grown or rewritten file is a new key, so an answer is never stale.
	 */
	private <T> T cached(Object key, java.util.function.Supplier<T> compute) {
		return this.answers.get(AnswerCache.MESSAGES, key, compute);
	}

	MessagesDto list(FileRef file, MessageQuery q) {
		return cached(List.of(file, q), () -> computeList(file, q));
	}

	private MessagesDto computeList(FileRef file, MessageQuery q) {
		try (Open open = this.cache.open(file)) {
			TranscriptIndex index = open.index();
			if (q.page() != null) {
				return pageMode(open, q);
			}
			int start = (q.cursor() == null || q.cursor().isBlank()) ? 0 : decode(q.cursor(), file, index) + 1;
			List<MessageDto> page = new ArrayList<>(q.limit());
			long searched = 0;
			Integer lastScanned = null;
			boolean more = false;
			for (MessageItem item : index.from(start)) {
				if (!matches(item, q, index)) {
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
					if (!content.searchable().toLowerCase(Locale.ROOT).contains(q.search())) {
						continue;
					}
				}
				if (page.size() == q.limit()) {
					more = true;
					break;
				}
				page.add(dto(item, (content != null) ? content.preview(PREVIEW_CHARS)
						: TranscriptText.preview(open.channel(), item, PREVIEW_CHARS), index));
			}
			String next = null;
			if (more) {
				int last = page.isEmpty() ? ((lastScanned != null) ? lastScanned : start - 1)
						: page.get(page.size() - 1).index() - 1;
				next = encode(file, index, last);
			}
			return new MessagesDto(page, more, next, null, null, null, null);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private MessagesDto pageMode(Open open, MessageQuery q) throws IOException {
		TranscriptIndex index = open.index();
		List<MessageItem> matching = new ArrayList<>();
		for (MessageItem item : index.from(0)) {
			if (matches(item, q, index) && (q.search() == null || TranscriptText.read(open.channel(), item)
				.searchable()
				.toLowerCase(Locale.ROOT)
				.contains(q.search()))) {
				matching.add(item);
			}
		}
		int from = Math.min(matching.size(), (q.page() - 1) * q.limit());
		int to = Math.min(matching.size(), from + q.limit());
		List<MessageDto> page = new ArrayList<>();
		for (MessageItem item : matching.subList(from, to)) {
			page.add(dto(item, TranscriptText.preview(open.channel(), item, PREVIEW_CHARS), index));
		}
		int totalPages = (matching.size() + q.limit() - 1) / q.limit();
		return new MessagesDto(page, to < matching.size(), null, matching.size(), q.page(), q.limit(), totalPages);
	}

	/**
	 * Writes every matching message as one JSON line, flushing as it goes; stops at the
	 * first failed write (the client went away). Returns how many were written.
	 */
	long stream(FileRef file, MessageQuery q, java.io.OutputStream out) throws IOException {
		com.fasterxml.jackson.databind.ObjectWriter writer = this.json.writer();
		long written = 0;
		try (Open open = this.cache.open(file)) {
			TranscriptIndex index = open.index();
			for (MessageItem item : index.from(0)) {
				if (!matches(item, q, index)) {
					continue;
				}
				String preview;
				if (q.search() != null) {
					TranscriptText.Content content = TranscriptText.read(open.channel(), item);
					if (!content.searchable().toLowerCase(Locale.ROOT).contains(q.search())) {
						continue;
					}
					preview = content.preview(PREVIEW_CHARS);
				}
				else {
					preview = TranscriptText.preview(open.channel(), item, PREVIEW_CHARS);
				}
				out.write(writer.writeValueAsBytes(dto(item, preview, index)));
				out.write('\n');
				if (++written % 50 == 0) {
					out.flush();
				}
				this.streamed.increment();
			}
			out.flush();
		}
		return written;
	}

	FiltersDto filters(FileRef file) {
		return cached(file, () -> computeFilters(file));
	}

	private FiltersDto computeFilters(FileRef file) {
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
				errors += item.error() ? 1 : 0;
			}
			List<TypeCountDto> types = new ArrayList<>();
			kinds.forEach((k, v) -> types.add(new TypeCountDto(k.wireName(), v)));
			List<ToolCountDto> toolList = new ArrayList<>();
			tools.forEach((k, v) -> toolList.add(new ToolCountDto(k, v)));
			toolList.sort(Comparator.comparingLong(ToolCountDto::count).reversed().thenComparing(ToolCountDto::name));
			return new FiltersDto(types, toolList, errors);
		}
	}

	MessageDetailDto detail(FileRef file, String uuid) {
		if (uuid == null || uuid.length() > 100 || !uuid.matches("[A-Za-z0-9_-]+")) {
			throw new Ids.InvalidIdException("message", uuid);
		}
		try (Open open = this.cache.open(file)) {
			MessageItem item = open.index().byUuid(uuid);
			if (item == null) {
				throw new NotFoundException("message not found: " + uuid);
			}
			return detail(open, item);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	MessageDetailDto byIndex(FileRef file, int index) {
		try (Open open = this.cache.open(file)) {
			MessageItem item = open.index().get(index - 1);
			if (item == null) {
				throw new NotFoundException(
						"no message " + index + " (the transcript has " + open.index().size() + ")");
			}
			return detail(open, item);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static MessageDetailDto detail(Open open, MessageItem item) throws IOException {
		TranscriptText.Content c = TranscriptText.read(open.channel(), item);
		List<ToolCallDto> calls = c.toolCalls()
			.stream()
			.map((t) -> new ToolCallDto(t.id(), t.name(), t.input()))
			.toList();
		List<ToolResultDto> results = c.toolResults()
			.stream()
			.map((r) -> new ToolResultDto(r.toolUseId(), r.error(), r.content(), persistedOutput(r.content())))
			.toList();
		String text = (item.kind() == MessageKind.SYSTEM && c.text().isBlank()) ? c.extra() : c.text();
		return new MessageDetailDto(item.uuid(), item.parentUuid(), item.messageId(), item.kind().wireName(),
				iso(item.timestamp()), item.model(), text, c.thinking(), calls, results, TokensDto.of(item.usage()),
				(c.cwd() != null) ? Redactor.redact(c.cwd()) : null, item.sidechain(), item.agentId(),
				item.ordinal() + 1, open.index().size());
	}

	/**
	 * Claude Code's reference to an output saved beside the session:
	 * {@code <persisted-output>… Full output saved to: …/<session>/tool-results/<id>.txt}.
	 */
	private static final java.util.regex.Pattern PERSISTED = java.util.regex.Pattern
		.compile("Full output saved to: [^\\n]{0,4096}?/tool-results/([A-Za-z0-9_-]{1,64}\\.txt)");

	/** The name of the persisted output a tool result refers to, or {@code null}. */
	static String persistedOutput(String content) {
		if (content == null || !content.contains("tool-results/")) {
			return null;
		}
		java.util.regex.Matcher m = PERSISTED.matcher(content);
		return m.find() ? m.group(1) : null;
	}

	/** Larger persisted outputs are cut here (and say so). */
	static final int TOOL_RESULT_MAX_BYTES = 16 * 1024 * 1024;

	/**
	 * A large tool output Claude Code saved in {@code <session>/tool-results/<name>},
	 * redacted, at most 16 MiB (a longer one ends with a note).
	 * @throws NotFoundException when the session, the file or a valid name is missing
	 */
	String toolResult(String project, String session, String name) {
		if (name == null || !name.matches("[A-Za-z0-9_-]{1,64}\\.txt")) {
			throw new NotFoundException("no such tool result (a name is letters, digits, _ and -, then .txt)");
		}
		FileRef file = file(project, session, null);
		java.nio.file.Path path = dev.cctracer.shared.discovery.SafePaths
			.resolve(java.nio.file.Path.of(file.root()), project, session, "tool-results", name)
			.orElseThrow(() -> new NotFoundException("no tool result '" + name + "' in this session"));
		try (java.io.InputStream in = java.nio.file.Files.newInputStream(path)) {
			byte[] bytes = in.readNBytes(TOOL_RESULT_MAX_BYTES + 1);
			boolean cut = bytes.length > TOOL_RESULT_MAX_BYTES;
			String text = new String(bytes, 0, Math.min(bytes.length, TOOL_RESULT_MAX_BYTES),
					java.nio.charset.StandardCharsets.UTF_8);
			return Redactor.redact(text) + (cut ? "\n[… cut at 16 MiB]\n" : "");
		}
		catch (IOException ex) {
			throw new NotFoundException("tool result '" + name + "' cannot be read");
		}
	}

	private static boolean matches(MessageItem item, MessageQuery q, TranscriptIndex index) {
		if (q.type() != null && item.kind() != q.type()) {
			return false;
		}
		if (q.errorOnly() && !item.error()) {
			return false;
		}
		if (q.tool() != null) {
			boolean calls = item.tools().stream().anyMatch((t) -> q.tool().equals(t.name()));
			boolean result = item.toolUseIds().stream().anyMatch((id) -> q.tool().equals(index.toolName(id)));
			return calls || result;
		}
		return true;
	}

	private static MessageDto dto(MessageItem item, String preview, TranscriptIndex index) {
		List<ToolDto> tools = item.tools().stream().map((t) -> new ToolDto(t.id(), t.name())).toList();
		String toolUseId = item.toolUseIds().isEmpty() ? null : item.toolUseIds().get(0);
		return new MessageDto(item.uuid(), item.parentUuid(), item.kind().wireName(), iso(item.timestamp()),
				item.model(), preview, TokensDto.of(item.usage()), tools, toolUseId, item.error(), item.sidechain(),
				item.agentId(), item.ordinal() + 1);
	}

	private static long bytes(MessageItem item) {
		long total = 0;
		for (int i = 0; i < item.lineCount(); i++) {
			total += item.lineLength(i);
		}
		return total;
	}

	private static String encode(FileRef file, TranscriptIndex index, int ordinal) {
		String raw = "m1:" + file.id() + ":" + index.generation() + ":" + ordinal;
		return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
	}

	private static int decode(String cursor, FileRef file, TranscriptIndex index) {
		String[] parts;
		try {
			parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("malformed cursor");
		}
		if (parts.length != 4 || !parts[0].equals("m1")) {
			throw new IllegalArgumentException("malformed cursor");
		}
		try {
			if (Long.parseLong(parts[1]) != file.id()) {
				throw new IllegalArgumentException("the cursor belongs to another transcript");
			}
			if (Integer.parseInt(parts[2]) != index.generation()) {
				throw new TranscriptRewrittenException();
			}
			return Integer.parseInt(parts[3]);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("malformed cursor");
		}
	}

	private static String iso(Long epochMillis) {
		return (epochMillis == null) ? null : Instant.ofEpochMilli(epochMillis).toString();
	}

	/** A cursor from before the transcript was truncated or replaced. */
	static final class TranscriptRewrittenException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		TranscriptRewrittenException() {
			super("the transcript was rewritten since this cursor was issued; start again without a cursor");
		}

	}

}
