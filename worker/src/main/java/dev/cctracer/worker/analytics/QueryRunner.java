package dev.cctracer.worker.analytics;

import java.io.IOException;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import dev.cctracer.shared.usage.WholeShares;
import dev.cctracer.shared.job.QuerySpec;
import dev.cctracer.shared.job.ZoneIds;
import dev.cctracer.shared.pricing.PriceTable;
import dev.cctracer.worker.TracerProperties;
import dev.cctracer.worker.facts.CountingSession;
import dev.cctracer.worker.facts.CountingSessions;
import dev.cctracer.worker.facts.CountingSql;

/**
 * Runs an analytics query with DuckDB over the entry-level facts of every transcript,
 * counted by the rules of {@link CountingSql}. DuckDB groups by 15-minute UTC buckets and
 * the other dimensions; the buckets are then folded into hours, days, weeks or months of
 * the requested zone (exact in every zone, as all offsets are multiples of 15 minutes).
 * Dimensions map to fixed expressions and filter values are bound: no request text
 * becomes SQL. Rows come in the order of their dimensions, except that sessions come most
 * expensive first (within each time period when grouped by one too). An answer keeps at
 * most {@code cctracer.duckdb.query-rows} rows (20,000 by default), its note saying how
 * many there were.
 */
@Component
public class QueryRunner {

	private static final Map<String, String> EXPRESSIONS = Map.of("project", "coalesce(w.project, '')", "session",
			"coalesce(w.session, '')", "model", "w.model", "agent", "w.agent", "tool", "coalesce(c.name, '(none)')");

	private static final String[] MEASURES = { "messages", "tool_calls", "input_tokens", "output_tokens",
			"cache_creation_5m_input_tokens", "cache_creation_1h_input_tokens", "cache_read_input_tokens", "cost_pico",
			"cost_logged_pico", "failed_calls", "unpriced_messages", "estimated_messages" };

	/**
	 * The result.
	 *
	 * @param query the query answered
	 * @param columns the rows' fields: the dimensions, then the measures
	 * @param rows one map per group: dimension values (text), counts and tokens (whole
	 * numbers), {@code cost} and {@code cost_logged} (USD), {@code unpriced_messages}
	 * (messages of a model of no known family: their tokens cost 0) and
	 * {@code estimated_messages} (priced by their family's newest card)
	 * @param dataVersion the data version the result was computed at
	 * @param note what to know about the numbers, or {@code null}
	 * @param millis the time it took (milliseconds)
	 * @param parquetFiles fact batches read (pairs of Parquet files)
	 * @param jsonlFiles transcripts read as raw JSONL: always 0 since the facts (kept for
	 * the API's shape)
	 * @param sessionProjects when grouped by session, the project dir of each session of
	 * the rows (to link them); else empty
	 */
	public record QueryResult(QuerySpec query, List<String> columns, List<Map<String, Object>> rows, long dataVersion,
			String note, long millis, int parquetFiles, int jsonlFiles, Map<String, String> sessionProjects) {

	}

	private final CountingSessions sessions;

	private final PriceTable prices;

	private final int maxRows;

	public QueryRunner(CountingSessions sessions, PriceTable prices, TracerProperties properties) {
		this.sessions = sessions;
		this.prices = prices;
		this.maxRows = properties.duckdb().queryRows();
	}

