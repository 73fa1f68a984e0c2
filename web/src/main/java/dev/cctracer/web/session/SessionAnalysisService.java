package dev.cctracer.web.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;

import org.springframework.stereotype.Service;

import dev.cctracer.shared.discovery.Ids;
import dev.cctracer.shared.log.Usage;
import dev.cctracer.shared.pricing.Cost;
import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.shared.pricing.PriceTable;
import dev.cctracer.shared.transcript.MessageItem;
import dev.cctracer.shared.transcript.MessageKind;
import dev.cctracer.shared.transcript.TranscriptIndex;
import dev.cctracer.shared.transcript.TranscriptText;
import dev.cctracer.web.usage.AnswerCache;
import dev.cctracer.web.usage.Dtos.AgentDto;
import dev.cctracer.web.usage.Dtos.SessionDto;
import dev.cctracer.web.usage.NotFoundException;
import dev.cctracer.web.usage.UsageService;
import dev.cctracer.web.session.AnalysisDtos.CodeChangesDto;
import dev.cctracer.web.session.AnalysisDtos.CommandDto;
import dev.cctracer.web.session.AnalysisDtos.CommandsDto;
import dev.cctracer.web.session.AnalysisDtos.CommandsSummaryDto;
import dev.cctracer.web.session.AnalysisDtos.ErrorDto;
import dev.cctracer.web.session.AnalysisDtos.ErrorsDto;
import dev.cctracer.web.session.AnalysisDtos.FileChangeDto;
import dev.cctracer.web.session.AnalysisDtos.SkillDto;
import dev.cctracer.web.session.AnalysisDtos.SkillsDto;
import dev.cctracer.web.session.AnalysisDtos.SubagentDto;
import dev.cctracer.web.session.AnalysisDtos.SubagentsDto;
import dev.cctracer.web.session.AnalysisDtos.ToolStatDto;
import dev.cctracer.web.session.AnalysisDtos.ToolsDto;
import dev.cctracer.web.session.TranscriptCache.Open;
import dev.cctracer.web.session.TranscriptFiles.FileRef;

/**
 * What happened in a session, computed from its transcript indexes (main file and
 * subagent files): tools, subagents, errors, commands, skills and code changes.
 */
@Service
public class SessionAnalysisService {

	/** How a turn's tokens and cost are attributed to tools. */
	static final String TOOL_ATTRIBUTION = "an assistant message's tokens and cost are split evenly over its tool calls";

	private static final Set<String> EDIT_TOOLS = Set.of("Edit", "MultiEdit", "Write", "NotebookEdit");

	private final TranscriptFiles files;

	private final TranscriptCache cache;

	private final AnswerCache answers;

	private final PriceTable prices;

	private final UsageService usage;

	SessionAnalysisService(TranscriptFiles files, TranscriptCache cache, PriceTable prices, UsageService usage,
			AnswerCache answers) {
		this.answers = answers;
		this.files = files;
		this.cache = cache;
		this.prices = prices;
		this.usage = usage;
	}

	/**
	 * An analysis computed once per data version (transcripts change only with a commit):
	 * a page and its API calls read each transcript once, not once per section.
	 */
	private <T> T cached(String key, java.util.function.Supplier<T> compute) {
		return this.answers.get(AnswerCache.ANALYSES, List.of(this.usage.dataVersion(), key), compute);
	}

	/** Drops the cached analyses (admin console); returns how many there were. */
	public int clearCaches() {
		return this.answers.clear(AnswerCache.ANALYSES);
	}

	private List<FileRef> sessionFiles(String project, String session) {
		List<FileRef> refs = this.files.sessionFiles(Ids.requireProjectDir(project), Ids.requireSessionId(session));
		if (refs.isEmpty()) {
			throw NotFoundException.session(project, session);
		}
		return refs;
	}

	/** Tool statistics of a whole session (main and subagents), or of one subagent. */
	ToolsDto tools(String project, String session, String agent) {
		return cached("tools:" + project + "/" + session + "/" + agent, () -> computeTools(project, session, agent));
	}

