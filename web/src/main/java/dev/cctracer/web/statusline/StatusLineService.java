package dev.cctracer.web.statusline;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.springframework.stereotype.Service;

import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.system.Formats;
import dev.cctracer.web.usage.BlocksService;
import dev.cctracer.web.usage.BlocksService.BlockDto;
import dev.cctracer.web.usage.LimitsProperties;
import dev.cctracer.web.usage.MonthBudget;
import dev.cctracer.web.usage.Period;
import dev.cctracer.web.usage.ReportService;
import dev.cctracer.web.usage.UsageService;

/**
 * What a status line shows, from the totals the web already caches per data version (and
 * the blocks per minute): no transcript is read, so it answers in milliseconds as often
 * as Claude Code asks.
 */
@Service
public class StatusLineService {

	private final UsageService usage;

	private final ReportService reports;

	private final BlocksService blocks;

	private final LimitsProperties limits;

	private final Formats fmt;

	StatusLineService(UsageService usage, ReportService reports, BlocksService blocks, LimitsProperties limits,
			Formats fmt) {
		this.usage = usage;
		this.reports = reports;
		this.blocks = blocks;
		this.limits = limits;
		this.fmt = fmt;
	}

	/**
	 * The current 5-hour block (ccusage's billing blocks, as {@code /api/metrics/blocks}
	 * finds them).
	 *
	 * @param cost its cost so far, USD
	 * @param endsAt its end, a UTC instant
	 * @param minutesLeft whole minutes until then
	 * @param costPerHour its burn rate, USD per hour, or {@code null} before it can be
	 * told
	 */
	public record Block(double cost, String endsAt, long minutesLeft, Double costPerHour) {

	}

	/**
	 * A status line.
	 *
	 * @param sessionId the session asked for, or {@code null}
	 * @param project its project dir, or {@code null} when not asked or not indexed yet
	 * (a session's first lines come seconds after it starts)
	 * @param sessionCost its whole cost (subagents included), USD, or {@code null}
	 * without a project
	 * @param sessionUnpricedMessages its responses of a model of no known family (their
	 * tokens cost 0: the text says so after the session's cost), or {@code null} without
	 * a project
	 * @param todayCost every project's cost today in {@code tz}, USD
	 * @param block the current 5-hour block, or {@code null} when none is active
	 * @param month this month against {@code cctracer.limits.monthly-budget-usd}, or
	 * {@code null} when no budget is set
	 * @param tz the zone whose today and month these are
	 * @param text the line, its costs in the pages' currency
	 * ({@code cctracer.display.currency}), e.g. {@code session $2.10 · today $4.12 ·
	 * block $3.60, 4h 20m left, $2.70/h · month $84.00 of $200.00 (42%)}
	 */
	public record StatusLine(String sessionId, String project, Double sessionCost, Long sessionUnpricedMessages,
			double todayCost, Block block, MonthBudget month, String tz, String text) {

	}

	/**
	 * The status line at {@code now}.
	 * @param session a session id, or {@code null}
	 * @throws dev.cctracer.shared.discovery.Ids.InvalidIdException when {@code session}
	 * is not a session id (a 400)
	 */
	public StatusLine now(String session, ZoneId zone, CostMode mode, Instant now) {
		String project = null;
		Double sessionCost = null;
		Long unpriced = null;
		if (session != null) {
			Optional<String> found = this.usage.projectOfSession(session);
			if (found.isPresent()) {
				project = found.get();
				Optional<UsageService.SessionCost> cost = this.usage.sessionCost(project, session, mode);
				sessionCost = cost.map(UsageService.SessionCost::usd).orElse(null);
				unpriced = cost.map(UsageService.SessionCost::unpricedMessages).orElse(null);
			}
		}
		LocalDate today = now.atZone(zone).toLocalDate();
		double todayCost = this.reports.aggregate(null, null, Period.days(today, today, zone), mode).totalCost();
		BlockDto active = this.blocks.blocks(null, Period.days(null, null, zone), mode, now.toEpochMilli())
			.activeBlock();
		Block block = null;
		if (active != null) {
			long left = Math.max(0, Duration.between(now, Instant.parse(active.endTime())).toMinutes());
			block = new Block(active.cost(), active.endTime(), left, active.costPerHour());
		}
		Double budget = this.limits.monthlyBudgetUsd();
		MonthBudget month = (budget != null) ? MonthBudget.of(this.reports, null, zone, now, mode, budget) : null;
		return new StatusLine(session, project, sessionCost, unpriced, todayCost, block, month, zone.getId(),
				text(sessionCost, unpriced, todayCost, block, month));
	}

	private String text(Double sessionCost, Long unpriced, double todayCost, Block block, MonthBudget month) {
		List<String> parts = new ArrayList<>();
		if (sessionCost != null) {
			// a model of no known family costs 0: the cost is then no whole one (a drift
			// trial's session of such a model read "session $0.03" alone)
			parts.add("session " + this.fmt.money(sessionCost)
					+ ((unpriced != null && unpriced > 0) ? " (" + unpriced + " unpriced)" : ""));
		}
		parts.add("today " + this.fmt.money(todayCost));
		if (block != null) {
			String left = (block.minutesLeft() >= 60)
					? String.format(Locale.ROOT, "%dh %02dm", block.minutesLeft() / 60, block.minutesLeft() % 60)
					: block.minutesLeft() + "m";
			parts.add("block " + this.fmt.money(block.cost()) + ", " + left + " left"
					+ ((block.costPerHour() != null) ? ", " + this.fmt.money(block.costPerHour()) + "/h" : ""));
		}
		else {
			parts.add("no active block");
		}
		if (month != null) {
			parts.add("month " + this.fmt.money(month.spentUsd()) + " of " + this.fmt.money(month.budgetUsd()) + " ("
					+ Math.round(month.percent()) + "%)");
		}
		return String.join(" · ", parts);
	}

}