	public QueryResult run(QuerySpec q, long dataVersion) throws IOException, SQLException {
		long started = System.nanoTime();
		int batches = 0;
		int lagging = 0;
		int incomplete = 0;
		ZoneId zone = ZoneIds.of(q.tz());
		long fromMs = (q.from() != null) ? LocalDate.parse(q.from()).atStartOfDay(zone).toInstant().toEpochMilli()
				: Long.MIN_VALUE;
		long toMs = (q.to() != null) ? LocalDate.parse(q.to()).plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli()
				: Long.MAX_VALUE;
		String time = q.groupBy().stream().filter(QuerySpec.TIME::contains).findFirst().orElse(null);
		List<String> dims = q.groupBy().stream().filter((d) -> !QuerySpec.TIME.contains(d)).toList();
		boolean tools = dims.contains("tool");
		boolean sessions = dims.contains("session");
		int sessionKey = (time != null ? 1 : 0) + dims.indexOf("session");
		Map<String, String> sessionProjects = new TreeMap<>();
		Map<List<Object>, double[]> groups = new TreeMap<>(QueryRunner::compareKeys);
		// the token measures, in billionths of a token (WholeShares)
		Map<List<Object>, BigInteger[]> tokens = new HashMap<>();
		try (CountingSession session = this.sessions.open(this.prices, (n) -> {
		})) {
			batches = session.files().batches();
			lagging = session.files().lagging();
			incomplete = session.files().incomplete();
			if (!session.isEmpty()) {
				try (PreparedStatement ps = session.connection()
					.prepareStatement(sql(session, dims, time != null, tools, sessions))) {
					int i = 1;
					for (String value : new String[] { q.project(), q.session(), q.model() }) {
						ps.setString(i++, value);
						ps.setString(i++, value);
					}
					ps.setLong(i++, fromMs);
					ps.setLong(i, toMs);
					try (ResultSet rs = ps.executeQuery()) {
						while (rs.next()) {
							List<Object> key = new ArrayList<>();
							int col = 1;
							if (time != null) {
								key.add(period(rs.getLong(col++), time, zone));
							}
							for (int d = 0; d < dims.size(); d++) {
								key.add(rs.getString(col++));
							}
							double[] values = groups.computeIfAbsent(key, (k) -> new double[MEASURES.length]);
							BigInteger[] billionths = tokens.computeIfAbsent(key, (k) -> zeros());
							for (int m = 0; m < MEASURES.length; m++) {
								if (m >= FIRST_TOKENS && m <= LAST_TOKENS) {
									billionths[m] = billionths[m].add(WholeShares.read(rs.getString(col + m)));
								}
								else {
									values[m] += rs.getDouble(col + m);
								}
							}
							if (sessions) {
								sessionProjects.putIfAbsent((String) key.get(sessionKey),
										rs.getString(col + MEASURES.length));
							}
						}
					}
				}
			}
		}
		List<String> columns = new ArrayList<>(q.groupBy());
		columns.addAll(List.of("messages", "tool_calls", "failed_calls", "input_tokens", "output_tokens",
				"cache_creation_5m_input_tokens", "cache_creation_1h_input_tokens", "cache_read_input_tokens",
				"total_tokens", "cost", "cost_logged", "unpriced_messages", "estimated_messages"));
		List<Map<String, Object>> rows = new ArrayList<>();
		List<String> keyNames = new ArrayList<>();
		if (time != null) {
			keyNames.add(time);
		}
		keyNames.addAll(dims);
		Map<List<Object>, long[]> whole = wholeTokens(tokens, tools ? keyNames.indexOf("tool") : -1);
		groups.forEach((key, v) -> {
			Map<String, Object> row = new LinkedHashMap<>();
			for (String d : q.groupBy()) {
				row.put(d, key.get(keyNames.indexOf(d)));
			}
			row.put("messages", Math.round(v[0]));
			row.put("tool_calls", Math.round(v[1]));
			row.put("failed_calls", Math.round(v[9]));
			long total = 0;
			for (int m = FIRST_TOKENS; m <= LAST_TOKENS; m++) {
				row.put(MEASURES[m], whole.get(key)[m]);
				total += whole.get(key)[m];
			}
			row.put("total_tokens", total);
			row.put("cost", Math.round(v[7]) / 1e12);
			row.put("cost_logged", Math.round(v[8]) / 1e12);
			row.put("unpriced_messages", Math.round(v[10]));
			row.put("estimated_messages", Math.round(v[11]));
			rows.add(row);
		});
		if (sessions) {
			mostExpensiveSessionsFirst(rows, time);
		}
		String note = tools ? "grouped by tool, a message's tokens and cost are split evenly over its tool calls; "
				+ "messages counts each message once per tool it called" : null;
		if (rows.size() > this.maxRows) {
			// an answer a page can show and a job can store: hour by session over a year
			// is
			// 100,000s of rows
			String cut = "only the first " + this.maxRows + " of " + rows.size()
					+ " rows (cctracer.duckdb.query-rows): narrow the dates or filter by project, session or model, "
					+ "or group by fewer dimensions";
			note = (note == null) ? cut : note + "; " + cut;
			rows.subList(this.maxRows, rows.size()).clear();
			sessionProjects.keySet()
				.retainAll(rows.stream().map((row) -> row.get("session")).collect(Collectors.toSet()));
		}
		if (lagging > 0) {
			// a shared database holds other machines' files: say so rather than answer
			// silently short
			String missing = lagging + " indexed files have facts short of their committed lines (another "
					+ "machine's files its worker has not written facts for yet): their newest lines are not counted";
			note = (note == null) ? missing : note + "; " + missing;
		}
		if (incomplete > 0) {
			// not a lag: these facts will never be complete, and waiting would not help
			String gone = incomplete
					+ ((incomplete == 1) ? " deleted transcript was removed before its facts were"
							: " deleted transcripts were removed before their facts were")
					+ " complete: "
					+ "the lines their facts lack are not in this answer (the usage totals still count them)";
			note = (note == null) ? gone : note + "; " + gone;
		}
		return new QueryResult(q, columns, rows, dataVersion, note, (System.nanoTime() - started) / 1_000_000, batches,
				0, sessionProjects);
	}

