package dev.cctracer.web.usage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.usage.Dtos.ProjectDto;
import dev.cctracer.web.usage.Dtos.SessionDto;

/**
 * The most expensive sessions across every project: {@link UsageService}'s sessions
 * (cached per data version), ranked by their whole cost in USD.
 */
@Service
@Transactional(readOnly = true)
public class TopSessionsService {

	private final UsageService usage;

	TopSessionsService(UsageService usage) {
		this.usage = usage;
	}

	/**
	 * A session and the project dir it belongs to (for its page's URL).
	 *
	 * @param project the project dir
	 * @param session the session, its cost over its whole life
	 */
	public record RankedSessionDto(String project, SessionDto session) {

	}

	/**
	 * The {@code limit} sessions with the highest cost (USD, whole session) that were
	 * active in the period (first line before its end, last line at or after its start);
	 * ties by the later start.
	 * @param limit 1 or more
	 */
	public List<RankedSessionDto> mostExpensive(Period period, int limit, CostMode mode) {
		if (limit < 1) {
			throw new IllegalArgumentException("limit must be at least 1");
		}
		List<RankedSessionDto> all = new ArrayList<>();
		for (ProjectDto p : this.usage.projects(mode).projects()) {
			for (SessionDto s : this.usage.allSessions(p.pathHash(), mode)) {
				if (activeIn(s, period)) {
					all.add(new RankedSessionDto(p.pathHash(), s));
				}
			}
		}
		all.sort(Comparator.comparingDouble((RankedSessionDto r) -> r.session().cost().totalCost())
			.reversed()
			.thenComparing((RankedSessionDto r) -> String.valueOf(r.session().startTime()), Comparator.reverseOrder()));
		return List.copyOf(all.subList(0, Math.min(limit, all.size())));
	}

	private static boolean activeIn(SessionDto s, Period period) {
		if (period.from() == null && period.to() == null) {
			return true;
		}
		if (s.startTime() == null || s.endTime() == null) {
			return false;
		}
		long start = Instant.parse(s.startTime()).getEpochSecond();
		long end = Instant.parse(s.endTime()).getEpochSecond();
		return (period.to() == null || start < period.to()) && (period.from() == null || end >= period.from());
	}

}
