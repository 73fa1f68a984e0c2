package dev.cctracer.web.session;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;

import dev.cctracer.shared.discovery.Ids;
import dev.cctracer.shared.job.ToolStat;
import dev.cctracer.shared.job.ToolStatsJobRequest;
import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.job.JobService;
import dev.cctracer.web.session.AnalysisDtos.CodeChangesDto;
import dev.cctracer.web.session.AnalysisDtos.CommandsDto;
import dev.cctracer.web.session.AnalysisDtos.CompactionDto;
import dev.cctracer.web.session.AnalysisDtos.CompactionsDto;
import dev.cctracer.web.session.AnalysisDtos.ErrorDto;
import dev.cctracer.web.session.AnalysisDtos.ErrorsDto;
import dev.cctracer.web.session.AnalysisDtos.HooksDto;
import dev.cctracer.web.session.AnalysisDtos.SkillsDto;
import dev.cctracer.web.session.AnalysisDtos.SubagentsDto;
import dev.cctracer.web.session.AnalysisDtos.ToolsDto;
import dev.cctracer.web.usage.AnswerCache;
import dev.cctracer.web.usage.IndexedFiles.FileRef;
import dev.cctracer.web.usage.IndexedFiles.SessionFiles;
import dev.cctracer.web.usage.IndexedFiles;
import dev.cctracer.web.usage.NotFoundException;
import dev.cctracer.web.usage.UsageService;

/**
 * What happened in a session, computed from its transcript indexes (main file and
 * subagent files): tools, subagents, errors, commands, skills, code changes and hooks.
 * <p>
 * This class finds a session's files and caches each analysis per data version; the
 * analyses themselves are {@link ToolCallAnalysis}, {@link SubagentAnalysis},
 * {@link CommandAnalysis}, {@link CodeChangeAnalysis} and {@link HookAnalysis}.
 */
@Service
public class SessionAnalysisService {

	private final IndexedFiles files;

	private final AnswerCache answers;

	private final UsageService usage;

	private final ToolCallAnalysis toolCalls;

	private final SubagentAnalysis subagents;

	private final CommandAnalysis commands;

	private final CodeChangeAnalysis codeChanges;

	private final HookAnalysis hooks;

	/** The tools of a tool statistics job's result. */
	private static final TypeReference<List<ToolStat>> TOOL_STATS = new TypeReference<>() {
	};

	private final JobService jobs;

	private final FactErrors factErrors;

	private final ObjectMapper json;

	private final CompactionAnalysis compactions;

	SessionAnalysisService(IndexedFiles files, UsageService usage, AnswerCache answers, ToolCallAnalysis toolCalls,
			SubagentAnalysis subagents, CommandAnalysis commands, CodeChangeAnalysis codeChanges, JobService jobs,
			ObjectMapper json, FactErrors factErrors, HookAnalysis hooks, CompactionAnalysis compactions) {
		this.compactions = compactions;
		this.hooks = hooks;
		this.factErrors = factErrors;
		this.jobs = jobs;
		this.json = json;
		this.answers = answers;
		this.files = files;
		this.usage = usage;
		this.toolCalls = toolCalls;
		this.subagents = subagents;
		this.commands = commands;
		this.codeChanges = codeChanges;
	}

	/**
	 * An analysis computed once per data version (transcripts change only with a commit):
	 * a page and its API calls read each transcript once, not once per section.
	 */
	private <T> T cached(String key, Supplier<T> compute) {
		return this.answers.get(AnswerCache.ANALYSES, List.of(this.usage.dataVersion(), key), compute);
	}

	/** Drops the cached analyses (admin console); returns how many there were. */
	public int clearCaches() {
		return this.answers.clear(AnswerCache.ANALYSES);
	}

	/** The session's transcripts on this machine's disk, its main file first. */
	private List<FileRef> sessionFiles(String project, String session) {
		SessionFiles files = files(project, session);
		if (files.onDisk().isEmpty()) {
			throw files.allRemoved() ? NotFoundException.transcriptsGone(project, session)
					: NotFoundException.session(project, session);
		}
		return files.onDisk();
	}

	/**
	 * The session's transcripts on the disk and those Claude Code removed (their totals
	 * stay; what reads transcripts covers the others), in one read.
	 * @throws Ids.InvalidIdException when an id is malformed
	 */
	SessionFiles files(String project, String session) {
		return this.files.sessionFilesWithRemoved(project, session);
	}

	/**
	 * The lines of the session's transcripts the ingest skipped.
	 * @throws Ids.InvalidIdException when an id is malformed
	 */
	IndexedFiles.SkippedLines skippedLines(String project, String session) {
		return this.files.skippedLines(project, session);
	}

