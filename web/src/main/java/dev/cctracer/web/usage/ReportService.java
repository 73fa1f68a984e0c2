package dev.cctracer.web.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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

/**
 * Reports over a period from the 15-minute rollups: totals, per day and model, per model;
 * optionally of one project and one origin (a machine of a team database). Cached per
 * data version. Costs in USD, instants ISO-8601 UTC; a period's ends are rounded to the
 * rollups' 15-minute buckets.
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
	 * Totals over a period, optionally of one project and of one origin (with an origin
	 * or a period, first and last activity are to the 15-minute bucket).
	 * @param project a project dir, or {@code null} for all
	 * @param origin an origin, or {@code null} for all
	 * @throws NotFoundException for an unknown project or origin
	 */
	public AggregateDto aggregate(String project, String origin, Period period, CostMode mode) {
		requireProject(project);
		String originFilter = origin(origin);
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
						// exact activity times (buckets are 15 minutes): from the files
						Long[] span = activity(project);
						first = span[0];
						last = span[1];
					}
					else {
						first = (first != null) ? first * 1000 : null;
						last = (last != null) ? (last + 900) * 1000 - 1 : null;
					}
					return new AggregateDto(sums.tokens(), sums.tokens().total(), sums.totalCost(mode), counts[0],
							(project == null) ? counts[1] : null, sums.messages(), UsageService.iso(first),
							UsageService.iso(last), sums.unpriced(), mode.name().toLowerCase(), sums.estimated(),
							sums.webSearches(), Cost.usd(sums.costWebSearch()));
				});
	}

	/**
	 * Per day (in the period's zone) and model, with the API errors of each day.
	 * @param project a project dir, or {@code null} for all
	 * @param origin an origin, or {@code null} for all
	 * @throws NotFoundException for an unknown project or origin
	 */
	public DailyDto daily(String project, String origin, Period period, CostMode mode) {
		requireProject(project);
		String originFilter = origin(origin);
		ZoneId zone = period.zone();
		Long fromSec = period.from();
		Long toSec = period.to();
		return this.answers.get(List.of("daily", String.valueOf(project), String.valueOf(originFilter),
				String.valueOf(fromSec), String.valueOf(toSec), zone, mode), () -> {
					Map<LocalDate, Map<String, Sums>> days = new TreeMap<>();
					for (UsageQueries.BucketRow b : this.usage.buckets(project, originFilter, fromSec, toSec)) {
						LocalDate day = Instant.ofEpochSecond(b.bucket()).atZone(zone).toLocalDate();
						days.computeIfAbsent(day, (d) -> new TreeMap<>()).merge(b.model(), b.sums(), Sums::plus);
					}
					Map<LocalDate, Long> errors = new TreeMap<>();
					for (long ts : this.usage.apiErrorInstants(project, originFilter)) {
						long sec = Math.floorDiv(ts, 1000L);
						if ((fromSec == null || sec >= fromSec) && (toSec == null || sec < toSec)) {
							LocalDate day = Instant.ofEpochMilli(ts).atZone(zone).toLocalDate();
							errors.merge(day, 1L, Long::sum);
							days.computeIfAbsent(day, (d) -> new TreeMap<>());
						}
					}
					List<DayDto> list = new ArrayList<>();
					days.forEach((day, byModel) -> {
						Sums total = byModel.values().stream().reduce(Sums.ZERO, Sums::plus);
						List<ModelDayDto> models = new ArrayList<>();
						byModel.forEach((model, s) -> models.add(new ModelDayDto(model.isEmpty() ? null : model,
								s.tokens(), s.messages(), s.totalCost(mode))));
						list.add(new DayDto(day.toString(), total.input(), total.output(),
								total.write5m() + total.write1h(), total.read(), total.write5m(), total.write1h(),
								total.messages(), total.totalCost(mode), models, total.webSearches(),
								errors.getOrDefault(day, 0L)));
					});
					return new DailyDto(zone.getId(), list);
				});
	}

	/**
	 * Totals per model, the most expensive first, each with how it is priced.
	 * @param project a project dir, or {@code null} for all
	 */
	public ModelsDto models(String project, CostMode mode) {
		if (project != null) {
			Params.project(project);
		}
		return this.answers.get("models:" + project + ":" + mode, () -> {
			Map<String, Sums> byModel = new TreeMap<>();
			for (UsageQueries.BucketRow b : this.usage.buckets(project, null, null, null)) {
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
	 * An origin filter: null for none; an unknown origin is a 404, an overlong one a 400.
	 */
	private String origin(String origin) {
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
			first = (p.firstTs() == null) ? first : (first == null ? p.firstTs() : Math.min(first, p.firstTs()));
			last = (p.lastTs() == null) ? last : (last == null ? p.lastTs() : Math.max(last, p.lastTs()));
		}
		return new Long[] { first, last };
	}

}