	/**
	 * Each group's token counts as whole numbers. Grouped by tool, a message's tokens are
	 * split evenly over its calls, and rounding each row on its own gave a token or four
	 * more than the total (a trial): the rows that differ only by tool share out their
	 * rounded sum ({@link WholeShares}), so they add up to what the same query without
	 * {@code tool} counts, as {@code /api/tools} does.
	 * @param toolAt the tool's index in a group key, or -1
	 * @return by group key, the whole counts at the measures' indexes (2 to 6)
	 */
	private static Map<List<Object>, long[]> wholeTokens(Map<List<Object>, BigInteger[]> groups, int toolAt) {
		Map<List<Object>, long[]> whole = new HashMap<>();
		Map<List<Object>, List<List<Object>>> byParent = new HashMap<>();
		for (Map.Entry<List<Object>, BigInteger[]> g : groups.entrySet()) {
			List<Object> parent = new ArrayList<>(g.getKey());
			if (toolAt >= 0) {
				parent.remove(toolAt);
			}
			// without tool, each group is its own parent: its billionths are whole tokens
			byParent.computeIfAbsent((toolAt >= 0) ? parent : g.getKey(), (k) -> new ArrayList<>()).add(g.getKey());
			whole.put(g.getKey(), new long[MEASURES.length]);
		}
		for (List<List<Object>> rows : byParent.values()) {
			for (int m = FIRST_TOKENS; m <= LAST_TOKENS; m++) {
				BigInteger[] shares = new BigInteger[rows.size()];
				String[] names = new String[rows.size()];
				for (int i = 0; i < shares.length; i++) {
					shares[i] = groups.get(rows.get(i))[m];
					names[i] = (toolAt >= 0) ? String.valueOf(rows.get(i).get(toolAt)) : null;
				}
				long[] counts = WholeShares.of(shares, names);
				for (int i = 0; i < shares.length; i++) {
					whole.get(rows.get(i))[m] = counts[i];
				}
			}
		}
		return whole;
	}

	/** The first and last token measure in {@link #MEASURES}. */
	private static final int FIRST_TOKENS = 2;

	private static final int LAST_TOKENS = 6;

	private static BigInteger[] zeros() {
		BigInteger[] z = new BigInteger[MEASURES.length];
		Arrays.fill(z, BigInteger.ZERO);
		return z;
	}

	/**
	 * Orders rows grouped by session: by time period (when grouped by one), then the
	 * session's cost in that period (descending), then the row's own cost (descending).
	 */
	private static void mostExpensiveSessionsFirst(List<Map<String, Object>> rows, String time) {
		Map<List<Object>, Double> sessionCost = new HashMap<>();
		for (Map<String, Object> row : rows) {
			sessionCost.merge(sessionOf(row, time), (Double) row.get("cost"), Double::sum);
		}
		Comparator<Map<String, Object>> order = (time != null)
				? (a, b) -> compareLabels(String.valueOf(a.get(time)), String.valueOf(b.get(time))) : (a, b) -> 0;
		rows.sort(order.thenComparing((row) -> sessionCost.get(sessionOf(row, time)), Comparator.reverseOrder())
			.thenComparing((row) -> String.valueOf(row.get("session")))
			.thenComparing((row) -> (Double) row.get("cost"), Comparator.reverseOrder()));
	}

	private static List<Object> sessionOf(Map<String, Object> row, String time) {
		return Arrays.asList((time != null) ? row.get(time) : null, row.get("session"));
	}

