package dev.cctracer.web.usage;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.cctracer.shared.discovery.Ids;
import dev.cctracer.shared.pricing.Cost;
import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.shared.pricing.PriceTable;
import dev.cctracer.web.usage.Dtos.AggregateDto;
import dev.cctracer.web.usage.Dtos.DailyDto;
import dev.cctracer.web.usage.Dtos.DayDto;
import dev.cctracer.web.usage.Dtos.ModelDayDto;
import dev.cctracer.web.usage.Dtos.ModelDto;
import dev.cctracer.web.usage.Dtos.ModelsDto;
import dev.cctracer.web.usage.Dtos.MonthDto;
import dev.cctracer.web.usage.Dtos.MonthlyDto;
import dev.cctracer.web.usage.Dtos.WeekDto;
import dev.cctracer.web.usage.Dtos.WeeklyDto;

/**
 * Reports over a period from the 15-minute rollups: totals, per day, week or month and
 * model, per model; optionally of one project and one origin (a machine of a team
 * database). Cached per data version. Costs in USD, instants ISO-8601 UTC; a period's end
 * inside a 15-minute bucket is read to the millisecond from the counted usage copies
 * ({@code UsageQueries}' range).
 */
@Service
@Transactional(readOnly = true)
public class ReportService {

	private final FileQueries files;

	private final UsageQueries usage;

	private final VersionedAnswers answers;

	private final PriceTable prices;

	ReportService(FileQueries files, UsageQueries usage, VersionedAnswers answers, PriceTable prices) {
		this.files = files;
		this.usage = usage;
		this.answers = answers;
		this.prices = prices;
	}

	/**
	 * Totals over a period, optionally of one project and of one origin: exact to the
	 * millisecond when a bound is an instant inside a 15-minute bucket (the range's own
	 * usage records at its ends). With an origin or a period, first and last activity are
	 * to the 15-minute bucket, within the first and last activity of all the data and
	 * within the period.
	 * @param project a project dir, or {@code null} for all
	 * @param origin an origin, or {@code null} for all
	 * @throws NotFoundException for an unknown project or origin
	 */
	public AggregateDto aggregate(String project, String origin, Period period, CostMode mode) {
		requireProject(project);
		String originFilter = knownOrigin(origin);
		// exact activity times, from the files (buckets are 15 minutes): one read a data
		// version, not one for each period asked (the status line asks two at each
		// append)
		Long[] span = this.answers.get(List.of("activity", String.valueOf(project)), () -> activity(project));
		return this.answers.get(List.of("aggregate", String.valueOf(project), String.valueOf(originFilter),
				String.valueOf(period.from()), String.valueOf(period.to()), mode), () -> {
					Sums sums = Sums.ZERO;
					Long first = null;
					Long last = null;
					for (UsageQueries.BucketRow b : this.usage.buckets(project, originFilter, period.from(),
							period.to())) {
						sums = sums.plus(b.sums());
						first = (first == null) ? b.bucket() : Math.min(first, b.bucket());
						last = (last == null) ? b.bucket() : Math.max(last, b.bucket());
					}
					long[] counts = this.usage.activeSessionsAndProjects(project, originFilter, period.from(),
							period.to());
					if (period.from() == null && period.to() == null && originFilter == null) {
						first = span[0];
						last = span[1];
					}
					else {
						// to the bucket, within the exact span of all the data: the
						// current
						// bucket's end was a last activity in the future
						first = (first != null) ? first * 1000 : null;
						last = (last != null) ? (last + 900) * 1000 - 1 : null;
						if (first != null && span[0] != null && span[0] > first) {
							first = span[0];
						}
						if (last != null && span[1] != null && span[1] < last) {
							last = span[1];
						}
						// and within the range asked (a bound inside a bucket)
						if (first != null && period.from() != null && first < period.from()) {
							first = period.from();
						}
						if (last != null && period.to() != null && last >= period.to()) {
							last = period.to() - 1;
						}
					}
					return new AggregateDto(sums.tokens(), sums.tokens().total(), sums.totalCost(mode), counts[0],
							(project == null) ? counts[1] : null, sums.messages(), UsageService.iso(first),
							UsageService.iso(last), sums.unpriced(), mode.name().toLowerCase(), sums.estimated(),
							sums.webSearches(), Cost.usd(sums.costWebSearch()), sums.cost(mode),
							sums.tokens().cacheHitRate());
				});
	}

