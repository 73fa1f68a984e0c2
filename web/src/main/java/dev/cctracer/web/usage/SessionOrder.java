package dev.cctracer.web.usage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;

import dev.cctracer.shared.discovery.Ids;
import dev.cctracer.web.usage.Dtos.SessionDto;

/**
 * The order of a session list and its cursor: a sort key ({@code start_time},
 * {@code end_time}, {@code cost}, {@code tokens}, {@code messages}, {@code duration},
 * {@code tool_calls}, {@code errors} — failed tool calls — or {@code api_errors}), a
 * direction, then the session id and the project (one session id may be in two projects);
 * the cursor is the last row's key, id and project, URL-safe Base64.
 */
final class SessionOrder {

	/** The sort keys, in the order the API's docs name them. */
	static final List<String> SORTS = List.of("start_time", "end_time", "cost", "tokens", "messages", "duration",
			"tool_calls", "errors", "api_errors");

	private final String sort;

	private final ToLongFunction<SessionDto> key;

	private final Comparator<Keyed> comparator;

	/**
	 * @param sort the sort key, {@code null} or blank for {@code start_time}
	 * @param order {@code asc} or {@code desc} (either case), {@code null} or blank for
	 * descending
	 * @throws IllegalArgumentException for an unknown sort key or order
	 */
	SessionOrder(String sort, String order) {
		this.sort = (sort == null || sort.isBlank()) ? "start_time" : sort;
		this.key = switch (this.sort) {
			case "start_time" -> (d) -> epoch(d.startTime());
			case "end_time" -> (d) -> epoch(d.endTime());
			case "cost" -> (d) -> Math.round(d.cost().totalCost() * 1e12);
			case "tokens" -> SessionDto::totalTokens;
			case "messages" -> SessionDto::messageCount;
			case "duration" -> (d) -> (d.durationSeconds() != null) ? d.durationSeconds() : Long.MIN_VALUE;
			case "tool_calls" -> SessionDto::toolCalls;
			case "errors" -> SessionDto::errors;
			case "api_errors" -> SessionDto::apiErrors;
			default -> throw new IllegalArgumentException(
					"sort must be one of " + String.join(", ", SORTS) + ": " + Params.sanitize(this.sort));
		};
		boolean blank = order == null || order.isBlank();
		if (!blank && !"asc".equalsIgnoreCase(order) && !"desc".equalsIgnoreCase(order)) {
			throw new IllegalArgumentException("order must be asc or desc: " + Params.sanitize(order));
		}
		Comparator<Keyed> cmp = Comparator.comparingLong(Keyed::key);
		// the same session id may be in two projects (a copied project dir, a backup
		// beside the live one): the project breaks that tie, or the cursor's probe
		// skipped the second
		this.comparator = ("asc".equalsIgnoreCase(order) ? cmp : cmp.reversed())
			.thenComparing((Keyed k) -> k.session().sessionId())
			.thenComparing((Keyed k) -> k.session().pathHash(), Comparator.nullsFirst(Comparator.naturalOrder()));
	}

	/**
	 * One page of sessions in this order. Each session's sort key is computed once (a
	 * comparison that parsed both sides' ISO instants was most of a long list's cost).
	 * @param cursor where the previous page ended, or {@code null}
	 * @throws IllegalArgumentException for a malformed cursor
	 */
	Dtos.SessionsDto page(List<SessionDto> all, int limit, String cursor) {
		List<Keyed> sorted = new ArrayList<>(all.size());
		for (SessionDto session : all) {
			sorted.add(new Keyed(this.key.applyAsLong(session), session));
		}
		sorted.sort(this.comparator);
		int start = 0;
		if (cursor != null && !cursor.isBlank()) {
			SessionDto probe = decode(cursor);
			Keyed keyedProbe = new Keyed(this.key.applyAsLong(probe), probe);
			start = sorted.size();
			for (int i = 0; i < sorted.size(); i++) {
				if (this.comparator.compare(sorted.get(i), keyedProbe) > 0) {
					start = i;
					break;
				}
			}
		}
		int end = Math.min(sorted.size(), start + limit);
		List<SessionDto> page = sorted.subList(start, end).stream().map(Keyed::session).toList();
		String next = (end < sorted.size()) ? encode(page.get(page.size() - 1)) : null;
		return new Dtos.SessionsDto(page, sorted.size(), next);
	}

	/** A session and its sort key. */
	private record Keyed(long key, SessionDto session) {

	}

	private String encode(SessionDto last) {
		String text = this.key.applyAsLong(last) + "|" + last.sessionId()
				+ ((last.pathHash() != null) ? "|" + last.pathHash() : "");
		return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

	/** A row that sorts exactly where the cursor's row did. */
	private SessionDto decode(String cursor) {
		try {
			String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
			String[] parts = text.split("\\|", -1);
			if (parts.length < 2 || parts.length > 3) {
				throw new IllegalArgumentException("malformed cursor");
			}
			long value = Long.parseLong(parts[0]);
			String id = Ids.requireSessionId(parts[1]);
			// a cursor of before the project was in it sorts before the id's rows
			String project = (parts.length == 3) ? Params.project(parts[2]) : null;
			String s = this.sort;
			String time = (value == Long.MIN_VALUE) ? null : Instant.ofEpochMilli(value).toString();
			Long duration = ("duration".equals(s) && value != Long.MIN_VALUE) ? value : null;
			return new SessionDto(id, null, "start_time".equals(s) ? time : null, "end_time".equals(s) ? time : null,
					duration, "messages".equals(s) ? value : 0, "tool_calls".equals(s) ? value : 0,
					"errors".equals(s) ? value : 0, 0, null, "tokens".equals(s) ? value : 0,
					new Dtos.CostDto(0, 0, 0, 0, 0, "cost".equals(s) ? value / 1e12 : 0), List.of(), null, 0, null,
					null, null, 0, 0, "api_errors".equals(s) ? value : 0, project, null);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("malformed cursor");
		}
	}

	private static long epoch(String iso) {
		return (iso == null) ? Long.MIN_VALUE : Instant.parse(iso).toEpochMilli();
	}

}