	private String sql(CountingSession session, List<String> dims, boolean time, boolean tools,
			boolean sessionProject) {
		List<String> select = new ArrayList<>();
		if (time) {
			select.add("(coalesce(w.ts, 0) // 900000) * 900");
		}
		for (String d : dims) {
			select.add(EXPRESSIONS.get(d));
		}
		String groupBy = String.join(", ", select);
		String share = tools ? "coalesce(1.0 / m.n, 1.0)" : "1.0";
		// a message's tool calls: its tool_use blocks, each id once per response (its
		// copies repeat them; another response that repeats an id counts it too, as the
		// incremental totals do); counted in every grouping, split by name when grouped
		// by tool; a call failed when a result of it (a tool_result naming its id) says
		// is_error, as the tool statistics count it
		String calls = session.toolUses()
				+ """
						calls AS (SELECT DISTINCT ON (id, key, kr) id, name, key, kr FROM uses ORDER BY id, key, kr, ts),
						results AS (SELECT id, bool_or(error) AS err FROM tools WHERE NOT use AND id IS NOT NULL GROUP BY 1),
						failed AS (SELECT c.id, c.name, c.key, c.kr, coalesce(r.err, false) AS err FROM calls c
						  LEFT JOIN results r ON r.id = c.id),
						per_message AS (SELECT key, kr, count(*) AS n, count(*) FILTER (WHERE err) AS nf FROM failed GROUP BY 1, 2)
						""";
		String joins = (tools ? " LEFT JOIN failed c ON c.key = w.key AND c.kr = w.kr" : "")
				+ " LEFT JOIN per_message m ON m.key = w.key AND m.kr = w.kr";
		// tokens as whole billionths of a message's share (WholeShares): exact sums
		String nanos = "sum(" + WholeShares.shareSql("w.%s", tools ? "coalesce(m.n, 1)" : "1") + ")";
		return session.winners() + calls + """
				, %s
				SELECT %s, count(DISTINCT w.key || chr(10) || w.kr), %s,
				  %s, %s, %s, %s, %s,
				  sum(w.cost_pico * %s),
				  sum(CASE WHEN w.logged_usd IS NULL THEN 0 ELSE round(w.logged_usd * 1e12) END * %s), %s,
				  count(DISTINCT CASE WHEN w.priced_as IS NULL THEN w.key || chr(10) || w.kr END),
				  count(DISTINCT CASE WHEN w.estimated THEN w.key || chr(10) || w.kr END)%s
				FROM priced w%s
				WHERE (? IS NULL OR w.project = ?) AND (? IS NULL OR w.session = ?) AND (? IS NULL OR w.model = ?)
				  AND coalesce(w.ts, 0) >= ? AND coalesce(w.ts, 0) < ?
				GROUP BY %s
				""".formatted(session.priced(), groupBy, tools ? "count(c.id)" : "coalesce(sum(m.n), 0)",
				nanos.formatted("inp"), nanos.formatted("outp"), nanos.formatted("w5m"), nanos.formatted("w1h"),
				nanos.formatted("rd"), share, share,
				tools ? "count(c.id) FILTER (WHERE c.err)" : "coalesce(sum(m.nf), 0)",
				sessionProject ? ", min(coalesce(w.project, ''))" : "", joins, groupBy);
	}

	private static String period(long bucketSeconds, String unit, ZoneId zone) {
		ZonedDateTime t = Instant.ofEpochSecond(bucketSeconds).atZone(zone);
		return switch (unit) {
			// with its offset: the two 01:00 hours of an autumn night in New York are
			// 01:00-04:00 and 01:00-05:00, not one
			case "hour" -> t.withMinute(0).withSecond(0).toOffsetDateTime().toString();
			case "day" -> t.toLocalDate().toString();
			case "week" -> t.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toString();
			case "month" -> t.toLocalDate().withDayOfMonth(1).toString().substring(0, 7);
			default -> throw new IllegalArgumentException(unit);
		};
	}

	/**
	 * Two labels of a key in order: hours by their instant (an autumn night's offsets: in
	 * Berlin {@code 02:00+02:00} comes before {@code 02:00+01:00}), the rest as text.
	 */
	private static int compareLabels(String x, String y) {
		return (HOUR.matcher(x).matches() && HOUR.matcher(y).matches())
				? OffsetDateTime.parse(x).toInstant().compareTo(OffsetDateTime.parse(y).toInstant()) : x.compareTo(y);
	}

	/** An hour as {@link #period} writes it: local time and offset. */
	private static final Pattern HOUR = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(Z|[+-]\\d{2}:\\d{2})");

	/**
	 * Keys in order: hours by their instant (an autumn night's offsets), the rest as
	 * text.
	 */
	private static int compareKeys(List<Object> a, List<Object> b) {
		for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
			int c = compareLabels(String.valueOf(a.get(i)), String.valueOf(b.get(i)));
			if (c != 0) {
				return c;
			}
		}
		return Integer.compare(a.size(), b.size());
	}

}
