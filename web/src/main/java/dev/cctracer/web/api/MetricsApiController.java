package dev.cctracer.web.api;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.shared.pricing.PriceTable;
import dev.cctracer.shared.pricing.Rates;
import dev.cctracer.web.usage.BlocksService;
import dev.cctracer.web.usage.Dtos.AggregateDto;
import dev.cctracer.web.usage.Dtos.DailyDto;
import dev.cctracer.web.usage.Dtos.ModelsDto;
import dev.cctracer.web.usage.Dtos.MonthlyDto;
import dev.cctracer.web.usage.Dtos.WeeklyDto;
import dev.cctracer.web.usage.LimitsProperties;
import dev.cctracer.web.usage.MonthBudget;
import dev.cctracer.web.usage.Period;
import dev.cctracer.web.usage.ReportService;
import dev.cctracer.web.usage.VersionedAnswers;

/**
 * Aggregates, daily, weekly and monthly series, 5-hour blocks, per-model totals and
 * prices. The reports are sent as JSON serialised once per data version
 * ({@link VersionedAnswers#json}).
 */
@RestController
@RequestMapping("/api/metrics")
class MetricsApiController {

	private final ReportService reports;

	private final PriceTable prices;

	private final BlocksService blocks;

	private final VersionedAnswers answers;

	private final LimitsProperties limits;

	private final Clock clock;

	MetricsApiController(ReportService reports, PriceTable prices, BlocksService blocks, VersionedAnswers answers,
			LimitsProperties limits, Clock clock) {
		this.clock = clock;
		this.limits = limits;
		this.reports = reports;
		this.prices = prices;
		this.blocks = blocks;
		this.answers = answers;
	}

	@GetMapping("/aggregate")
	@ApiResponse(responseCode = "200",
			content = @Content(mediaType = "application/json", schema = @Schema(implementation = AggregateDto.class)))
	ResponseEntity<byte[]> aggregate(@RequestParam(name = "project_hash", required = false) String project,
			@RequestParam(required = false) String origin, @Valid Period.Query query, CostMode mode) {
		Period period = query.period();
		return this.answers.json(Arrays.asList("aggregate", project, origin, period, mode),
				() -> this.reports.aggregate(project, origin, period, mode));
	}

	@GetMapping("/daily")
	@ApiResponse(responseCode = "200",
			content = @Content(mediaType = "application/json", schema = @Schema(implementation = DailyDto.class)))
	ResponseEntity<byte[]> daily(@RequestParam(name = "project_hash", required = false) String project,
			@RequestParam(required = false) String origin, @Valid Period.Query query, CostMode mode) {
		Period period = query.period();
		return this.answers.json(Arrays.asList("daily", project, origin, period, mode),
				() -> this.reports.daily(project, origin, period, mode));
	}

	@GetMapping("/daily/{project}")
	@ApiResponse(responseCode = "200",
			content = @Content(mediaType = "application/json", schema = @Schema(implementation = DailyDto.class)))
	ResponseEntity<byte[]> dailyForProject(@PathVariable String project, @Valid Period.Query query,
			@RequestParam(name = "start_date", required = false) String startDate,
			@RequestParam(name = "end_date", required = false) String endDate,
			@RequestParam(required = false) Integer days, CostMode mode) {
		Period period = originalRange(query, startDate, endDate, days);
		return this.answers.json(Arrays.asList("daily-of-project", project, period, mode),
				() -> this.reports.daily(project, null, period, mode));
	}

	/**
	 * The range of a project's days: {@code from}/{@code to}, else the original tracer's
	 * {@code start_date} and {@code end_date} (a day or an instant, as {@code from} and
	 * {@code to}), else its last {@code days} days (1 to 365, today included, in
	 * {@code tz}). Without any of them the range is all time (the original's 30-day
	 * default is not applied: this endpoint's own callers ask for all).
	 * @throws IllegalArgumentException for a malformed bound (named as given) or
	 * {@code days} outside 1 to 365
	 */
	private Period originalRange(Period.Query query, String startDate, String endDate, Integer days) {
		boolean ours = (query.from() != null && !query.from().isBlank())
				|| (query.to() != null && !query.to().isBlank());
		if (ours || (startDate == null && endDate == null && days == null)) {
			return query.period();
		}
		if (startDate != null || endDate != null) {
			return new Period.Query(startDate, endDate, query.tz()).period("start_date", "end_date");
		}
		if (days < 1 || days > 365) {
			throw new IllegalArgumentException("days must be 1 to 365: " + days);
		}
		ZoneId zone = Period.Query.zone(query.tz());
		return new Period.Query(LocalDate.ofInstant(this.clock.instant(), zone).minusDays(days - 1).toString(), null,
				query.tz())
			.period();
	}

