package dev.cctracer.web.usage;

import java.time.Instant;
import java.util.function.Predicate;

import dev.cctracer.web.usage.Dtos.SessionDto;

/**
 * Which sessions a list shows.
 *
 * @param project a project dir (its path hash), or {@code null} for every project
 * @param model a model id the session used (exactly), or {@code null} for any
 * @param period the days or instants the session was active in (it started before the end
 * and ended at or after the start); open ends match everything
 * @param match a further test (the title search), or {@code null}
 */
public record SessionFilter(String project, String model, Period period, Predicate<SessionDto> match) {

	/**
	 * @throws IllegalArgumentException when the project is not a project dir
	 */
	public SessionFilter {
		project = (project == null || project.isBlank()) ? null : Params.project(project);
		model = (model == null || model.isBlank()) ? null : model;
		period = (period != null) ? period : Period.all();
	}

	boolean test(SessionDto session) {
		if (this.model != null && !session.modelsUsed().contains(this.model)) {
			return false;
		}
		if (this.period.to() != null
				&& (session.startTime() == null || epochSecond(session.startTime()) >= this.period.to())) {
			return false;
		}
		if (this.period.from() != null
				&& (session.endTime() == null || epochSecond(session.endTime()) < this.period.from())) {
			return false;
		}
		return this.match == null || this.match.test(session);
	}

	private static long epochSecond(String iso) {
		return Instant.parse(iso).getEpochSecond();
	}

}