	/**
	 * Tool statistics of a session one or more of whose transcripts are gone, from the
	 * facts (which keep every transcript's tool blocks, those still on disk too): 200
	 * with those of the current data version, else 202 with the job computing them
	 * ({@link JobService#answerOrStart}). The same fields as {@link #tools}, plus
	 * {@code scope} and {@code data_version}.
	 */
	ResponseEntity<?> toolsFromFacts(String project, String session) {
		return this.jobs.answerOrStart("tools", factsToolsQuestion(project, session),
				"tool statistics of session " + session + " (from the facts)",
				new ToolStatsJobRequest(project, session));
	}

	/**
	 * The tool statistics of a session one or more of whose transcripts are gone, as the
	 * page shows them: computed from the facts for the current data version, or empty
	 * (the page's script then asks {@link #toolsFromFacts}, which starts their job).
	 */
	Optional<ToolsDto> factsToolsIfComputed(String project, String session) {
		Optional<JobService.VersionedResult> found = this.jobs
			.recentResult("tools", factsToolsQuestion(project, session), 1)
			.filter(JobService.VersionedResult::current);
		if (found.isEmpty()) {
			return Optional.empty();
		}
		try {
			JsonNode result = this.json.readTree(found.get().resultJson());
			List<ToolStat> tools = this.json.convertValue(result.path("tools"), TOOL_STATS);
			return Optional.of(new ToolsDto(tools, result.path("total_calls").asLong(),
					result.path("attribution").asText("") + " (from the facts: transcripts are gone)"));
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("the tool statistics job wrote unreadable JSON", ex);
		}
	}

	private static String factsToolsQuestion(String project, String session) {
		return Ids.requireProjectDir(project) + "/" + Ids.requireSessionId(session);
	}

	/** Tool statistics of a whole session (main and subagents), or of one subagent. */
	ToolsDto tools(String project, String session, String agent) {
		return cached("tools:" + project + "/" + session + "/" + agent, () -> {
			List<FileRef> refs = sessionFiles(project, session);
			if (agent != null) {
				refs = refs.stream().filter((f) -> agent.equals(f.agentId())).toList();
				if (refs.isEmpty()) {
					throw new NotFoundException("subagent not found: " + agent);
				}
			}
			return this.toolCalls.tools(refs);
		});
	}

	/** Subagents of a session in every layout, compaction agents marked. */
	SubagentsDto subagents(String project, String session, CostMode mode) {
		return cached("subagents:" + project + "/" + session + "/" + mode, () -> {
			// the files on disk, and the subagent files Claude Code removed (their totals
			// stay, so they are listed as the summary counts them)
			SessionFiles files = files(project, session);
			if (files.onDisk().isEmpty() && files.removed().isEmpty()) {
				throw NotFoundException.session(project, session);
			}
			List<FileRef> gone = files.removed().stream().filter((f) -> !f.main()).toList();
			List<FileRef> all = new ArrayList<>(files.onDisk());
			all.addAll(files.removed());
			return this.subagents.subagents(files.onDisk(), gone, files.elsewhere(),
					this.usage.session(project, session, mode).agents(), this.files.countedToolCalls(all));
		});
	}

	/**
	 * Tool errors of the session, subagents included: those of the transcripts on disk
	 * read from them, those of the transcripts Claude Code removed from the facts
	 * ({@link FactErrors}); a failure replayed in several transcripts (the same
	 * {@code tool_use_id}) is listed once, the main transcript's; one another session
	 * counts (a fork's or a copied transcript's copy) is not listed, as the session's
	 * {@code errors} does not count it (a trial's copy read "0 errors" over a list of 3).
	 */
	ErrorsDto errors(String project, String session) {
		return cached("errors:" + project + "/" + session, () -> {
			SessionFiles files = files(project, session);
			if (files.onDisk().isEmpty() && files.removed().isEmpty()) {
				throw NotFoundException.session(project, session);
			}
			// the calls whose failure is listed already, or is not listed here at all
			// (another session counts it); each reader below adds what it lists
			Set<String> listed = this.files.failuresCountedElsewhere(project, session);
			List<ErrorDto> errors = new ArrayList<>();
			List<FileRef> removedMain = files.removed().stream().filter(FileRef::main).toList();
			errors.addAll(this.factErrors.errors(project, session, removedMain, listed).errors());
			errors.addAll(this.toolCalls.errors(files.onDisk(), listed).errors());
			List<FileRef> removedSubagents = files.removed().stream().filter((f) -> !f.main()).toList();
			errors.addAll(this.factErrors.errors(project, session, removedSubagents, listed).errors());
			errors.sort(Comparator.comparing((ErrorDto e) -> String.valueOf(e.timestamp())));
			return new ErrorsDto(errors, errors.size());
		});
	}

	/**
	 * The compactions of the session's transcripts on this disk, subagents included
	 * ({@link CompactionAnalysis}); a removed transcript's are not known (the facts keep
	 * no compaction).
	 * @throws NotFoundException when no transcript of the session is on this disk
	 */
	CompactionsDto compactions(String project, String session) {
		return cached("compactions:" + project + "/" + session, () -> {
			SessionFiles files = files(project, session);
			if (files.onDisk().isEmpty()) {
				throw NotFoundException.session(project, session);
			}
			return this.compactions.compactions(files.onDisk());
		});
	}