	/** Weeks (Monday to Sunday in {@code tz}) and models; project and origin optional. */
	@GetMapping("/weekly")
	@ApiResponse(responseCode = "200",
			content = @Content(mediaType = "application/json", schema = @Schema(implementation = WeeklyDto.class)))
	ResponseEntity<byte[]> weekly(@RequestParam(name = "project_hash", required = false) String project,
			@RequestParam(required = false) String origin, @Valid Period.Query query, CostMode mode) {
		Period period = query.period();
		return this.answers.json(Arrays.asList("weekly", project, origin, period, mode),
				() -> this.reports.weekly(project, origin, period, mode));
	}

	/** Calendar months (in {@code tz}) and models; project and origin optional. */
	@GetMapping("/monthly")
	@ApiResponse(responseCode = "200",
			content = @Content(mediaType = "application/json", schema = @Schema(implementation = MonthlyDto.class)))
	ResponseEntity<byte[]> monthly(@RequestParam(name = "project_hash", required = false) String project,
			@RequestParam(required = false) String origin, @Valid Period.Query query, CostMode mode) {
		Period period = query.period();
		return this.answers.json(Arrays.asList("monthly", project, origin, period, mode),
				() -> this.reports.monthly(project, origin, period, mode));
	}

	/**
	 * The blocks at this minute: the service judges a block's activity per minute, so the
	 * minute is part of the key.
	 */
	@GetMapping("/blocks")
	@ApiResponse(responseCode = "200", content = @Content(mediaType = "application/json",
			schema = @Schema(implementation = BlocksService.BlocksDto.class)))
	ResponseEntity<byte[]> blocks(@RequestParam(name = "project_hash", required = false) String project,
			@Valid Period.Query query, CostMode mode) {
		Period period = query.period();
		long now = this.clock.instant().toEpochMilli();
		return this.answers.json(BlocksService.key(project, period, mode, now),
				() -> this.blocks.blocks(project, period, mode, now));
	}

	/**
	 * This calendar month (in {@code tz}, default the server's zone) against the monthly
	 * budget ({@code cctracer.limits.monthly-budget-usd}): spent, percent, the projection
	 * to the month's end and a status a script can alert on ({@link MonthBudget}).
	 * @throws IllegalArgumentException for an unknown zone (a 400)
	 */
	@GetMapping("/budget")
	MonthBudget budget(@RequestParam(required = false) String origin, @RequestParam(required = false) String tz,
			CostMode mode) {
		return MonthBudget.of(this.reports, origin, Period.Query.zone(tz), this.clock.instant(), mode,
				(this.limits != null) ? this.limits.monthlyBudgetUsd() : null);
	}

	/**
	 * Usage per model, over all time or a range ({@code from}, {@code to}, {@code tz}: to
	 * the millisecond, as the report download of the same name).
	 */
	@GetMapping("/models")
	ModelsDto models(@RequestParam(name = "project_hash", required = false) String project, @Valid Period.Query query,
			CostMode mode) {
		return this.reports.models(project, query.period(), mode);
	}

	/**
	 * Current prices in USD per million tokens, one entry per model (the original's flat
	 * shape).
	 */
	@GetMapping("/pricing")
	ResponseEntity<Map<String, Map<String, Object>>> pricing() {
		Map<String, Map<String, Object>> body = new LinkedHashMap<>();
		long now = this.clock.instant().toEpochMilli();
		for (PriceTable.ModelPrices m : this.prices.models()) {
			PriceTable.Period p = m.at(now);
			Map<String, Object> entry = new LinkedHashMap<>(perMillion(p.base()));
			entry.put("cache_create", entry.get("cache_write_5m"));
			if (p.longContext() != null) {
				Map<String, Object> lc = new LinkedHashMap<>(perMillion(p.longContext()));
				lc.put("above_input_tokens", p.longContextThreshold());
				entry.put("long_context", lc);
			}
			entry.put("fast_multiplier", m.fastMultiplier());
			entry.put("effective_from", Instant.ofEpochMilli(p.effectiveFromMillis()).toString().substring(0, 10));
			body.put(m.id(), entry);
		}
		return ResponseEntity.ok().header("X-Price-Table-Version", this.prices.version()).body(body);
	}

	private static Map<String, Object> perMillion(Rates r) {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("input", Rates.perMillion(r.input()));
		m.put("output", Rates.perMillion(r.output()));
		m.put("cache_write_5m", Rates.perMillion(r.cacheWrite5m()));
		m.put("cache_write_1h", Rates.perMillion(r.cacheWrite1h()));
		m.put("cache_read", Rates.perMillion(r.cacheRead()));
		return m;
	}

}
