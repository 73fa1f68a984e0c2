package dev.cctracer.generator;

import java.util.Map;
import java.util.TreeMap;

import dev.cctracer.shared.log.Usage;

/**
 * What a generated dataset must produce, known exactly because the generator decided
 * every API response and every copy of it.
 */
public final class GroundTruth {

	/** Counted totals of a scope: distinct API responses, tokens, cost (pico-USD). */
	public static final class Totals {

		public long messages;

		public Usage usage = Usage.ZERO;

		public long costPico;

		void add(Usage u, long cost, int sign) {
			this.messages += sign;
			this.usage = (sign > 0) ? this.usage.plus(u) : this.usage.minus(u);
			this.costPico += sign * cost;
		}

		@Override
		public String toString() {
			return this.messages + " messages, " + this.usage + ", " + this.costPico + " pico-USD";
		}

	}

	public final Totals global = new Totals();

	/** By project dir. */
	public final Map<String, Totals> projects = new TreeMap<>();

	/** By "projectDir/sessionId". */
	public final Map<String, Totals> sessions = new TreeMap<>();

	/** By relative file path. */
	public final Map<String, Totals> files = new TreeMap<>();

	/** By UTC day ("yyyy-MM-dd") and model. */
	public final Map<String, Map<String, Totals>> dailyUtc = new TreeMap<>();

	/** Files written, lines written, invalid lines written, bytes written. */
	public long fileCount;

	public long lines;

	public long invalidLines;

	public long bytes;

	/** Responses written again in a later file (resumed sessions): each counted once. */
	public long crossFileCopies;

	void count(String project, String session, String file, String day, String model, Usage u, long cost, int sign) {
		this.global.add(u, cost, sign);
		this.projects.computeIfAbsent(project, (k) -> new Totals()).add(u, cost, sign);
		this.sessions.computeIfAbsent(project + "/" + session, (k) -> new Totals()).add(u, cost, sign);
		this.files.computeIfAbsent(file, (k) -> new Totals()).add(u, cost, sign);
		this.dailyUtc.computeIfAbsent(day, (k) -> new TreeMap<>())
			.computeIfAbsent(model, (k) -> new Totals())
			.add(u, cost, sign);
	}

}