	/**
	 * The compactions of one subagent's transcript ({@code agent} not {@code null}), else
	 * of the whole session, as {@link #errors(String, String, String)} splits its errors.
	 */
	CompactionsDto compactions(String project, String session, String agent) {
		CompactionsDto all = compactions(project, session);
		if (agent == null) {
			return all;
		}
		List<CompactionDto> mine = all.compactions().stream().filter((c) -> agent.equals(c.agentId())).toList();
		return new CompactionsDto(mine, mine.size());
	}

	/**
	 * Tool errors of one subagent ({@code agent} not {@code null}: its own file, or its
	 * inline sidechain lines), else of the whole session.
	 */
	ErrorsDto errors(String project, String session, String agent) {
		ErrorsDto all = errors(project, session);
		if (agent == null) {
			return all;
		}
		List<ErrorDto> mine = all.errors().stream().filter((e) -> agent.equals(e.agentId())).toList();
		return new ErrorsDto(mine, mine.size());
	}

	/** User prompts of the main transcript with what each led to. */
	CommandsDto commands(String project, String session) {
		return commands(project, session, null);
	}

	/**
	 * User prompts of the main transcript, or of a subagent's transcript (the task it was
	 * given, and any prompt after it), with what each led to.
	 * @throws NotFoundException when the session or the subagent's file is unknown, or
	 * the session has no main transcript (its subagents' only, or Claude Code removed it)
	 */
	CommandsDto commands(String project, String session, String agent) {
		return cached("commands:" + project + "/" + session + "/" + agent, () -> {
			List<FileRef> files = sessionFiles(project, session);
			FileRef file = files.stream()
				.filter((f) -> (agent == null) ? f.main() : !f.main() && agent.equals(f.agentId()))
				.findFirst()
				.orElseThrow(() -> (agent != null) ? new NotFoundException("subagent not found: " + agent)
						: !files(project, session).removed().isEmpty()
								? NotFoundException.mainTranscriptGone(project, session)
								// known from its subagents' transcripts alone: the same
								// answer as its timeline's
								: NotFoundException.noMainTranscript(project, session));
			// a subagent's own prompts: what it repeats of the main transcript is the
			// main conversation's
			return (agent == null) ? this.commands.commands(file) : this.commands.commands(file, FileRef.mainOf(files));
		});
	}

	/** Skill invocations ({@code Skill} tool calls) of the session. */
	SkillsDto skills(String project, String session) {
		return cached("skills:" + project + "/" + session, () -> this.toolCalls.skills(sessionFiles(project, session)));
	}

	/**
	 * Code changes from Edit, MultiEdit, Write and NotebookEdit calls (subagents
	 * included, failed calls excluded): lines from Claude Code's own patch
	 * ({@code toolUseResult.structuredPatch}) when logged, else a line diff of the call's
	 * input; a file is created when its first change created it.
	 */
	CodeChangesDto codeChanges(String project, String session) {
		return cached("changes:" + project + "/" + session,
				() -> this.codeChanges.codeChanges(sessionFiles(project, session)));
	}

	/**
	 * The code changes of one subagent's own transcripts (as
	 * {@link #codeChanges(String, String)}); none when it has no transcript of its own on
	 * this disk.
	 */
	CodeChangesDto codeChanges(String project, String session, String agent) {
		return cached("changes:" + project + "/" + session + "/" + agent, () -> {
			List<FileRef> files = sessionFiles(project, session);
			return this.codeChanges.codeChanges(
					files.stream().filter((f) -> !f.main() && agent.equals(f.agentId())).toList(),
					FileRef.mainOf(files));
		});
	}

	/**
	 * The hooks the session ran (subagents included), from its transcripts on this disk:
	 * runs, failures and blocks per event and command ({@link HookAnalysis}). Cached by
	 * the transcripts' ingest states (id, generation, committed offset), not the data
	 * version: hooks depend on those bytes alone (no counted copy moves them), so an
	 * append to another session does not read this one's again.
	 * @throws NotFoundException when the session is unknown or none of its transcripts is
	 * here
	 */
	HooksDto hooks(String project, String session) {
		List<FileRef> files = sessionFiles(project, session);
		List<Object> key = new ArrayList<>(List.of("hooks", project, session));
		files.forEach((f) -> key.add(List.of(f.id(), f.generation(), f.committedOffset())));
		// an answer that could not read every transcript is not kept: asked again, it
		// reads them again
		return this.answers.get(AnswerCache.ANALYSES, key, (HooksDto h) -> h.transcriptsNotRead() == 0,
				() -> this.hooks.hooks(files));
	}

}
