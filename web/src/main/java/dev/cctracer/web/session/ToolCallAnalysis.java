package dev.cctracer.web.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.springframework.stereotype.Component;

import dev.cctracer.shared.usage.WholeShares;
import dev.cctracer.shared.job.ToolStat;
import dev.cctracer.shared.log.Usage;
import dev.cctracer.shared.pricing.Cost;
import dev.cctracer.shared.transcript.MessageItem;
import dev.cctracer.shared.transcript.TranscriptIndex;
import dev.cctracer.shared.transcript.ToolFailure;
import dev.cctracer.shared.transcript.TranscriptText;
import dev.cctracer.web.session.AnalysisDtos.ErrorDto;
import dev.cctracer.web.session.AnalysisDtos.ErrorsDto;
import dev.cctracer.web.session.AnalysisDtos.SkillDto;
import dev.cctracer.web.session.AnalysisDtos.SkillsDto;
import dev.cctracer.web.session.AnalysisDtos.ToolsDto;
import dev.cctracer.web.session.TranscriptCache.Open;
import dev.cctracer.web.usage.IndexedFiles.FileRef;

/**
 * What the tool calls of a session's transcripts (main file and subagent files) did:
 * statistics per tool, the failed tool results, and the {@code Skill} invocations.
 */
@Component
class ToolCallAnalysis {

	/** How a turn's tokens and cost are attributed to tools. */
	static final String TOOL_ATTRIBUTION = "an assistant message's tokens and cost are split evenly over its tool calls";

	private final TranscriptCache cache;

	private final MessageCosts costs;

	ToolCallAnalysis(TranscriptCache cache, MessageCosts costs) {
		this.cache = cache;
		this.costs = costs;
	}

	/**
	 * Statistics per tool over the given transcripts: calls, failed calls, durations from
	 * call to result (seconds, mean and 95th percentile), and tokens and cost (USD) of
	 * the calling turns split evenly over their calls; most called first.
	 */
	ToolsDto tools(List<FileRef> refs) {
		Map<String, ToolAcc> byName = new TreeMap<>();
		// a call counts once per session: a subagent file may repeat the main
		// conversation's calls (a side question's transcript starts with a copy of it)
		Set<String> counted = new HashSet<>();
		for (FileRef ref : refs) {
			try (Open open = this.cache.open(ref)) {
				TranscriptIndex index = open.index();
				MessageCosts.Counted countedHere = this.costs.of(ref);
				Map<String, Long> resultTimes = new HashMap<>();
				Map<String, ToolFailure> errors = new HashMap<>();
				for (MessageItem item : index.from(0)) {
					item.toolUseIds().forEach((id) -> resultTimes.putIfAbsent(id, item.timestamp()));
					if (!item.errorToolUseIds().isEmpty()) {
						failures(open, item, errors);
						item.errorToolUseIds().forEach((id) -> errors.putIfAbsent(id, ToolFailure.FAILED));
					}
				}
				for (MessageItem item : index.from(0)) {
					// a response the totals count elsewhere (another session's copy, or
					// another copy) has its calls counted there
					if (item.tools().isEmpty() || Boolean.FALSE.equals(countedHere.counted(item))) {
						continue;
					}
					int n = item.tools().size();
					Usage u = (item.usage() != null) ? item.usage() : Usage.ZERO;
					long cost = countedHere.pico(item);
					for (MessageItem.ToolUse t : item.tools()) {
						if (t.id() != null && !counted.add(t.id())) {
							continue;
						}
						ToolAcc acc = byName.computeIfAbsent(String.valueOf(t.name()), (k) -> new ToolAcc());
						acc.calls++;
						long[] kinds = { u.input(), u.output(), u.cacheWrite5m(), u.cacheWrite1h(), u.cacheRead() };
						for (int k = 0; k < kinds.length; k++) {
							acc.tokens[k] = acc.tokens[k].add(WholeShares.share(kinds[k], n));
						}
						acc.costPico += (double) cost / n;
						ToolFailure failure = errors.get(t.id());
						if (failure != null) {
							acc.errors++;
							acc.failedCostPico += (double) cost / n;
							acc.declined += (failure == ToolFailure.DECLINED) ? 1 : 0;
							acc.cancelled += (failure == ToolFailure.CANCELLED) ? 1 : 0;
						}
						Long done = resultTimes.get(t.id());
						if (t.timestamp() != null && done != null && done >= t.timestamp()) {
							acc.durations.add((done - t.timestamp()) / 1000.0);
						}
					}
				}
			}
		}
		List<ToolStat> stats = new ArrayList<>();
		long total = 0;
		long[] tokens = wholeTokens(byName);
		int i = 0;
		for (Map.Entry<String, ToolAcc> e : byName.entrySet()) {
			ToolAcc a = e.getValue();
			total += a.calls;
			stats.add(new ToolStat(e.getKey(), a.calls, a.errors, (a.calls == 0) ? 0 : (double) a.errors / a.calls,
					a.average(), a.p95(), tokens[i++], Cost.usd(Math.round(a.costPico)),
					Cost.usd(Math.round(a.failedCostPico)), a.declined, a.cancelled));
		}
		stats.sort(Comparator.comparingLong(ToolStat::calls).reversed().thenComparing(ToolStat::name));
		return new ToolsDto(stats, total, TOOL_ATTRIBUTION);
	}

