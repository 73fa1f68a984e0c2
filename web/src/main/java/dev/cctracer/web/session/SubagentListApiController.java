package dev.cctracer.web.session;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.usage.Period;
import dev.cctracer.web.usage.ReportService;
import dev.cctracer.web.usage.TopSessionsService;
import dev.cctracer.web.usage.TopSessionsService.RankedSubagentDto;

/**
 * {@code GET /api/subagents}: the subagents and inline sidechains that cost the most in a
 * range, across every session and project, as the overview's table of them.
 */
@RestController
class SubagentListApiController {

	/** The most a list holds. */
	static final int MAX_LIMIT = 500;

	private final TopSessionsService top;

	private final ReportService reports;

	SubagentListApiController(TopSessionsService top, ReportService reports) {
		this.top = top;
		this.reports = reports;
	}

	/**
	 * The subagents that cost the most (USD) in the range (their own usage in it), most
	 * expensive first.
	 * @param origin one machine of a shared database, or every one
	 * @param limit 1 to {@value #MAX_LIMIT} (default 20; else a 400, as its OpenAPI
	 * description says)
	 * @throws IllegalArgumentException (400) for a bad range
	 */
	@GetMapping("/api/subagents")
	SubagentsDto subagents(@Valid Period.Query query, @RequestParam(required = false) String origin,
			@RequestParam(defaultValue = "20") @Min(value = 1, message = "limit must be 1 to " + MAX_LIMIT) @Max(
					value = MAX_LIMIT, message = "limit must be 1 to " + MAX_LIMIT) int limit,
			CostMode mode) {
		Period period = query.period();
		return new SubagentsDto(period.zone().getId(),
				this.top.mostExpensiveSubagents(this.reports.knownOrigin(origin), period, limit, mode));
	}

	/**
	 * The ranked subagents.
	 *
	 * @param timezone the zone of the range's days
	 * @param subagents each with its project, session, id, name (Claude Code's
	 * {@code agent-name}, else its type and task, else its id, redacted), whether it was
	 * logged inside the main transcript, and its messages, tokens and cost (USD) in the
	 * range
	 */
	record SubagentsDto(String timezone, List<RankedSubagentDto> subagents) {

	}

}
