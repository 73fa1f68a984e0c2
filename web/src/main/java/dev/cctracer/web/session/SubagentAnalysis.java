package dev.cctracer.web.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;

import dev.cctracer.shared.transcript.MessageItem;
import dev.cctracer.shared.transcript.MessageKind;
import dev.cctracer.shared.transcript.TranscriptText;
import dev.cctracer.web.session.AnalysisDtos.SubagentDto;
import dev.cctracer.web.session.AnalysisDtos.SubagentsDto;
import dev.cctracer.web.session.TranscriptCache.Open;
import dev.cctracer.web.usage.AgentNames;
import dev.cctracer.web.usage.Dtos.AgentDto;
import dev.cctracer.web.usage.IndexedFiles.FileRef;

/**
 * The subagents of a session in every layout Claude Code has written them
 * ({@code <session>/subagents/agent-<id>.jsonl}, {@code subagents/workflows/<wf>/}, the
 * legacy flat {@code agent-<id>.jsonl}, and sidechains inline in the main transcript),
 * compaction agents marked: what each was asked, by which {@code Task} call, when it ran
 * (UTC), how it ended, and its tokens and cost (USD).
 */
@Component
class SubagentAnalysis {

	private final TranscriptCache cache;

	SubagentAnalysis(TranscriptCache cache) {
		this.cache = cache;
	}

