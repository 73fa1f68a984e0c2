package dev.cctracer.web.session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;

import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.usage.Dtos.SessionDto;
import dev.cctracer.web.usage.Dtos;
import dev.cctracer.web.usage.UsageService;

/**
 * What the pages call the sessions they name beside other things (search hits, a query
 * grouped by session, the overview's top subagents): the session's title, else its first
 * prompt ({@link SessionTitles}).
 */
@Component
public class SessionNames {

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
	public Map<String, String> of(Collection<String> keys) {
		Map<String, String> found = new HashMap<>();
		for (SessionDto s : this.titles.withFirstPrompts(sessions(keys))) {
			if (s.displayTitle() != null) {
				found.put(s.pathHash() + "/" + s.sessionId(), s.displayTitle());
			}
		}
		return found;
	}

	/**
	 * What the session page calls these subagents (the name Claude Code gave, else type
	 * and task, else type and id: a side question's transcript is "side question …"), by
	 * the key asked.
	 * @param keys {@code <project dir>/<session id>/<agent id>} each
	 */
	public Map<String, String> agentsOf(Collection<String> keys) {
		Map<String, String> known = new HashMap<>();
		List<String> sessions = keys.stream()
			.filter((k) -> k.lastIndexOf('/') > 0)
			.map((k) -> k.substring(0, k.lastIndexOf('/')))
			.toList();
		for (SessionDto s : sessions(sessions)) {
			if (s.agents() != null) {
				for (Dtos.AgentDto a : s.agents()) {
					if (a.agentId() != null) {
						known.put(s.pathHash() + "/" + s.sessionId() + "/" + a.agentId(),
								SessionPageViews.name(a.agentId(), a.agentName(), a.agentType(), a.description()));
					}
				}
			}
		}
		Map<String, String> found = new HashMap<>();
		for (String key : keys) {
			String agent = key.substring(key.lastIndexOf('/') + 1);
			found.put(key, known.getOrDefault(key, SessionPageViews.name(agent, null, null, null)));
		}
		return found;
	}

	private List<SessionDto> sessions(Collection<String> keys) {
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
		return sessions;
	}

}
