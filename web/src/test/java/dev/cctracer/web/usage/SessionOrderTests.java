package dev.cctracer.web.usage;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.cctracer.web.usage.Dtos.CostDto;
import dev.cctracer.web.usage.Dtos.SessionDto;
import dev.cctracer.web.usage.Dtos.SessionsDto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Paging a session list by its cursor visits every row once, for every sort key, when one
 * session id is in several projects (a copied project dir, a backup beside the live one:
 * a trial paged {@code /api/sessions} one row a time and lost the copies).
 */
class SessionOrderTests {

	private static final String COPIED = "cccccccc-0000-4000-8000-000000000001";

	private static SessionDto session(String id, String project, String start, long messages, double cost) {
		return new SessionDto(id, "/home/user/" + project, start, start, 60L, messages, 0, 0, 0, null, messages * 10,
				new CostDto(0, 0, 0, 0, 0, cost), List.of(), "completed", 0, null, null, null, 0, 0, 0, project, null);
	}

	private static List<SessionDto> sessions() {
		// the same transcript in three projects: the same id, times and totals
		List<SessionDto> all = new ArrayList<>();
		for (String project : List.of("-home-user-proj12", "-home-trial-copyA", "-home-trial-copyB")) {
			all.add(session(COPIED, project, "2026-04-17T10:00:00Z", 3, 0.0463));
		}
		all.add(session("bbbbbbbb-0000-4000-8000-000000000003", "-home-user-b", "2026-04-17T10:00:00Z", 3, 0.0463));
		all.add(session("aaaaaaaa-0000-4000-8000-000000000002", "-home-user-a", "2026-04-18T10:00:00Z", 5, 1.5));
		return all;
	}

	@Test
	void shouldVisitEveryRowOnceAPageAtATimeWhateverTheSort() {
		for (String sort : SessionOrder.SORTS) {
			for (String order : List.of("asc", "desc")) {
				SessionOrder o = new SessionOrder(sort, order);
				List<String> seen = new ArrayList<>();
				String cursor = null;
				do {
					SessionsDto page = o.page(sessions(), 1, cursor);
					assertThat(page.total()).isEqualTo(5);
					page.sessions().forEach((s) -> seen.add(s.pathHash() + "/" + s.sessionId()));
					cursor = page.nextCursor();
				}
				while (cursor != null);
				assertThat(seen).as("%s %s", sort, order)
					.hasSize(5)
					.doesNotHaveDuplicates()
					.contains("-home-trial-copyA/" + COPIED, "-home-trial-copyB/" + COPIED,
							"-home-user-proj12/" + COPIED);
			}
		}
	}

	@Test
	void shouldOrderByFailedToolCallsThenToolCallsThenApiErrorsAndPageOnThatKey() {
		List<SessionDto> all = new ArrayList<>();
		long[][] counts = { { 40, 2, 0 }, { 5, 7, 1 }, { 90, 0, 3 }, { 12, 2, 2 } };
		for (int i = 0; i < counts.length; i++) {
			all.add(new SessionDto("dddddddd-0000-4000-8000-00000000000" + i, "/home/user/p", "2026-04-17T10:00:00Z",
					"2026-04-17T10:00:00Z", 60L, 1, counts[i][0], counts[i][1], 0, null, 10,
					new CostDto(0, 0, 0, 0, 0, 0), List.of(), "completed", 0, null, null, null, 0, 0, counts[i][2],
					"-home-user-p", null));
		}
		assertThat(ids(new SessionOrder("errors", "desc"), all)).containsExactly("1", "0", "3", "2");
		assertThat(ids(new SessionOrder("tool_calls", "desc"), all)).containsExactly("2", "0", "3", "1");
		assertThat(ids(new SessionOrder("api_errors", "asc"), all)).containsExactly("0", "1", "3", "2");
	}

	/**
	 * The last digit of each session's id, a page of one at a time through the cursor.
	 */
	private static List<String> ids(SessionOrder order, List<SessionDto> all) {
		List<String> seen = new ArrayList<>();
		String cursor = null;
		do {
			SessionsDto page = order.page(all, 1, cursor);
			page.sessions().forEach((s) -> seen.add(s.sessionId().substring(s.sessionId().length() - 1)));
			cursor = page.nextCursor();
		}
		while (cursor != null);
		return seen;
	}

	@Test
	void shouldRefuseACursorNamingABadProject() {
		String bad = java.util.Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(("1|" + COPIED + "|../etc").getBytes(java.nio.charset.StandardCharsets.UTF_8));
		assertThatThrownBy(() -> new SessionOrder("start_time", "asc").page(sessions(), 1, bad))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("malformed cursor");
	}

}
