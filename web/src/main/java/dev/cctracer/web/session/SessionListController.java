package dev.cctracer.web.session;

import java.util.List;
import java.util.Objects;

import jakarta.validation.Valid;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.GetMapping;

import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.system.PageController;
import dev.cctracer.web.system.Zones;
import dev.cctracer.web.usage.Dtos.ModelDto;
import dev.cctracer.web.usage.Dtos.ProjectDto;
import dev.cctracer.web.usage.ReportService;
import dev.cctracer.web.usage.UsageService;

/**
 * The Sessions page: the sessions of every project, sortable by start, duration, tokens
 * and cost, filtered by project, model, days and a title search, 25 a page.
 */
@Controller
class SessionListController implements PageController {

	private static final String VIEW_SESSION_LIST = "sessions/sessionList";

	static final int PER_PAGE = 25;

	private final SessionListService sessions;

	private final UsageService usage;

	private final ReportService reports;

	private final CostMode mode;

	SessionListController(SessionListService sessions, UsageService usage, ReportService reports, CostMode mode) {
		this.sessions = sessions;
		this.usage = usage;
		this.reports = reports;
		this.mode = mode;
	}

	@GetMapping("/sessions")
	String listSessions(@Valid SessionListQuery query, @CookieValue(name = Zones.COOKIE, required = false) String tz,
			Model model) {
		query = query.normalized();
		model.addAttribute("sessions", this.sessions.page(query, Zones.resolve(tz), PER_PAGE, this.mode));
		model.addAttribute("query", query);
		model.addAttribute("sort", query.sortOrDefault());
		model.addAttribute("order", query.orderOrDefault());
		model.addAttribute("firstPage", query.cursor() == null || query.cursor().isBlank());
		List<ProjectDto> projects = this.usage.projects(this.mode).projects();
		model.addAttribute("projects", projects);
		model.addAttribute("projectLabels", ProjectDto.labels(projects));
		List<String> models = this.reports.models(null, this.mode)
			.models()
			.stream()
			.map(ModelDto::model)
			.filter(Objects::nonNull)
			.sorted()
			.toList();
		model.addAttribute("models", models);
		return VIEW_SESSION_LIST;
	}

}
