package dev.cctracer.web.session;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import dev.cctracer.shared.discovery.Ids;
import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.job.AnswersWithJob;
import dev.cctracer.web.session.AnalysisDtos.CodeChangesDto;
import dev.cctracer.web.session.AnalysisDtos.CommandsDto;
import dev.cctracer.web.session.AnalysisDtos.CompactionsDto;
import dev.cctracer.web.session.AnalysisDtos.ErrorsDto;
import dev.cctracer.web.session.AnalysisDtos.HooksDto;
import dev.cctracer.web.session.AnalysisDtos.SkillsDto;
import dev.cctracer.web.session.AnalysisDtos.SubagentsDto;
import dev.cctracer.web.session.AnalysisDtos.ToolsDto;
import dev.cctracer.web.usage.NotFoundException;
import dev.cctracer.web.usage.UsageService;

/**
 * What happened in a session: tools, subagents, errors, commands, skills, code changes,
 * hooks.
 */
@RestController
class SessionAnalysisApiController {

	private static final String SESSION = "/api/sessions/{project}/{session}";

	private final SessionAnalysisService analysis;

	private final UsageService usage;

	SessionAnalysisApiController(SessionAnalysisService analysis, UsageService usage) {
		this.usage = usage;
		this.analysis = analysis;
	}

	/**
	 * A session's tool statistics from its transcripts; when Claude Code has removed one
	 * or more of them, from the facts (200 once computed for the current data, else 202
	 * with the job).
	 */
	@AnswersWithJob
	@GetMapping(SESSION + "/tools")
	ResponseEntity<?> tools(@PathVariable String project, @PathVariable String session) {
		if (!this.analysis.files(project, session).removed().isEmpty()) {
			return this.analysis.toolsFromFacts(project, session);
		}
		return ResponseEntity.ok(this.analysis.tools(project, session, null));
	}

	@GetMapping("/api/subagents/{project}/{session}/{agent}/tools")
	ToolsDto subagentTools(@PathVariable String project, @PathVariable String session, @PathVariable String agent) {
		if (!Ids.isAgentId(agent)) {
			throw new Ids.InvalidIdException("agent", agent);
		}
		return this.analysis.tools(project, session, agent);
	}

	/**
	 * A subagent found by its id among a project's sessions (the original tracer's
	 * {@code SubagentResponse}, with cost).
	 */
	@GetMapping("/api/subagents/{project}/{agent}")
	AnalysisDtos.SubagentDto subagentOfProject(@PathVariable String project, @PathVariable String agent,
			CostMode mode) {
		return subagent(project, sessionOf(project, agent), agent, mode);
	}

	/** The tools a subagent of a project used. */
	@GetMapping("/api/subagents/{project}/{agent}/tools")
	ToolsDto subagentToolsOfProject(@PathVariable String project, @PathVariable String agent) {
		return this.analysis.tools(project, sessionOf(project, agent), agent);
	}

	/** A subagent of a session. */
	@GetMapping("/api/subagents/{project}/{session}/{agent}")
	AnalysisDtos.SubagentDto subagent(@PathVariable String project, @PathVariable String session,
			@PathVariable String agent, CostMode mode) {
		if (!Ids.isAgentId(agent)) {
			throw new Ids.InvalidIdException("agent", agent);
		}
		return this.analysis.subagents(project, session, mode)
			.subagents()
			.stream()
			.filter((a) -> agent.equals(a.agentId()))
			.findFirst()
			.orElseThrow(() -> new NotFoundException("no subagent '" + agent + "'"));
	}

	private String sessionOf(String project, String agent) {
		if (!Ids.isAgentId(agent)) {
			throw new Ids.InvalidIdException("agent", agent);
		}
		return this.usage.sessionOfAgent(project, agent)
			.orElseThrow(() -> new NotFoundException("no subagent '" + agent + "'"));
	}

	@GetMapping(SESSION + "/subagents")
	SubagentsDto subagents(@PathVariable String project, @PathVariable String session, CostMode mode) {
		return this.analysis.subagents(project, session, mode);
	}

	@GetMapping(SESSION + "/errors")
	ErrorsDto errors(@PathVariable String project, @PathVariable String session) {
		return this.analysis.errors(project, session);
	}

	/**
	 * The session's compactions, oldest first (its transcripts on this disk, subagents
	 * included); 404 when none of its transcripts is on this disk.
	 */
	@GetMapping(SESSION + "/compactions")
	CompactionsDto compactions(@PathVariable String project, @PathVariable String session) {
		return this.analysis.compactions(project, session);
	}

	@GetMapping(SESSION + "/commands")
	CommandsDto commands(@PathVariable String project, @PathVariable String session) {
		return this.analysis.commands(project, session);
	}

	@GetMapping(SESSION + "/skills")
	SkillsDto skills(@PathVariable String project, @PathVariable String session) {
		return this.analysis.skills(project, session);
	}

	@GetMapping(SESSION + "/hooks")
	HooksDto hooks(@PathVariable String project, @PathVariable String session) {
		return this.analysis.hooks(project, session);
	}

	@GetMapping(SESSION + "/code-changes")
	CodeChangesDto codeChanges(@PathVariable String project, @PathVariable String session) {
		return this.analysis.codeChanges(project, session);
	}

}
