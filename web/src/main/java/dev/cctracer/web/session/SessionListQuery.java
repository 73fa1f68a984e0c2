package dev.cctracer.web.session;

import java.util.Locale;

import jakarta.validation.constraints.Size;

import org.springframework.web.util.UriComponentsBuilder;

/**
 * The global session list's query string: order, filters and where the page starts.
 *
 * @param sort {@code start_time} (default), {@code end_time}, {@code duration},
 * {@code tokens}, {@code cost} or {@code messages}
 * @param order {@code desc} (default) or {@code asc}
 * @param project a project dir, or empty for all
 * @param model a model id, or empty for any
 * @param from the first day ({@code yyyy-MM-dd}, in the zone) or an ISO-8601 instant
 * @param to the last day (inclusive) or an instant (exclusive)
 * @param q text of the title (else the first prompt), agent name, or the id's start
 * @param cursor the previous page's {@code next_cursor}
 */
record SessionListQuery(@Size(max = 64) String sort, @Size(max = 8) String order, @Size(max = 255) String project,
		@Size(max = 128) String model, @Size(max = 64) String from, @Size(max = 64) String to,
		@Size(max = 200) String q, @Size(max = 200) String cursor) {

	/** The same query with blank values as absent (links then leave them out). */
	SessionListQuery normalized() {
		return new SessionListQuery(orNull(this.sort), orNull(this.order), orNull(this.project), orNull(this.model),
				orNull(this.from), orNull(this.to), orNull(this.q), orNull(this.cursor));
	}

	private static String orNull(String s) {
		return blank(s) ? null : s.strip();
	}

	/**
	 * The page's address with these filters and the given order and cursor (absent values
	 * left out).
	 */
	public String link(String sort, String order, String cursor) {
		UriComponentsBuilder uri = UriComponentsBuilder.fromPath("/sessions");
		String[][] params = { { "project", this.project }, { "model", this.model }, { "from", this.from },
				{ "to", this.to }, { "q", this.q }, { "sort", sort }, { "order", order }, { "cursor", cursor } };
		for (String[] p : params) {
			if (!blank(p[1])) {
				uri.queryParam(p[0], p[1]);
			}
		}
		return uri.encode().build().toUriString();
	}

	String sortOrDefault() {
		return (this.sort == null || this.sort.isBlank()) ? "start_time" : this.sort;
	}

	/**
	 * The order as asked, in lower case; {@code desc} when not asked. Whether it is one
	 * the list knows is the session order's to say (400 for any other, page and API
	 * alike).
	 */
	String orderOrDefault() {
		return (this.order == null || this.order.isBlank()) ? "desc" : this.order.toLowerCase(Locale.ROOT);
	}

	/** Whether a filter narrows the list. */
	public boolean filtered() {
		return !blank(this.project) || !blank(this.model) || !blank(this.from) || !blank(this.to) || !blank(this.q);
	}

	private static boolean blank(String s) {
		return s == null || s.isBlank();
	}

}