	/**
	 * The failed tool results of the given transcripts, oldest first: when (UTC), which
	 * tool, the first 500 characters of the output, and the subagent ({@code null} for
	 * the main transcript). A call's failure is listed once, as the totals count it: a
	 * side question's transcript replays the session's failed results (the same
	 * {@code tool_use_id}), which stay the main transcript's.
	 * @param refs the session's transcripts, the main one first
	 * @throws UncheckedIOException when a transcript cannot be read
	 */
	ErrorsDto errors(List<FileRef> refs) {
		return errors(refs, new HashSet<>());
	}

	/**
	 * As {@link #errors(List)}, leaving out the failures whose {@code tool_use_id} is in
	 * {@code listed} (another source's, e.g. a removed transcript's facts), and adding
	 * those it lists.
	 * @throws UncheckedIOException when a transcript cannot be read
	 */
	ErrorsDto errors(List<FileRef> refs, Set<String> listed) {
		List<ErrorDto> errors = new ArrayList<>();
		// the main transcript first (IndexedFiles#sessionFiles gives it so): its failures
		// are the ones listed
		for (FileRef ref : refs) {
			try (Open open = this.cache.open(ref)) {
				for (MessageItem item : open.index().from(0)) {
					if (item.errorToolUseIds().isEmpty()) {
						continue;
					}
					TranscriptText.Content content = TranscriptText.read(open.channel(), item);
					for (TranscriptText.ToolResult r : content.toolResults()) {
						if (r.error() && (r.toolUseId() == null || listed.add(r.toolUseId()))) {
							errors
								.add(new ErrorDto(DtoFields.iso(item.timestamp()), open.index().toolName(r.toolUseId()),
										DtoFields.preview(r.content(), 500), item.uuid(),
										ref.main() ? null : ref.agentId(), ToolFailure.of(r.content()).label()));
						}
					}
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		errors.sort(Comparator.comparing((ErrorDto e) -> String.valueOf(e.timestamp())));
		return new ErrorsDto(errors, errors.size());
	}

	/**
	 * Adds the kind of each failed result of the item to {@code kinds}, by its
	 * {@code tool_use_id} (the first seen kept).
	 * @throws UncheckedIOException when the transcript cannot be read
	 */
	private static void failures(Open open, MessageItem item, Map<String, ToolFailure> kinds) {
		try {
			for (TranscriptText.ToolResult r : TranscriptText.read(open.channel(), item).toolResults()) {
				if (r.error() && r.toolUseId() != null) {
					kinds.putIfAbsent(r.toolUseId(), ToolFailure.of(r.content()));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Skill invocations ({@code Skill} tool calls) of the given transcripts, by skill
	 * name: how many and the last one (UTC).
	 * @throws UncheckedIOException when a transcript cannot be read
	 */
	SkillsDto skills(List<FileRef> refs) {
		Map<String, long[]> bySkill = new TreeMap<>();
		for (FileRef ref : refs) {
			try (Open open = this.cache.open(ref)) {
				for (MessageItem item : open.index().from(0)) {
					if (item.tools().stream().noneMatch((t) -> "Skill".equals(t.name()))) {
						continue;
					}
					for (TranscriptText.ToolCall c : TranscriptText.read(open.channel(), item).toolCalls()) {
						if ("Skill".equals(c.name()) && c.input() != null) {
							long[] acc = bySkill.computeIfAbsent(c.input().path("skill").asText("?"),
									(k) -> new long[2]);
							acc[0]++;
							acc[1] = Math.max(acc[1], (item.timestamp() != null) ? item.timestamp() : 0);
						}
					}
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		List<SkillDto> skills = new ArrayList<>();
		bySkill.forEach((k, v) -> skills.add(new SkillDto(k, v[0], (v[1] > 0) ? DtoFields.iso(v[1]) : null)));
		return new SkillsDto(skills, skills.stream().mapToLong(SkillDto::invocationCount).sum());
	}

	/**
	 * Each tool's tokens as whole numbers, in {@code byName}'s order
	 * ({@link WholeShares#totals}), as the facts' tool statistics and the query job make
	 * them (rounded tool by tool, one response of 1 token calling two tools was 2 tokens
	 * here; a review).
	 */
	private static long[] wholeTokens(Map<String, ToolAcc> byName) {
		return WholeShares.totals(byName.values().stream().map((a) -> a.tokens).toList(),
				byName.keySet().toArray(String[]::new));
	}

	private static final class ToolAcc {

		long calls;

		long errors;

		/**
		 * Of the errors, the calls declined and the calls cancelled
		 * ({@link ToolFailure}).
		 */
		long declined;

		long cancelled;

		/** Each kind's shares, in billionths ({@link WholeShares}). */
		final BigInteger[] tokens = { BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO,
				BigInteger.ZERO };

		double costPico;

		/** The cost of the calls whose result failed (picodollars). */
		double failedCostPico;

		final List<Double> durations = new ArrayList<>();

		Double average() {
			return this.durations.isEmpty() ? null
					: this.durations.stream().mapToDouble(Double::doubleValue).average().orElse(0);
		}

		/** Nearest-rank 95th percentile. */
		Double p95() {
			if (this.durations.isEmpty()) {
				return null;
			}
			List<Double> sorted = this.durations.stream().sorted().toList();
			return sorted.get((int) Math.ceil(0.95 * sorted.size()) - 1);
		}

	}

}
