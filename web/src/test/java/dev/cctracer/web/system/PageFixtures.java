package dev.cctracer.web.system;

import java.util.List;

import dev.cctracer.web.usage.Dtos.AggregateDto;
import dev.cctracer.web.usage.Dtos.CostDto;
import dev.cctracer.web.usage.Dtos.DailyDto;
import dev.cctracer.web.usage.Dtos.DayDto;
import dev.cctracer.web.usage.Dtos.ModelDayDto;
import dev.cctracer.web.usage.Dtos.ModelDto;
import dev.cctracer.web.usage.Dtos.ModelsDto;
import dev.cctracer.web.usage.Dtos.ProjectDto;
import dev.cctracer.web.usage.Dtos.ProjectsDto;
import dev.cctracer.web.usage.Dtos.SessionDto;
import dev.cctracer.web.usage.Dtos.SessionsDto;
import dev.cctracer.web.usage.Dtos.TokensDto;
import dev.cctracer.worker.TracerProperties;

/**
 * API records with the shapes the services return, for page slices.
 */
public final class PageFixtures {

	/**
	 * A process's settings for a page slice: it ingests (the default), with this demo
	 * mode.
	 */
	public static TracerProperties tracerProperties(String demo) {
		return new TracerProperties(null, null, null, "calculate", null, demo, DemoDataTests.ingest(true), null, null,
				null);
	}

	public static final String PROJECT = "-home-me-repo";

	public static final String SESSION = "ae4a77f8-aedd-4bc1-888f-c94edc91af04";

	public static final String MODEL = "claude-sonnet-4-5-20250929";

	private PageFixtures() {
	}

	public static TokensDto tokens() {
		return new TokensDto(1_200, 34_000, 50_000, 900_000, 50_000, 0);
	}

	public static AggregateDto aggregate() {
		return new AggregateDto(tokens(), 985_200, 12.3456, 3, 2L, 120, "2026-01-05T08:00:00Z", "2026-01-09T10:00:00Z",
				0, "calculate", 0, 0, 0.0, new CostDto(0.0123, 5.0, 1.8765, 5.3568, 0.1, 12.3456), 94.66);
	}

	public static ProjectDto project(String dir, String path, double cost) {
		return new ProjectDto(dir, path, 3, tokens(), 985_200, cost, "2026-01-05T08:00:00Z", "2026-01-09T10:00:00Z",
				120, 0, 0, 0);
	}

	public static ProjectsDto projects() {
		return new ProjectsDto(
				List.of(project(PROJECT, "/home/me/repo", 12.3456), project("-home-me-other", "/home/me/other", 1.5)));
	}

	public static SessionDto session(String id) {
		return session(id, "Fix the login form");
	}

	/** A session with this title ({@code null} for none). */
	public static SessionDto session(String id, String title) {
		return new SessionDto(id, "/home/me/repo", "2026-01-09T09:00:00Z", "2026-01-09T10:00:00Z", 3600L, 40, 12, 1, 0,
				tokens(), 985_200, new CostDto(0.1, 0.5, 0.2, 0.3, 0.0, 1.1), List.of(MODEL), "completed", 0, List.of(),
				title, null, 0, 0, 0, PROJECT, null);
	}

	public static SessionsDto sessions() {
		return new SessionsDto(List.of(session(SESSION)), 1, null);
	}

	public static DailyDto daily() {
		return new DailyDto("UTC", List.of(new DayDto("2026-01-09", 1_200, 34_000, 50_000, 900_000, 50_000, 0, 120,
				12.3456, List.of(new ModelDayDto(MODEL, tokens(), 120, 12.3456, 0, 0)), 0, 0, 0, 0)));
	}

	public static ModelsDto models() {
		return new ModelsDto(List.of(new ModelDto(MODEL, true, tokens(), 985_200, 120,
				new CostDto(0.1, 0.5, 0.2, 0.3, 0.0, 12.3456), false, "claude-opus-4-6")));
	}

}
