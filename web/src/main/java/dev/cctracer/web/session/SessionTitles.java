package dev.cctracer.web.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import dev.cctracer.shared.discovery.Ids;
import dev.cctracer.shared.transcript.MessageItem;
import dev.cctracer.shared.transcript.MessageKind;
import dev.cctracer.shared.transcript.Redactor;
import dev.cctracer.shared.transcript.TranscriptText;
import dev.cctracer.web.session.TranscriptCache.Open;
import dev.cctracer.web.usage.Dtos.SessionDto;
import dev.cctracer.web.usage.IndexedFiles;
import dev.cctracer.web.usage.IndexedFiles.FileRef;
import dev.cctracer.web.usage.NotFoundException;

/**
 * What a session is called when it has no title (custom or AI): the first prompt of its
 * main transcript, the user's own words (not a command's output, not a tool result), else
 * its first slash command typed with arguments, as {@code /name args}, whitespace folded,
 * redacted and cut to {@link SessionDto#TITLE_CHARS} characters. Only the transcript's
 * first {@value #HEAD_BYTES} bytes are read; the answer is kept per file and generation
 * (a prompt, once written, does not change).
 */
@Component
public class SessionTitles {

	/** How much of a transcript's start is read for its first prompt (bytes). */
	static final long HEAD_BYTES = 256 * 1024;

	private static final int MAX_KEPT = 20_000;

	private static final Pattern COMMAND_NAME = Pattern.compile("<command-name>([^<]+)</command-name>");

	private static final Pattern COMMAND_ARGS = Pattern.compile("<command-args>([\\s\\S]*?)</command-args>");

	/**
	 * Up to this many untitled sessions, their main files are looked up one by one rather
	 * than all sessions' in one query.
	 */
	private static final int FEW = 8;

	private final IndexedFiles files;

	private final TranscriptCache transcripts;

	/** File id → what its head said. */
	private final Map<Long, Found> found = new LinkedHashMap<>(256, 0.75f, true) {
		@Override
		protected boolean removeEldestEntry(Map.Entry<Long, Found> eldest) {
			return size() > MAX_KEPT;
		}
	};

	/**
	 * A file's first prompt ({@code null}: none in its first {@code seen} bytes, the head
	 * or the committed part when smaller).
	 */
	private record Found(int generation, long seen, String prompt, String command) {

		/** The prompt, else the first slash command typed with arguments. */
		String title() {
			return (this.prompt != null) ? this.prompt : this.command;
		}

	}

	SessionTitles(IndexedFiles files, TranscriptCache transcripts) {
		this.files = files;
		this.transcripts = transcripts;
	}

	/**
	 * The sessions with the first prompt of each that has no title; the transcripts read
	 * once. The main files are looked up one by one for a few untitled sessions (a
	 * session's own page), in one query over every session for more, and not at all when
	 * every session has a title.
	 */
	public List<SessionDto> withFirstPrompts(List<SessionDto> sessions) {
		List<SessionDto> untitled = sessions.stream().filter((s) -> s.title() == null).toList();
		if (untitled.isEmpty()) {
			return sessions;
		}
		Map<String, FileRef> mains = (untitled.size() > FEW) ? this.files.mainFiles() : mainFilesOf(untitled);
		List<SessionDto> result = new ArrayList<>(sessions.size());
		for (SessionDto s : sessions) {
			result.add((s.title() != null) ? s : s.withFirstPrompt(firstPrompt(mains, s)));
		}
		return result;
	}

	/**
	 * A test of a session against a search: the text (case-insensitive) in its title,
	 * else its first prompt, or its agent name or id; {@code null} for a blank search.
	 */
	public Predicate<SessionDto> search(String q) {
		if (q == null || q.isBlank()) {
			return null;
		}
		String needle = q.strip().toLowerCase(Locale.ROOT);
		Map<String, FileRef> mains = this.files.mainFiles();
		return (s) -> contains(s.title(), needle) || contains(s.agentName(), needle)
				|| s.sessionId().toLowerCase(Locale.ROOT).startsWith(needle)
				|| (s.title() == null && contains(firstPrompt(mains, s), needle));
	}

