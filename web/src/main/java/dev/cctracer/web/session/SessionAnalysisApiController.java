package dev.cctracer.web.session;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.cctracer.shared.discovery.Ids;
import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.session.AnalysisDtos.CodeChangesDto;
import dev.cctracer.web.session.AnalysisDtos.CommandsDto;
import dev.cctracer.web.session.AnalysisDtos.ErrorsDto;
import dev.cctracer.web.session.AnalysisDtos.SkillsDto;
import dev.cctracer.web.session.AnalysisDtos.SubagentsDto;
import dev.cctracer.web.session.AnalysisDtos.ToolsDto;

/**
 * What happened in a session: tools, subagents, errors, commands, skills, code changes.
 */
@RestController
class SessionAnalysisApiController {

	private static final String SESSION = "/api/sessions/{project}/{session}";

	private final SessionAnalysisService analysis;

	private final CostMode defaultMode;

	SessionAnalysisApiController(SessionAnalysisService analysis, CostMode defaultMode) {
		this.analysis = analysis;
		this.defaultMode = defaultMode;
	}

	@GetMapping(SESSION + "/tools")
	ToolsDto tools(@PathVariable String project, @PathVariable String session) {
		return this.analysis.tools(project, session, null);
	}

	@GetMapping("/api/subagents/{project}/{session}/{agent}/tools")
	ToolsDto subagentTools(@PathVariable String project, @PathVariable String session, @PathVariable String agent) {
		if (!Ids.isAgentId(agent)) {
			throw new Ids.InvalidIdException("agent", agent);
		}
		return this.analysis.tools(project, session, agent);
	}

	@GetMapping(SESSION + "/subagents")
	SubagentsDto subagents(@PathVariable String project, @PathVariable String session,
			@RequestParam(name = "cost_mode", required = false) String costMode) {
		CostMode mode = (costMode == null || costMode.isBlank()) ? this.defaultMode : CostMode.parse(costMode);
		return this.analysis.subagents(project, session, mode);
	}

	@GetMapping(SESSION + "/errors")
	ErrorsDto errors(@PathVariable String project, @PathVariable String session) {
		return this.analysis.errors(project, session);
	}

	@GetMapping(SESSION + "/commands")
	CommandsDto commands(@PathVariable String project, @PathVariable String session) {
		return this.analysis.commands(project, session);
	}

	@GetMapping(SESSION + "/skills")
	SkillsDto skills(@PathVariable String project, @PathVariable String session) {
		return this.analysis.skills(project, session);
	}

	@GetMapping(SESSION + "/code-changes")
	CodeChangesDto codeChanges(@PathVariable String project, @PathVariable String session) {
		return this.analysis.codeChanges(project, session);
	}

}
