package dev.cctracer.web.session;

import java.time.ZoneId;

import org.springframework.stereotype.Service;

import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.usage.Dtos.SessionsDto;
import dev.cctracer.web.usage.Expiring;
import dev.cctracer.web.usage.NotFoundException;
import dev.cctracer.web.usage.Period;
import dev.cctracer.web.usage.SessionFilter;
import dev.cctracer.web.usage.UsageService;

/**
 * The sessions of every project, filtered, sorted and paginated, each titled (its title,
 * else its first prompt): the Sessions page and {@code GET /api/sessions}.
 */
@Service
class SessionListService {

	private final UsageService usage;

	private final SessionTitles titles;

	SessionListService(UsageService usage, SessionTitles titles) {
		this.usage = usage;
		this.titles = titles;
	}

	/**
	 * One page of sessions.
	 * @param zone the zone of the days {@code from} and {@code to} name
	 * @param limit 1 to 500
	 * @throws IllegalArgumentException for a bad sort key, cursor, day, limit or project
	 * @throws NotFoundException for a project that is not indexed
	 */
	SessionsDto page(SessionListQuery query, ZoneId zone, int limit, CostMode mode) {
		return pageUntil(query, zone, limit, mode).value();
	}

	/**
	 * {@link #page}, and until when it holds (the sessions' statuses change with the
	 * clock).
	 */
	Expiring<SessionsDto> pageUntil(SessionListQuery query, ZoneId zone, int limit, CostMode mode) {
		Period period = new Period.Query(query.from(), query.to(), zone.getId()).period();
		SessionFilter filter = new SessionFilter(query.project(), query.model(), period, this.titles.search(query.q()));
		Expiring<SessionsDto> page = this.usage.sessionsEverywhereUntil(filter, query.sortOrDefault(),
				query.orderOrDefault(), limit, blankToNull(query.cursor()), mode);
		// the request's own faults first (400), then whether its project is known (404)
		String project = blankToNull(query.project());
		if (project != null) {
			this.usage.requireKnown(project, null);
		}
		SessionsDto sessions = page.value();
		return new Expiring<>(new SessionsDto(this.titles.withFirstPrompts(sessions.sessions()), sessions.total(),
				sessions.nextCursor()), page.until());
	}

	private static String blankToNull(String s) {
		return (s == null || s.isBlank()) ? null : s;
	}

}
