package dev.cctracer.web.analytics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;

import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.session.SessionTitles;
import dev.cctracer.web.usage.Dtos.SessionDto;
import dev.cctracer.web.usage.UsageService;

/**
 * What the pages call the sessions an analytic names (search hits, a query grouped by
 * session): the session's title, else its first prompt ({@link SessionTitles}).
 */
@Component
class SessionNames {

	private final UsageService usage;

	private final SessionTitles titles;

	private final CostMode mode;

	SessionNames(UsageService usage, SessionTitles titles, CostMode mode) {
		this.usage = usage;
		this.titles = titles;
		this.mode = mode;
	}

	/**
	 * The names of these sessions, by {@code <project dir>/<session id>} as asked; a
	 * session no longer indexed, or with neither title nor prompt, is left out.
	 * @param keys {@code <project dir>/<session id>} each
	 */
	Map<String, String> of(Collection<String> keys) {
		Set<String> wanted = new LinkedHashSet<>(keys);
		Set<String> projects = new LinkedHashSet<>();
		for (String key : wanted) {
			if (key.indexOf('/') > 0) {
				projects.add(key.substring(0, key.indexOf('/')));
			}
		}
		List<SessionDto> sessions = new ArrayList<>();
		for (String p : projects) {
			// a project no longer indexed has no sessions
			for (SessionDto s : this.usage.allSessions(p, this.mode)) {
				if (wanted.contains(p + "/" + s.sessionId())) {
					sessions.add(s);
				}
			}
		}
		Map<String, String> found = new HashMap<>();
		for (SessionDto s : this.titles.withFirstPrompts(sessions)) {
			if (s.displayTitle() != null) {
				found.put(s.pathHash() + "/" + s.sessionId(), s.displayTitle());
			}
		}
		return found;
	}

}