	private ToolsDto computeTools(String project, String session, String agent) {
		List<FileRef> refs = sessionFiles(project, session);
		if (agent != null) {
			refs = refs.stream().filter((f) -> agent.equals(f.agentId())).toList();
			if (refs.isEmpty()) {
				throw new NotFoundException("subagent not found: " + agent);
			}
		}
		Map<String, ToolAcc> byName = new TreeMap<>();
		for (FileRef ref : refs) {
			try (Open open = this.cache.open(ref)) {
				TranscriptIndex index = open.index();
				Map<String, Long> resultTimes = new HashMap<>();
				Set<String> errors = new HashSet<>();
				for (MessageItem item : index.from(0)) {
					item.toolUseIds().forEach((id) -> resultTimes.putIfAbsent(id, item.timestamp()));
					errors.addAll(item.errorToolUseIds());
				}
				for (MessageItem item : index.from(0)) {
					if (item.tools().isEmpty()) {
						continue;
					}
					int n = item.tools().size();
					Usage u = (item.usage() != null) ? item.usage() : Usage.ZERO;
					long cost = (item.usage() != null) ? cost(item).total() : 0;
					for (MessageItem.ToolUse t : item.tools()) {
						ToolAcc acc = byName.computeIfAbsent(String.valueOf(t.name()), (k) -> new ToolAcc());
						acc.calls++;
						acc.tokens += (double) u.total() / n;
						acc.costPico += (double) cost / n;
						if (errors.contains(t.id())) {
							acc.errors++;
						}
						Long done = resultTimes.get(t.id());
						if (t.timestamp() != null && done != null && done >= t.timestamp()) {
							acc.durations.add((done - t.timestamp()) / 1000.0);
						}
					}
				}
			}
		}
		List<ToolStatDto> stats = new ArrayList<>();
		long total = 0;
		for (Map.Entry<String, ToolAcc> e : byName.entrySet()) {
			ToolAcc a = e.getValue();
			total += a.calls;
			stats.add(new ToolStatDto(e.getKey(), a.calls, a.errors, (a.calls == 0) ? 0 : (double) a.errors / a.calls,
					a.average(), a.p95(), Math.round(a.tokens), Cost.usd(Math.round(a.costPico))));
		}
		stats.sort(Comparator.comparingLong(ToolStatDto::calls).reversed().thenComparing(ToolStatDto::name));
		return new ToolsDto(stats, total, TOOL_ATTRIBUTION);
	}

	/** Subagents of a session in every layout, compaction agents marked. */
	SubagentsDto subagents(String project, String session, CostMode mode) {
		return cached("subagents:" + project + "/" + session + "/" + mode,
				() -> computeSubagents(project, session, mode));
	}