	private static boolean contains(String text, String needle) {
		return text != null && text.toLowerCase(Locale.ROOT).contains(needle);
	}

	/** The main files of these sessions, by {@code <project>/<session>}: a query each. */
	private Map<String, FileRef> mainFilesOf(List<SessionDto> sessions) {
		Map<String, FileRef> mains = new HashMap<>();
		for (SessionDto s : sessions) {
			try {
				this.files.mainFile(s.pathHash(), s.sessionId()).ifPresent((f) -> mains.put(key(s), f));
			}
			catch (Ids.InvalidIdException ex) {
				// an id the lookup refuses (the one query over every session takes any):
				// no prompt to show
			}
		}
		return mains;
	}

	private static String key(SessionDto s) {
		return s.pathHash() + "/" + s.sessionId();
	}

	private String firstPrompt(Map<String, FileRef> mains, SessionDto s) {
		FileRef file = mains.get(key(s));
		if (file == null) {
			return null;
		}
		synchronized (this.found) {
			Found f = this.found.get(file.id());
			if (f != null && f.generation() == file.generation() && (f.prompt() != null || f.seen() >= seen(file))) {
				return f.title();
			}
		}
		Found f;
		try {
			f = read(file);
		}
		catch (NotFoundException | UncheckedIOException ex) {
			// the transcript is gone or on another machine's disk: no prompt to show
			return null;
		}
		synchronized (this.found) {
			this.found.put(file.id(), f);
		}
		return f.title();
	}

	private static long seen(FileRef file) {
		return Math.min(file.committedOffset(), HEAD_BYTES);
	}

	private Found read(FileRef file) {
		try (Open open = this.transcripts.openHead(file, HEAD_BYTES)) {
			String command = null;
			for (MessageItem item : open.index().from(0)) {
				if ((item.kind() != MessageKind.USER && item.kind() != MessageKind.HOOK) || item.interrupt()) {
					continue;
				}
				String text = TranscriptText.read(open.channel(), item).text();
				if (item.kind() == MessageKind.HOOK) {
					// a prompt typed later wins over a command (/model opus, then a task)
					command = (command != null) ? command : command(text);
					continue;
				}
				String prompt = prompt(text);
				if (prompt != null) {
					return new Found(file.generation(), seen(file), prompt, command);
				}
			}
			// a command alone is kept only until more of the head is read
			return new Found(file.generation(), seen(file), null, command);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A slash command the user typed with arguments, as a title: {@code /name args}
	 * (Claude Code logs {@code /orchestrator create a TODO app} as
	 * {@code <command-name>/orchestrator</command-name>} and
	 * {@code <command-args>create a TODO app</command-args>}); {@code null} for any other
	 * text, and for a command without arguments ({@code /clear}, {@code /model}: they say
	 * nothing of the session).
	 */
	static String command(String text) {
		if (text == null) {
			return null;
		}
		Matcher name = COMMAND_NAME.matcher(text);
		Matcher args = COMMAND_ARGS.matcher(text);
		if (!name.find() || !args.find() || args.group(1).isBlank()) {
			return null;
		}
		String command = name.group(1).strip();
		return prompt((command.startsWith("/") ? "" : "/") + command + " " + args.group(1));
	}

	/**
	 * A prompt as a title: whitespace folded, redacted, cut to
	 * {@link SessionDto#TITLE_CHARS}; {@code null} for what the user did not type (blank,
	 * a command or its output, a caveat Claude Code adds).
	 */
	static String prompt(String text) {
		if (text == null) {
			return null;
		}
		String folded = text.strip().replaceAll("\\s+", " ");
		if (folded.isEmpty() || folded.startsWith("<") || folded.startsWith("Caveat:")
				|| folded.startsWith("[Request interrupted")) {
			return null;
		}
		String safe = Redactor.redact(folded);
		return (safe.length() > SessionDto.TITLE_CHARS) ? safe.substring(0, SessionDto.TITLE_CHARS - 1).strip() + "…"
				: safe;
	}

}
