package dev.cctracer.web.analytics;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.cctracer.web.system.PageController;
import dev.cctracer.web.usage.NotFoundException;

/**
 * The search page ({@code GET /search?q=…&project=…}): full-text search over every
 * transcript, the hits of {@code POST /api/search} (newest first, at most 200) with the
 * session each is in, its snippet with the matches marked and a link to the message. A
 * search not yet computed for the current data starts its job and the page polls it, then
 * shows that job's hits ({@code job=<id>}: the data may have grown meanwhile). A search
 * that breaks the API's rules is a 400 page with the form and the rule, one in a project
 * that is not indexed a 404 page with the form.
 */
@Controller
class SearchController implements PageController {

	private static final String VIEW_SEARCH = "analytics/search";

	private final SearchPages pages;

	SearchController(SearchPages pages) {
		this.pages = pages;
	}

	@GetMapping("/search")
	String search(@RequestParam(required = false) String q, @RequestParam(required = false) String project,
			@RequestParam(required = false) String job, Model model, HttpServletResponse response) {
		String scope = (project == null || project.isBlank()) ? null : project;
		model.addAttribute("q", (q != null) ? q : "");
		model.addAttribute("project", scope);
		if (q == null || q.isEmpty()) {
			model.addAttribute("page", this.pages.form());
			return VIEW_SEARCH;
		}
		try {
			model.addAttribute("page", this.pages.search(q, scope, job));
		}
		catch (IllegalArgumentException | NotFoundException ex) {
			response.setStatus((ex instanceof NotFoundException) ? HttpServletResponse.SC_NOT_FOUND
					: HttpServletResponse.SC_BAD_REQUEST);
			model.addAttribute("error", ex.getMessage());
			model.addAttribute("page", this.pages.form());
		}
		return VIEW_SEARCH;
	}

}