	/**
	 * Per day (in the period's zone) and model, with the API errors of each day.
	 * @param project a project dir, or {@code null} for all
	 * @param origin an origin, or {@code null} for all
	 * @throws NotFoundException for an unknown project or origin
	 */
	public DailyDto daily(String project, String origin, Period period, CostMode mode) {
		List<DayDto> list = new ArrayList<>();
		grouped("daily", project, origin, period, mode, (day) -> day).forEach((day,
				g) -> list.add(new DayDto(day.toString(), g.total().input(), g.total().output(),
						g.total().write5m() + g.total().write1h(), g.total().read(), g.total().write5m(),
						g.total().write1h(), g.total().messages(), g.total().totalCost(mode), g.models(),
						g.total().webSearches(), g.apiErrors(), g.total().unpriced(), g.total().estimated())));
		return new DailyDto(period.zone().getId(), list);
	}

	/**
	 * Per week (Monday to Sunday in the period's zone) and model, with the API errors of
	 * each week: the days of {@link #daily} summed by week.
	 * @param project a project dir, or {@code null} for all
	 * @param origin an origin, or {@code null} for all
	 * @throws NotFoundException for an unknown project or origin
	 */
	public WeeklyDto weekly(String project, String origin, Period period, CostMode mode) {
		List<WeekDto> list = new ArrayList<>();
		grouped("weekly", project, origin, period, mode, ReportService::weekStart)
			.forEach((week, g) -> list.add(new WeekDto(week.toString(), week.plusDays(6).toString(), g.total().input(),
					g.total().output(), g.total().write5m() + g.total().write1h(), g.total().read(),
					g.total().write5m(), g.total().write1h(), g.total().messages(), g.total().totalCost(mode),
					g.models(), g.total().webSearches(), g.apiErrors(), g.total().unpriced(), g.total().estimated())));
		return new WeeklyDto(period.zone().getId(), list);
	}

	/**
	 * Per calendar month (in the period's zone) and model, with the API errors of each
	 * month: the days of {@link #daily} summed by month.
	 * @param project a project dir, or {@code null} for all
	 * @param origin an origin, or {@code null} for all
	 * @throws NotFoundException for an unknown project or origin
	 */
	public MonthlyDto monthly(String project, String origin, Period period, CostMode mode) {
		List<MonthDto> list = new ArrayList<>();
		grouped("monthly", project, origin, period, mode, (day) -> day.withDayOfMonth(1)).forEach((month,
				g) -> list.add(new MonthDto(month.toString().substring(0, 7), g.total().input(), g.total().output(),
						g.total().write5m() + g.total().write1h(), g.total().read(), g.total().write5m(),
						g.total().write1h(), g.total().messages(), g.total().totalCost(mode), g.models(),
						g.total().webSearches(), g.apiErrors(), g.total().unpriced(), g.total().estimated())));
		return new MonthlyDto(period.zone().getId(), list);
	}

	/** The Monday on or before a day. */
	public static LocalDate weekStart(LocalDate day) {
		return day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
	}

	/** One group (a day, week or month) of usage: totals, per model, API errors. */
	private record Group(Sums total, List<ModelDayDto> models, long apiErrors) {

	}

	/**
	 * The rollups of a period grouped by the day (in the period's zone) their bucket
	 * falls on, mapped by {@code key} (a day, its week's Monday, its month's first day);
	 * groups in order, each with its models and API errors. Cached per data version.
	 */
	private Map<LocalDate, Group> grouped(String kind, String project, String origin, Period period, CostMode mode,
			UnaryOperator<LocalDate> key) {
		requireProject(project);
		String originFilter = knownOrigin(origin);
		ZoneId zone = period.zone();
		Long fromMs = period.from();
		Long toMs = period.to();
		return this.answers.get(List.of(kind, String.valueOf(project), String.valueOf(originFilter),
				String.valueOf(fromMs), String.valueOf(toMs), zone, mode), () -> {
					Map<LocalDate, Map<String, Sums>> groups = new TreeMap<>();
					for (UsageQueries.BucketRow b : this.usage.buckets(project, originFilter, fromMs, toMs)) {
						LocalDate day = Instant.ofEpochSecond(b.bucket()).atZone(zone).toLocalDate();
						groups.computeIfAbsent(key.apply(day), (d) -> new TreeMap<>())
							.merge(b.model(), b.sums(), Sums::plus);
					}
					Map<LocalDate, Long> errors = new TreeMap<>();
					for (long ts : this.usage.apiErrorInstants(project, originFilter)) {
						if ((fromMs == null || ts >= fromMs) && (toMs == null || ts < toMs)) {
							LocalDate group = key.apply(Instant.ofEpochMilli(ts).atZone(zone).toLocalDate());
							errors.merge(group, 1L, Long::sum);
							groups.computeIfAbsent(group, (d) -> new TreeMap<>());
						}
					}
					Map<LocalDate, Group> result = new LinkedHashMap<>();
					groups.forEach((group, byModel) -> {
						List<ModelDayDto> models = new ArrayList<>();
						byModel.forEach((model, s) -> models.add(new ModelDayDto(model.isEmpty() ? null : model,
								s.tokens(), s.messages(), s.totalCost(mode), s.unpriced(), s.estimated())));
						result.put(group, new Group(byModel.values().stream().reduce(Sums.ZERO, Sums::plus),
								List.copyOf(models), errors.getOrDefault(group, 0L)));
					});
					return result;
				});
	}

