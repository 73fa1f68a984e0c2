package dev.cctracer.web.usage;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.cctracer.shared.log.Timestamps;
import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.usage.Dtos.TokensDto;

/**
 * Five-hour billing blocks and weekly totals. A block starts at the UTC hour floor of its
 * first record, whatever the zone the report is shown in (ccusage's {@code floorToHour},
 * {@code setUTCMinutes(0, 0, 0)} in its {@code _session-blocks.ts}: in a zone of a half
 * or quarter hour the blocks had moved with the zone), and lasts 5 hours; a record at or
 * after the block's end, or after a gap of 5 hours or more, starts a new block. Records
 * are the counted (deduplicated) usage records; weeks are the zone's.
 */
@Service
@Transactional(readOnly = true)
public class BlocksService {

	static final Duration BLOCK = Duration.ofHours(5);

	private static final long HOUR_MS = Duration.ofHours(1).toMillis();

	/**
	 * The clock's step for the blocks report (milliseconds): an answer is kept for the
	 * minute it was computed in.
	 */
	private static final long CLOCK_STEP_MS = 60_000;

	private static final int DEFAULT_DAYS = 7;

	private final UsageQueries queries;

	private final FileQueries files;

	private final LimitsProperties limits;

	private final VersionedAnswers answers;

	BlocksService(UsageQueries queries, FileQueries files, LimitsProperties limits, VersionedAnswers answers) {
		this.queries = queries;
		this.files = files;
		this.limits = limits;
		this.answers = answers;
	}

	/**
	 * One block; {@code unpricedMessages} and {@code estimatedMessages} count its
	 * responses of a model of no known family (tokens at 0) and of one the table does not
	 * list (its family's newest card), as every report's rows do.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record BlockDto(String startTime, String endTime, String lastActivity, boolean isActive, TokensDto tokens,
			long totalTokens, double cost, long messageCount, List<String> models, Double tokensPerMinute,
			Double costPerHour, Long projectedTotalTokens, Double projectedCost, Double percentOfTokenLimit,
			Double percentOfCostLimit, Double projectedPercentOfTokenLimit, Double projectedPercentOfCostLimit,
			long unpricedMessages, long estimatedMessages) {

	}

	/** One week (from Monday, in the zone), its flags as a block's. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record WeekDto(String weekStart, TokensDto tokens, long totalTokens, double cost, long messageCount,
			Double percentOfTokenLimit, Double percentOfCostLimit, long unpricedMessages, long estimatedMessages) {

	}

	/** The report. */
	public record BlocksDto(String timezone, String from, String to, List<BlockDto> blocks, BlockDto activeBlock,
			List<WeekDto> weeks, LimitsProperties limits) {

	}

	/**
	 * The blocks report, computed once per data version and minute: a block's activity is
	 * judged at most a minute late, and a page or client polling it costs one query per
	 * change instead of one per request. For a period with both ends the blocks' sums and
	 * the weeks are summed once per data version, and each minute only judges the active
	 * block again (on 15,000 files, summing three weeks of records took 14–17 s, once a
	 * minute).
	 * @param project a project dir, or {@code null} for all
	 * @param period blocks in it; an open end is {@code nowMs} (or the start, when that
	 * is later: an empty range), an open start 7 days before the end
	 * @param nowMs the clock (epoch milliseconds) that decides the active block
	 * @throws NotFoundException for an unknown project
	 */
	public BlocksDto blocks(String project, Period period, CostMode mode, long nowMs) {
		return this.answers.get(key(project, period, mode, nowMs), () -> compute(project, period, mode, nowMs));
	}

	/**
	 * What a blocks report depends on: its arguments and the minute of {@code nowMs} (the
	 * active block depends on the clock), as a cache key.
	 */
	public static List<Object> key(String project, Period period, CostMode mode, long nowMs) {
		return Arrays.asList("blocks", nowMs / CLOCK_STEP_MS, project, period, mode);
	}

	private BlocksDto compute(String project, Period period, CostMode mode, long nowMs) {
		ZoneId zone = period.zone();
		if (project != null && !this.files.projectExists(Params.project(project))) {
			throw NotFoundException.project(project);
		}
		long end = (period.to() != null) ? period.to() : nowMs + 1;
		long fromMs = (period.from() != null) ? period.from() : end - Duration.ofDays(DEFAULT_DAYS).toMillis();
		// an empty range, as every other report answers it: two instants within one
		// millisecond (Period takes both at the next one), or an open end before a start
		// still to come
		long toMs = Math.max(fromMs, end);
		// the blocks' sums and the weeks do not depend on the clock: for a period with
		// an end they are summed once per data version, not once a minute (an open end
		// is the clock itself)
		Activity activity = (period.to() == null) ? activity(project, fromMs, toMs, zone, mode)
				: this.answers.get(Arrays.asList("blocks-activity", project, fromMs, toMs, zone, mode),
						() -> activity(project, fromMs, toMs, zone, mode));
		List<BlockDto> blocks = activity.blocks().stream().map((b) -> b.dto(mode, nowMs)).toList();
		BlockDto active = blocks.stream().filter(BlockDto::isActive).findFirst().orElse(null);
		return new BlocksDto(zone.getId(), shown(fromMs), shown(toMs), blocks, active, activity.weeks(), this.limits);
	}