	/**
	 * The subagents of a session's transcripts: one per subagent file, then one per agent
	 * of the inline sidechains of the main transcript, then one per subagent file not on
	 * this disk, known by its totals: status {@code transcript removed} (Claude Code's
	 * cleanup) or {@code transcript on another machine} (a teammate's).
	 * @param refs the session's files on disk (main file first when there is one)
	 * @param gone its subagent files not on this disk
	 * @param elsewhere ids of those of {@code gone} live on another machine
	 * @param agents the session's usage per agent (tokens, cost in USD, type and
	 * description from {@code agent-<id>.meta.json}), or {@code null}
	 * @param countedToolCalls the tool calls the totals count per file id: a subagent
	 * file's {@code tool_calls}, as its messages and tokens, leaves out the responses
	 * counted elsewhere (a side question's replay of the session); a file missing here
	 * counts its transcript's calls
	 * @throws UncheckedIOException when a transcript cannot be read
	 */
	SubagentsDto subagents(List<FileRef> refs, List<FileRef> gone, Set<Long> elsewhere, List<AgentDto> agents,
			Map<Long, Long> countedToolCalls) {
		Map<String, AgentDto> agentTotals = new HashMap<>();
		if (agents != null) {
			agents.forEach((a) -> agentTotals.put(String.valueOf(a.agentId()), a));
		}
		FileRef main = FileRef.mainOf(refs);
		List<SubagentDto> result = new ArrayList<>();
		try (Open mainOpen = (main != null) ? this.cache.open(main) : null) {
			for (FileRef ref : refs) {
				if (ref.main()) {
					continue;
				}
				result.add(subagent(ref, mainOpen, agentTotals.get(ref.agentId()), countedToolCalls.get(ref.id())));
			}
			if (mainOpen != null) {
				result.addAll(inlineSidechains(mainOpen, agentTotals));
			}
			for (FileRef ref : gone) {
				AgentDto totals = agentTotals.get(ref.agentId());
				boolean compaction = ref.agentId() != null && ref.agentId().startsWith(AgentNames.COMPACTION_PREFIX);
				Long calls = countedToolCalls.get(ref.id());
				result.add(new SubagentDto(ref.agentId(), layout(ref), compaction,
						compaction ? "compaction" : (totals != null) ? totals.agentType() : null,
						(totals != null) ? totals.description() : null, null,
						(mainOpen != null) ? mainOpen.index().parentToolUse(ref.agentId()) : null, null, null,
						elsewhere.contains(ref.id()) ? "transcript on another machine" : "transcript removed",
						(totals != null) ? totals.messageCount() : 0, (calls != null) ? calls : 0,
						(totals != null) ? totals.tokens() : null, (totals != null) ? totals.cost() : null));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return new SubagentsDto(result, result.size());
	}

	private SubagentDto subagent(FileRef ref, Open mainOpen, AgentDto totals, Long countedToolCalls)
			throws IOException {
		try (Open open = this.cache.open(ref)) {
			List<MessageItem> items = open.index().from(0);
			long toolCalls = (countedToolCalls != null) ? countedToolCalls
					: items.stream().mapToLong((i) -> i.tools().size()).sum();
			Long start = items.stream()
				.map(MessageItem::timestamp)
				.filter((t) -> t != null)
				.min(Long::compare)
				.orElse(null);
			Long end = items.stream()
				.map(MessageItem::timestamp)
				.filter((t) -> t != null)
				.max(Long::compare)
				.orElse(null);
			String parent = (mainOpen != null) ? mainOpen.index().parentToolUse(ref.agentId()) : null;
			String type = null;
			String description = null;
			String prompt = null;
			String status = ownStatus(items);
			if (parent != null) {
				MessageItem call = mainOpen.index().callItem(parent);
				if (call != null) {
					for (TranscriptText.ToolCall c : TranscriptText.read(mainOpen.channel(), call).toolCalls()) {
						if (parent.equals(c.id()) && c.input() != null) {
							type = c.input().path("subagent_type").asText(null);
							description = c.input().path("description").asText(null);
							prompt = DtoFields.preview(c.input().path("prompt").asText(null), 200);
						}
					}
				}
				MessageItem result = mainOpen.index().resultItem(parent);
				status = (result == null) ? "running or interrupted"
						: result.errorToolUseIds().contains(parent) ? "failed" : "completed";
			}
			if (totals != null) {
				// what its agent-<id>.meta.json says, where the Task call does not
				type = (type != null) ? type : totals.agentType();
				description = (description != null) ? description : totals.description();
			}
			SideQuestion question = (ref.agentId() != null && ref.agentId().startsWith(AgentNames.SIDE_QUESTION_PREFIX))
					? sideQuestion(open, items) : null;
			if (question != null) {
				// its transcript replays the session up to the question: the question
				// is its own part (its card said 1h 11m and the session's first prompt
				// for a 7 s answer)
				start = (question.at() != null) ? question.at() : start;
				prompt = (question.text() != null) ? DtoFields.preview(question.text(), 200) : null;
			}
			if (prompt == null && question == null && !items.isEmpty() && items.get(0).kind() == MessageKind.USER) {
				prompt = DtoFields.preview(TranscriptText.read(open.channel(), items.get(0)).text(), 200);
			}
			boolean compaction = ref.agentId() != null && ref.agentId().startsWith(AgentNames.COMPACTION_PREFIX);
			return new SubagentDto(ref.agentId(), layout(ref), compaction, compaction ? "compaction" : type,
					description, prompt, parent, DtoFields.iso(start), DtoFields.iso(end), status,
					(totals != null) ? totals.messageCount() : 0, toolCalls, (totals != null) ? totals.tokens() : null,
					(totals != null) ? totals.cost() : null);
		}
	}

	/**
	 * The status of a subagent no Task call of the main transcript launched (a
	 * compaction, a side question, or any subagent of a session whose main transcript is
	 * not here), by its own transcript's last entry: a response without tool calls ends
	 * its work ({@code completed}), an API error ends it ({@code failed}), anything else
	 * is {@code running or interrupted}; {@code unknown} for a transcript of no entries.
	 * (A compaction's and a side question's transcripts end with their answer, as in
	 * {@code ../shared/realdata}; they had all read {@code unknown}.)
	 */
	static String ownStatus(List<MessageItem> items) {
		MessageItem last = null;
		for (int i = items.size() - 1; i >= 0 && last == null; i--) {
			// Claude Code's own lines after the answer (a hook's summary, a system
			// notice) say nothing of how the work ended
			MessageKind kind = items.get(i).kind();
			if (kind != MessageKind.HOOK && kind != MessageKind.SYSTEM) {
				last = items.get(i);
			}
		}
		if (last == null) {
			return "unknown";
		}
		if (last.kind() == MessageKind.API_ERROR) {
			return "failed";
		}
		return (last.kind() == MessageKind.ASSISTANT && last.tools().isEmpty()) ? "completed"
				: "running or interrupted";
	}

	/**
	 * The reminder Claude Code 2.1 puts before a side question (/btw) in its transcript,
	 * as {@code ../shared/realdata/cc-2026/omarchy-backup} has it.
	 */
	static final String SIDE_QUESTION_REMINDER = "<system-reminder>This is a side question from the user.";

	private static final String REMINDER_END = "</system-reminder>";

	/** A side question: when it was asked (epoch ms) and its text. */
	record SideQuestion(Long at, String text) {

	}

	/**
	 * A side question's transcript's last prompt, when it opens with
	 * {@link #SIDE_QUESTION_REMINDER}: its time (epoch ms, {@code null} when the line has
	 * none) and the question after the reminder ({@code null} when blank); {@code null}
	 * when the last prompt is not one (another wording: the card then spans the whole
	 * transcript, as before). Reads that one prompt, not the replay before it.
	 */
	private static SideQuestion sideQuestion(Open open, List<MessageItem> items) throws IOException {
		for (int i = items.size() - 1; i >= 0; i--) {
			MessageItem item = items.get(i);
			if (item.kind() != MessageKind.USER && item.kind() != MessageKind.HOOK) {
				continue;
			}
			String text = TranscriptText.read(open.channel(), item).text();
			if (item.kind() == MessageKind.HOOK && (text == null || text.isBlank())) {
				// a stop hook's summary or a hook's failure: no prompt, look before it
				continue;
			}
			if (text == null || !text.startsWith(SIDE_QUESTION_REMINDER)) {
				return null;
			}
			int end = text.indexOf(REMINDER_END);
			String question = (end < 0) ? "" : text.substring(end + REMINDER_END.length()).strip();
			return new SideQuestion(item.timestamp(), question.isEmpty() ? null : question);
		}
		return null;
	}

	private static List<SubagentDto> inlineSidechains(Open main, Map<String, AgentDto> totals) {
		Map<String, List<MessageItem>> byAgent = new LinkedHashMap<>();
		for (MessageItem item : main.index().from(0)) {
			if (item.kind() == MessageKind.SUBAGENT) {
				String agent = (item.agentId() != null) ? item.agentId() : "sidechain";
				byAgent.computeIfAbsent(agent, (k) -> new ArrayList<>()).add(item);
			}
		}
		List<SubagentDto> result = new ArrayList<>();
		byAgent.forEach((agent, items) -> {
			AgentDto t = totals.get(agent);
			Long start = items.stream()
				.map(MessageItem::timestamp)
				.filter((x) -> x != null)
				.min(Long::compare)
				.orElse(null);
			Long end = items.stream()
				.map(MessageItem::timestamp)
				.filter((x) -> x != null)
				.max(Long::compare)
				.orElse(null);
			result.add(new SubagentDto(agent, "inline", false, null, null, null, null, DtoFields.iso(start),
					DtoFields.iso(end), "completed", (t != null) ? t.messageCount() : 0,
					items.stream().mapToLong((i) -> i.tools().size()).sum(), (t != null) ? t.tokens() : null,
					(t != null) ? t.cost() : null));
		});
		return result;
	}

	private static String layout(FileRef ref) {
		return switch (ref.kind()) {
			case "SUBAGENT" -> "subagents";
			case "WORKFLOW_AGENT" -> "workflows";
			case "LEGACY_AGENT" -> "legacy";
			default -> ref.kind().toLowerCase(Locale.ROOT);
		};
	}

}