	/**
	 * Totals per model, the most expensive first, each with how it is priced.
	 * @param project a project dir, or {@code null} for all
	 */
	public ModelsDto models(String project, CostMode mode) {
		return models(project, Period.all(), mode);
	}

	/**
	 * Totals per model over a period (to the millisecond), the most expensive first, each
	 * with how it is priced.
	 * @param project a project dir, or {@code null} for all
	 */
	public ModelsDto models(String project, Period period, CostMode mode) {
		if (project != null) {
			Params.project(project);
		}
		return this.answers.get("models:" + project + ":" + period.from() + ":" + period.to() + ":" + mode, () -> {
			Map<String, Sums> byModel = new TreeMap<>();
			for (UsageQueries.BucketRow b : this.usage.buckets(project, null, period.from(), period.to())) {
				byModel.merge(b.model(), b.sums(), Sums::plus);
			}
			return modelList(byModel, mode);
		});
	}

	/**
	 * Totals per model of one session (its subagents included), or of one of its agents,
	 * the most expensive first; cached per data version.
	 * @param agent a subagent or sidechain agent id, or {@code null} for the whole
	 * session
	 */
	public ModelsDto sessionModels(String project, String session, String agent, CostMode mode) {
		Params.project(project);
		Ids.requireSessionId(session);
		return this.answers.get("session-models:" + project + "/" + session + "/" + agent + ":" + mode,
				() -> modelList(this.usage.sessionModels(project, session, agent), mode));
	}

	private ModelsDto modelList(Map<String, Sums> byModel, CostMode mode) {
		List<ModelDto> list = new ArrayList<>();
		byModel.forEach((model, s) -> {
			PriceTable.Resolution r = this.prices.resolve(model.isEmpty() ? null : model);
			list.add(new ModelDto(model.isEmpty() ? null : model, s.unpriced() == 0, s.tokens(), s.tokens().total(),
					s.messages(), s.cost(mode), r.kind() == PriceTable.Resolution.Kind.ESTIMATED,
					(r.card() != null) ? r.card().id() : null));
		});
		list.sort(Comparator.comparingDouble((ModelDto m) -> m.cost().totalCost()).reversed());
		return new ModelsDto(List.copyOf(list));
	}

	/** A project filter: {@code null} for none; an unknown project is a 404. */
	private void requireProject(String project) {
		if (project != null) {
			Params.project(project);
			if (!this.files.projectExists(project)) {
				throw NotFoundException.project(project);
			}
		}
	}

	/**
	 * An origin asked for, checked: {@code null} for none (every origin).
	 * @throws IllegalArgumentException when it is over 255 characters (a 400)
	 * @throws NotFoundException when no indexed file has it (a 404)
	 */
	public String knownOrigin(String origin) {
		if (origin == null || origin.isEmpty()) {
			return null;
		}
		if (origin.length() > 255) {
			throw new IllegalArgumentException("origin is limited to 255 characters");
		}
		Set<String> known = this.answers.get("origins-known", () -> Set.copyOf(this.files.rootsByOrigin().keySet()));
		if (!known.contains(origin)) {
			throw new NotFoundException("no origin '" + origin.replaceAll("[^A-Za-z0-9._-]", "?") + "'");
		}
		return origin;
	}

	/** First and last activity (epoch milliseconds) of a project or of all. */
	private Long[] activity(String project) {
		Long first = null;
		Long last = null;
		for (FileQueries.ProjectRow p : this.files.projects()) {
			if ((project != null && !project.equals(p.projectDir())) || p.sums().messages() == 0) {
				continue;
			}
			// no conditional expressions: one of Long and long unboxes a null
			if (p.firstTs() != null && (first == null || p.firstTs() < first)) {
				first = p.firstTs();
			}
			if (p.lastTs() != null && (last == null || p.lastTs() > last)) {
				last = p.lastTs();
			}
		}
		return new Long[] { first, last };
	}

}
