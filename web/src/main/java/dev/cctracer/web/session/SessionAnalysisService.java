package dev.cctracer.web.session;

import java.util.List;
import java.util.function.Supplier;

import org.springframework.stereotype.Service;

import dev.cctracer.shared.discovery.Ids;
import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.session.AnalysisDtos.CodeChangesDto;
import dev.cctracer.web.session.AnalysisDtos.CommandsDto;
import dev.cctracer.web.session.AnalysisDtos.ErrorDto;
import dev.cctracer.web.session.AnalysisDtos.ErrorsDto;
import dev.cctracer.web.session.AnalysisDtos.SkillsDto;
import dev.cctracer.web.session.AnalysisDtos.SubagentsDto;
import dev.cctracer.web.session.AnalysisDtos.ToolsDto;
import dev.cctracer.web.usage.AnswerCache;
import dev.cctracer.web.usage.IndexedFiles;
import dev.cctracer.web.usage.IndexedFiles.FileRef;
import dev.cctracer.web.usage.NotFoundException;
import dev.cctracer.web.usage.UsageService;

/**
 * What happened in a session, computed from its transcript indexes (main file and
 * subagent files): tools, subagents, errors, commands, skills and code changes.
 * <p>
 * This class finds a session's files and caches each analysis per data version; the
 * analyses themselves are {@link ToolCallAnalysis}, {@link SubagentAnalysis},
 * {@link CommandAnalysis} and {@link CodeChangeAnalysis}.
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

	SessionAnalysisService(IndexedFiles files, UsageService usage, AnswerCache answers, ToolCallAnalysis toolCalls,
			SubagentAnalysis subagents, CommandAnalysis commands, CodeChangeAnalysis codeChanges) {
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

	private List<FileRef> sessionFiles(String project, String session) {
		List<FileRef> refs = this.files.sessionFiles(Ids.requireProjectDir(project), Ids.requireSessionId(session));
		if (refs.isEmpty()) {
			throw (this.files.goneFiles(project, session) > 0) ? NotFoundException.transcriptsGone(project, session)
					: NotFoundException.session(project, session);
		}
		return refs;
	}

	/**
	 * How many of the session's indexed transcripts are gone from the disk (their totals
	 * stay; what reads transcripts covers the others).
	 */
	long goneTranscripts(String project, String session) {
		return this.files.goneFiles(project, session);
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
			List<FileRef> refs = sessionFiles(project, session);
			return this.subagents.subagents(refs, this.usage.session(project, session, mode).agents(),
					this.files.countedToolCalls(refs));
		});
	}

	/** Tool errors of the session, subagents included. */
	ErrorsDto errors(String project, String session) {
		return cached("errors:" + project + "/" + session, () -> this.toolCalls.errors(sessionFiles(project, session)));
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
	 * @throws NotFoundException when the session or the subagent's file is unknown
	 */
	CommandsDto commands(String project, String session, String agent) {
		return cached("commands:" + project + "/" + session + "/" + agent, () -> {
			FileRef file = sessionFiles(project, session).stream()
				.filter((f) -> (agent == null) ? f.main() : !f.main() && agent.equals(f.agentId()))
				.findFirst()
				.orElseThrow(() -> (agent == null) ? NotFoundException.session(project, session)
						: new NotFoundException("subagent not found: " + agent));
			return this.commands.commands(file);
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

}
