package dev.cctracer.web.analytics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.shared.transcript.SearchNeedle;
import dev.cctracer.web.session.SessionNames;
import dev.cctracer.web.usage.Dtos.ProjectDto;
import dev.cctracer.web.usage.UsageService;
import dev.cctracer.worker.SearchStream;

/**
 * What the search page shows: the projects to search in, and for a search its hits with
 * their projects' paths and their sessions' titles, or the job computing them.
 */
@Component
class SearchPages {

	/**
	 * The page.
	 *
	 * @param projects the projects to choose from
	 * @param hits the hits, newest first (while the job runs, those of a few data
	 * versions ago); {@code null} while the job runs without them, or without a search
	 * @param truncated whether there are more hits than {@code hits} holds
	 * @param jobId the job to poll while it runs (the page then asks for its hits by it),
	 * else {@code null}
	 * @param gone whether the job the page asked for is not this search's
	 */
	record SearchView(List<ProjectDto> projects, List<SearchHitRow> hits, boolean truncated, String jobId,
			boolean gone) {

		/** How the project choice names each project ({@link ProjectDto#labels}). */
		public Map<String, String> projectLabels() {
			return ProjectDto.labels(this.projects);
		}

	}

	private final AnalyticsService analytics;

	private final UsageService usage;

	private final SessionNames names;

	private final CostMode mode;

	SearchPages(AnalyticsService analytics, UsageService usage, SessionNames names, CostMode mode) {
		this.analytics = analytics;
		this.usage = usage;
		this.names = names;
		this.mode = mode;
	}

	/** The page without a search: the form. */
	SearchView form() {
		return new SearchView(this.usage.projects(this.mode).projects(), null, false, null, false);
	}

	/**
	 * The page of a search of {@code q} in {@code project} (every project when
	 * {@code null}): the hits of the finished job {@code jobId} when it searched the
	 * same, else those computed for the current data, else the job it starts.
	 * @param jobId a job id the page polled, or {@code null}
	 * @throws IllegalArgumentException when the search breaks the rules of
	 * {@code POST /api/search} (the message names the rule)
	 * @throws dev.cctracer.web.usage.NotFoundException when the project is not indexed
	 */
	SearchView search(String q, String project, String jobId) {
		AnalyticsService.SearchHitsView page = this.analytics.searchPage(q, project, jobId);
		List<ProjectDto> projects = this.usage.projects(this.mode).projects();
		List<SearchHitRow> rows = (page.hits() != null) ? rows(page.hits(), projects, SearchNeedle.of(q.strip()))
				: null;
		return new SearchView(projects, rows, page.truncated(), page.jobId(), page.gone());
	}

	private List<SearchHitRow> rows(List<SearchStream.Hit> hits, List<ProjectDto> projects, SearchNeedle needle) {
		// each hit's project as the project choice names it (two dirs of one path
		// apart)
		Map<String, String> paths = ProjectDto.labels(projects);
		List<String> sessions = hits.stream()
			.filter((h) -> paths.containsKey(h.project()))
			.map((h) -> h.project() + "/" + h.session())
			.toList();
		Map<String, String> titled = this.names.of(sessions);
		Map<String, String> agents = this.names.agentsOf(hits.stream()
			.filter((h) -> h.agentId() != null)
			.map((h) -> h.project() + "/" + h.session() + "/" + h.agentId())
			.distinct()
			.toList());
		List<SearchHitRow> rows = new ArrayList<>(hits.size());
		for (SearchStream.Hit hit : hits) {
			String key = hit.project() + "/" + hit.session();
			rows.add(SearchHitRow.of(hit, paths.get(hit.project()), titled.get(key),
					(hit.agentId() != null) ? agents.get(key + "/" + hit.agentId()) : null, needle));
		}
		return rows;
	}

}
