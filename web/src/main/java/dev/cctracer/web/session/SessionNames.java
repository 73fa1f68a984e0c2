package dev.cctracer.web.session;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;

import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.usage.AgentNames;
import dev.cctracer.web.usage.Dtos.SessionDto;
import dev.cctracer.web.usage.NotFoundException;
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

	private final SessionAnalysisService analyses;

	SessionNames(UsageService usage, SessionTitles titles, SessionAnalysisService analyses, CostMode mode) {
		this.usage = usage;
		this.analyses = analyses;
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
		Set<String> sessions = new LinkedHashSet<>();
		for (String key : keys) {
			// "<project>/<session>" of a well-formed key
			int agent = key.lastIndexOf('/');
			if (key.indexOf('/') < agent) {
				sessions.add(key.substring(0, agent));
			}
		}
		for (String key : sessions) {
			int slash = key.indexOf('/');
			String project = key.substring(0, slash);
			String session = key.substring(slash + 1);
			try {
				// as the session's page names them: its agents' labels and the tasks
				// their transcripts were given (both cached per data version)
				SessionDto s = this.usage.session(project, session, this.mode);
				List<AnalysisDtos.SubagentDto> subagents = this.analyses.subagents(project, session, this.mode)
					.subagents();
				SessionPageViews.agentNames(s, subagents).forEach((agent, name) -> known.put(key + "/" + agent, name));
			}
			catch (NotFoundException | UncheckedIOException ex) {
				// no longer indexed, or a transcript unreadable now: named by their ids
			}
		}
		Map<String, String> found = new HashMap<>();
		for (String key : keys) {
			String agent = key.substring(key.lastIndexOf('/') + 1);
			found.put(key, known.getOrDefault(key, AgentNames.of(agent, null, null, null)));
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