	private SubagentsDto computeSubagents(String project, String session, CostMode mode) {
		List<FileRef> refs = sessionFiles(project, session);
		SessionDto summary = this.usage.session(project, session, mode);
		Map<String, AgentDto> agentTotals = new HashMap<>();
		if (summary.agents() != null) {
			summary.agents().forEach((a) -> agentTotals.put(String.valueOf(a.agentId()), a));
		}
		FileRef main = refs.stream().filter(FileRef::main).findFirst().orElse(null);
		List<SubagentDto> result = new ArrayList<>();
		try (Open mainOpen = (main != null) ? this.cache.open(main) : null) {
			for (FileRef ref : refs) {
				if (ref.main()) {
					continue;
				}
				result.add(subagent(ref, mainOpen, agentTotals.get(ref.agentId())));
			}
			if (mainOpen != null) {
				result.addAll(inlineSidechains(mainOpen, agentTotals));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return new SubagentsDto(result, result.size());
	}

	private SubagentDto subagent(FileRef ref, Open mainOpen, AgentDto totals) throws IOException {
		try (Open open = this.cache.open(ref)) {
			List<MessageItem> items = open.index().from(0);
			long toolCalls = items.stream().mapToLong((i) -> i.tools().size()).sum();
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
			String status = "unknown";
			if (parent != null) {
				MessageItem call = mainOpen.index().callItem(parent);
				if (call != null) {
					for (TranscriptText.ToolCall c : TranscriptText.read(mainOpen.channel(), call).toolCalls()) {
						if (parent.equals(c.id()) && c.input() != null) {
							type = c.input().path("subagent_type").asText(null);
							description = c.input().path("description").asText(null);
							prompt = preview(c.input().path("prompt").asText(null), 200);
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
			if (prompt == null && !items.isEmpty() && items.get(0).kind() == MessageKind.USER) {
				prompt = preview(TranscriptText.read(open.channel(), items.get(0)).text(), 200);
			}
			boolean compaction = ref.agentId() != null && ref.agentId().startsWith("acompact");
			return new SubagentDto(ref.agentId(), layout(ref), compaction, compaction ? "compaction" : type,
					description, prompt, parent, iso(start), iso(end), status, items.size(), toolCalls,
					(totals != null) ? totals.tokens() : null, (totals != null) ? totals.cost() : null);
		}
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
			result.add(new SubagentDto(agent, "inline", false, null, null, null, null, iso(start), iso(end),
					"completed", items.size(), items.stream().mapToLong((i) -> i.tools().size()).sum(),
					(t != null) ? t.tokens() : null, (t != null) ? t.cost() : null));
		});
		return result;
	}

	/** Tool errors of the session, subagents included. */
	ErrorsDto errors(String project, String session) {
		return cached("errors:" + project + "/" + session, () -> computeErrors(project, session));
	}

	private ErrorsDto computeErrors(String project, String session) {
		List<ErrorDto> errors = new ArrayList<>();
		for (FileRef ref : sessionFiles(project, session)) {
			try (Open open = this.cache.open(ref)) {
				for (MessageItem item : open.index().from(0)) {
					if (item.errorToolUseIds().isEmpty()) {
						continue;
					}
					TranscriptText.Content content = TranscriptText.read(open.channel(), item);
					for (TranscriptText.ToolResult r : content.toolResults()) {
						if (r.error()) {
							errors.add(new ErrorDto(iso(item.timestamp()), open.index().toolName(r.toolUseId()),
									preview(r.content(), 500), item.uuid(), ref.main() ? null : ref.agentId()));
						}
					}
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		errors.sort(Comparator.comparing((ErrorDto e) -> String.valueOf(e.timestamp())));
		return new ErrorsDto(errors, errors.size());
	}

	/** User prompts of the main transcript with what each led to. */
	CommandsDto commands(String project, String session) {
		return cached("commands:" + project + "/" + session, () -> computeCommands(project, session));
	}

	private CommandsDto computeCommands(String project, String session) {
		FileRef main = sessionFiles(project, session).stream()
			.filter(FileRef::main)
			.findFirst()
			.orElseThrow(() -> NotFoundException.session(project, session));
		List<CommandDto> commands = new ArrayList<>();
		try (Open open = this.cache.open(main)) {
			List<MessageItem> items = open.index().from(0);
			for (int i = 0; i < items.size(); i++) {
				MessageItem prompt = items.get(i);
				if (prompt.kind() != MessageKind.USER || prompt.interrupt()) {
					continue;
				}
				int steps = 0;
				List<String> toolNames = new ArrayList<>();
				long tokens = 0;
				String model = null;
				boolean interrupted = false;
				for (int j = i + 1; j < items.size(); j++) {
					MessageItem next = items.get(j);
					if (next.kind() == MessageKind.USER) {
						interrupted = next.interrupt();
						if (!interrupted) {
							break;
						}
						continue;
					}
					if (next.kind() == MessageKind.ASSISTANT) {
						steps++;
						next.tools().forEach((t) -> toolNames.add(t.name()));
						tokens += (next.usage() != null) ? next.usage().total() : 0;
						model = (next.model() != null) ? next.model() : model;
					}
				}
				String text = TranscriptText.read(open.channel(), prompt).text();
				commands.add(new CommandDto(preview(text, 500), iso(prompt.timestamp()), prompt.uuid(), steps,
						toolNames.size(), toolNames.stream().distinct().sorted().toList(), tokens, interrupted, model));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		int n = commands.size();
		double steps = commands.stream().mapToInt(CommandDto::assistantSteps).sum();
		double tools = commands.stream().mapToInt(CommandDto::toolsUsed).sum();
		long withTools = commands.stream().filter((c) -> c.toolsUsed() > 0).count();
		long interrupted = commands.stream().filter(CommandDto::followedByInterruption).count();
		return new CommandsDto(commands, new CommandsSummaryDto(n, (n == 0) ? 0 : steps / n, (n == 0) ? 0 : tools / n,
				(n == 0) ? 0 : 100.0 * withTools / n, (n == 0) ? 0 : 100.0 * interrupted / n));
	}

	/** Skill invocations ({@code Skill} tool calls) of the session. */
	SkillsDto skills(String project, String session) {
		return cached("skills:" + project + "/" + session, () -> computeSkills(project, session));
	}

	private SkillsDto computeSkills(String project, String session) {
		Map<String, long[]> bySkill = new TreeMap<>();
		for (FileRef ref : sessionFiles(project, session)) {
			try (Open open = this.cache.open(ref)) {
				for (MessageItem item : open.index().from(0)) {
					if (item.tools().stream().noneMatch((t) -> "Skill".equals(t.name()))) {
						continue;
					}
					for (TranscriptText.ToolCall c : TranscriptText.read(open.channel(), item).toolCalls()) {
						if ("Skill".equals(c.name()) && c.input() != null) {
							long[] acc = bySkill.computeIfAbsent(c.input().path("skill").asText("?"),
									(k) -> new long[2]);
							acc[0]++;
							acc[1] = Math.max(acc[1], (item.timestamp() != null) ? item.timestamp() : 0);
						}
					}
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		List<SkillDto> skills = new ArrayList<>();
		bySkill.forEach((k, v) -> skills.add(new SkillDto(k, v[0], (v[1] > 0) ? iso(v[1]) : null)));
		return new SkillsDto(skills, skills.stream().mapToLong(SkillDto::invocationCount).sum());
	}

	/**
	 * Code changes from Edit, MultiEdit, Write and NotebookEdit calls (subagents
	 * included, failed calls excluded): lines from Claude Code's own patch
	 * ({@code toolUseResult.structuredPatch}) when logged, else a line diff of the call's
	 * input; a file is created when its first change created it.
	 */
	CodeChangesDto codeChanges(String project, String session) {
		return cached("changes:" + project + "/" + session, () -> computeCodeChanges(project, session));
	}

	private CodeChangesDto computeCodeChanges(String project, String session) {
		Map<String, FileAcc> byFile = new TreeMap<>();
		for (FileRef ref : sessionFiles(project, session)) {
			try (Open open = this.cache.open(ref)) {
				TranscriptIndex index = open.index();
				Set<String> failed = new HashSet<>();
				index.from(0).forEach((i) -> failed.addAll(i.errorToolUseIds()));
				for (MessageItem item : index.from(0)) {
					if (item.tools().stream().noneMatch((t) -> EDIT_TOOLS.contains(t.name()))) {
						continue;
					}
					for (TranscriptText.ToolCall call : TranscriptText.read(open.channel(), item).toolCalls()) {
						if (!EDIT_TOOLS.contains(call.name()) || failed.contains(call.id()) || call.input() == null) {
							continue;
						}
						MessageItem resultItem = index.resultItem(call.id());
						if (resultItem == null) {
							continue; // no result yet: not applied
						}
						JsonNode result = TranscriptText.read(open.channel(), resultItem).toolUseResult();
						applyChange(byFile, call, result);
					}
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		List<FileChangeDto> changes = new ArrayList<>();
		long added = 0;
		long removed = 0;
		int created = 0;
		for (Map.Entry<String, FileAcc> e : byFile.entrySet()) {
			FileAcc a = e.getValue();
			changes.add(new FileChangeDto(e.getKey(), a.created ? "created" : "modified", a.added, a.removed, a.edits));
			added += a.added;
			removed += a.removed;
			created += a.created ? 1 : 0;
		}
		return new CodeChangesDto(created, byFile.size() - created, added, removed, added - removed, changes);
	}

	private static void applyChange(Map<String, FileAcc> byFile, TranscriptText.ToolCall call, JsonNode result) {
		JsonNode in = call.input();
		String path = in.hasNonNull("file_path") ? in.get("file_path").asText() : in.path("notebook_path").asText(null);
		if (path == null) {
			return;
		}
		FileAcc acc = byFile.computeIfAbsent(path, (k) -> new FileAcc());
		if (acc.edits == 0) {
			acc.created = "Write".equals(call.name()) && result != null
					&& "create".equals(result.path("type").asText());
		}
		acc.edits++;
		JsonNode patch = (result != null) ? result.get("structuredPatch") : null;
		if (patch != null && patch.isArray() && !patch.isEmpty()) {
			for (JsonNode hunk : patch) {
				for (JsonNode line : hunk.path("lines")) {
					String l = line.asText();
					if (l.startsWith("+")) {
						acc.added++;
					}
					else if (l.startsWith("-")) {
						acc.removed++;
					}
				}
			}
			return;
		}
		switch (call.name()) {
			case "Write" -> acc.added += lines(in.path("content").asText(""));
			case "Edit" -> diff(acc, in.path("old_string").asText(""), in.path("new_string").asText(""));
			case "MultiEdit" -> in.path("edits")
				.forEach((e) -> diff(acc, e.path("old_string").asText(""), e.path("new_string").asText("")));
			case "NotebookEdit" -> {
				if ("delete".equals(in.path("edit_mode").asText())) {
					acc.removed += 1;
				}
				else {
					acc.added += lines(in.path("new_source").asText(""));
				}
			}
			default -> {
			}
		}
	}

	private static void diff(FileAcc acc, String before, String after) {
		for (AbstractDelta<String> delta : DiffUtils.diff(split(before), split(after)).getDeltas()) {
			acc.removed += delta.getSource().size();
			acc.added += delta.getTarget().size();
		}
	}

	private static List<String> split(String s) {
		return s.isEmpty() ? List.of() : Arrays.asList(s.split("\n", -1));
	}

	private static long lines(String s) {
		if (s.isEmpty()) {
			return 0;
		}
		long n = s.chars().filter((c) -> c == '\n').count();
		return s.endsWith("\n") ? n : n + 1;
	}

	private Cost cost(MessageItem item) {
		return this.prices.cost(item.model(), (item.timestamp() != null) ? item.timestamp() : 0, item.usage());
	}

	private static String layout(FileRef ref) {
		return switch (ref.kind()) {
			case "SUBAGENT" -> "subagents";
			case "WORKFLOW_AGENT" -> "workflows";
			case "LEGACY_AGENT" -> "legacy";
			default -> ref.kind().toLowerCase(java.util.Locale.ROOT);
		};
	}

	private static String preview(String s, int max) {
		if (s == null) {
			return null;
		}
		String t = s.strip();
		return (t.length() <= max) ? t : t.substring(0, max - 1) + "…";
	}

	private static String iso(Long epochMillis) {
		return (epochMillis == null) ? null : Instant.ofEpochMilli(epochMillis).toString();
	}

	private static final class ToolAcc {

		long calls;

		long errors;

		double tokens;

		double costPico;

		final List<Double> durations = new ArrayList<>();

		Double average() {
			return this.durations.isEmpty() ? null
					: this.durations.stream().mapToDouble(Double::doubleValue).average().orElse(0);
		}

		/** Nearest-rank 95th percentile. */
		Double p95() {
			if (this.durations.isEmpty()) {
				return null;
			}
			List<Double> sorted = this.durations.stream().sorted().toList();
			return sorted.get((int) Math.ceil(0.95 * sorted.size()) - 1);
		}

	}

	private static final class FileAcc {

		boolean created;

		long added;

		long removed;

		int edits;

	}

}
