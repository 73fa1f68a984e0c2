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
		return activeIn(session, this.period) && (this.match == null || this.match.test(session));
	}

	/**
	 * Whether a session was active in a period: it started before the period's end and
	 * ended at or after its start (open ends match every session; a bounded period none
	 * without lines stamped in time).
	 */
	public static boolean activeIn(SessionDto s, Period period) {
		if (period.from() == null && period.to() == null) {
			return true;
		}
		if (s.startTime() == null || s.endTime() == null) {
			return false;
		}
		return (period.to() == null || epochMilli(s.startTime()) < period.to())
				&& (period.from() == null || epochMilli(s.endTime()) >= period.from());
	}

	private static long epochMilli(String iso) {
		return Instant.parse(iso).toEpochMilli();
	}

}