	/**
	 * The counted records of a period (epoch milliseconds, the end exclusive) in blocks
	 * and weeks.
	 */
	private Activity activity(String project, long fromMs, long toMs, ZoneId zone, CostMode mode) {
		List<UsageQueries.RecordRow> records = this.queries.countedRecords(project, fromMs, toMs);
		List<Acc> blocks = new ArrayList<>();
		Acc acc = null;
		for (UsageQueries.RecordRow r : records) {
			if (acc == null || r.ts() >= acc.start + BLOCK.toMillis() || r.ts() - acc.last >= BLOCK.toMillis()) {
				// the UTC hour, whatever the zone shown: a block's limits are instants
				long start = Math.floorDiv(r.ts(), HOUR_MS) * HOUR_MS;
				acc = new Acc(start);
				blocks.add(acc);
			}
			acc.add(r);
		}
		return new Activity(List.copyOf(blocks), weeks(records, zone, mode));
	}

	/**
	 * The blocks of a period, summed and closed (never changed once built), and its
	 * weeks: what its records say, whatever the clock.
	 */
	private record Activity(List<Acc> blocks, List<WeekDto> weeks) {

	}

	private List<WeekDto> weeks(List<UsageQueries.RecordRow> records, ZoneId zone, CostMode mode) {
		Map<String, Sums> byWeek = new TreeMap<>();
		for (UsageQueries.RecordRow r : records) {
			String week = ZonedDateTime.ofInstant(Instant.ofEpochMilli(r.ts()), zone)
				.toLocalDate()
				.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
				.toString();
			byWeek.merge(week, r.sums(), Sums::plus);
		}
		List<WeekDto> weeks = new ArrayList<>();
		byWeek.forEach((week,
				s) -> weeks.add(new WeekDto(week, s.tokens(), s.tokens().total(), s.totalCost(mode), s.messages(),
						percent(s.tokens().total(), this.limits.weeklyTokens()),
						percent(s.totalCost(mode), this.limits.weeklyCostUsd()), s.unpriced(), s.estimated())));
		return weeks;
	}

	/**
	 * An instant as the report shows it (UTC, RFC 3339); one past 9999, the end of a
	 * range or block that reaches the API's last day, is shown as the last instant a line
	 * can have ({@link Timestamps#MAX_MS}): a year of five digits ({@code +10000-01-01})
	 * is no RFC 3339 date, and JavaScript's {@code Date} reads none.
	 */
	static String shown(long ms) {
		return Instant.ofEpochMilli(Math.min(ms, Timestamps.MAX_MS)).toString();
	}

	/** A share of a limit in percent to 0.01, as the monthly budget's. */
	private static Double percent(double value, Number limit) {
		return (limit == null || limit.doubleValue() <= 0) ? null
				: MonthBudget.hundredths(100.0 * value / limit.doubleValue());
	}

	private final class Acc {

		final long start;

		long first = Long.MAX_VALUE;

		long last;

		Sums sums = Sums.ZERO;

		final TreeSet<String> models = new TreeSet<>();

		Acc(long start) {
			this.start = start;
		}

		void add(UsageQueries.RecordRow r) {
			this.first = Math.min(this.first, r.ts());
			this.last = Math.max(this.last, r.ts());
			this.sums = this.sums.plus(r.sums());
			if (r.model() != null && !r.model().isEmpty()) {
				this.models.add(r.model());
			}
		}

		BlockDto dto(CostMode mode, long now) {
			long end = this.start + BLOCK.toMillis();
			boolean active = now < end && now - this.last < BLOCK.toMillis();
			long tokens = this.sums.tokens().total();
			double cost = this.sums.totalCost(mode);
			// a rate needs a span: usage at one instant (one response) has none, as
			// ccusage's blocks show no burn rate then; a span under a minute counts as
			// one
			boolean span = this.last > this.first;
			double minutes = Math.max(1.0, (this.last - this.first) / 60_000.0);
			Double tpm = span ? tokens / minutes : null;
			Double cph = span ? cost / minutes * 60 : null;
			Long projectedTokens = null;
			Double projectedCost = null;
			if (active && span) {
				double remaining = Math.max(0, (end - now) / 60_000.0);
				projectedTokens = Math.round(tokens + tpm * remaining);
				projectedCost = cost + cph / 60 * remaining;
			}
			LimitsProperties l = BlocksService.this.limits;
			return new BlockDto(shown(this.start), shown(end), shown(this.last), active, this.sums.tokens(), tokens,
					cost, this.sums.messages(), List.copyOf(this.models), tpm, cph, projectedTokens, projectedCost,
					percent(tokens, l.blockTokens()), percent(cost, l.blockCostUsd()),
					(projectedTokens != null) ? percent(projectedTokens, l.blockTokens()) : null,
					(projectedCost != null) ? percent(projectedCost, l.blockCostUsd()) : null, this.sums.unpriced(),
					this.sums.estimated());
		}

	}

}
