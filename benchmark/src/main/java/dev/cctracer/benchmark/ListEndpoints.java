package dev.cctracer.benchmark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Warm latency of every list endpoint against DESIGN.md's target (p50 ≤ 5 ms, p99 ≤ 25 ms
 * at 16 concurrent clients): the harness's Java client ({@link HttpLoad}) and, when it is
 * installed, the independent {@code ab} ({@link AbLoad}), one endpoint after the other,
 * each line with the machine's load average before it (a compile or another process on
 * the 2 cores shows there).
 */
final class ListEndpoints {

	/** Target p50 at 16 clients, milliseconds. */
	static final double P50_TARGET_MS = 5;

	/** Target p99 at 16 clients, milliseconds. */
	static final double P99_TARGET_MS = 25;

	/**
	 * Attempts at a measurement that other processes disturb (more than
	 * {@link CpuShare.Shares#disturbed()} allows) before its figures stand as they are.
	 */
	private static final int ATTEMPTS = 3;

	private final AppClient client;

	private final AppProcess app;

	private final HttpLoad load;

	private final Report report;

	private final Optional<AbLoad> ab = AbLoad.find();

	ListEndpoints(AppClient client, AppProcess app, HttpLoad load, Report report) {
		this.client = client;
		this.app = app;
		this.load = load;
		this.report = report;
	}

	/**
	 * The list endpoints, as the dashboard asks for them: the projects, the sessions of
	 * the most recently active project and of all projects, the daily, weekly and monthly
	 * reports (UTC) and the 5-hour blocks over the dataset's days (the default range, the
	 * last 7 days, would be empty for a generated set).
	 */
	List<String> paths(String base) throws Exception {
		String project = this.client.get(base + "/api/projects").get("projects").get(0).get("path_hash").asText();
		JsonNode aggregate = this.client.get(base + "/api/metrics/aggregate");
		String from = aggregate.get("first_activity").asText().substring(0, 10);
		String to = aggregate.get("last_activity").asText().substring(0, 10);
		return List.of("/api/projects", "/api/projects/" + project + "/sessions", "/api/sessions",
				"/api/metrics/daily?tz=UTC", "/api/metrics/weekly?tz=UTC", "/api/metrics/monthly?tz=UTC",
				"/api/metrics/blocks?tz=UTC&from=" + from + "&to=" + to);
	}

	/**
	 * Measures each of {@link #paths} at {@code clients} clients, after 5,000 unmeasured
	 * requests to each ({@link HttpLoad#warmUp}): {@code requests} a round with the Java
	 * client, then ab {@link HttpLoad#repeats()} times
	 * ({@code ab -k -c clients -n requests}); ab's scratch files go to {@code work}.
	 * @return the Java client's figures by path
	 */
	Map<String, HttpLoad.Latency> measure(String base, int clients, int requests, Path work) throws Exception {
		Map<String, HttpLoad.Latency> figures = new LinkedHashMap<>();
		if (this.ab.isEmpty()) {
			this.report.line("ab (apache2-utils)", "not installed: the Java client's figures only");
		}
		long pid = this.app.process().pid();
		List<String> paths = paths(base);
		this.load.warmUp(base, paths, clients, 5_000);
		for (String path : paths) {
			for (int attempt = 1;; attempt++) {
				CpuShare.waitForQuiet();
				CpuShare cpu = CpuShare.start(pid);
				HttpLoad.Latency java = this.load.latency(base, path, clients, requests);
				CpuShare.Shares shares = cpu.shares();
				figures.put(path, java);
				this.report.line("  → " + path + " beside the target (Java load threads)",
						verdict(java.p50Ms(), java.p99Ms()) + "; " + shares + disturbed(shares, attempt));
				if (!shares.disturbed() || attempt == ATTEMPTS) {
					break;
				}
			}
			if (this.ab.isPresent()) {
				for (int attempt = 1;; attempt++) {
					CpuShare.waitForQuiet();
					List<AbLoad.Result> runs = new ArrayList<>();
					CpuShare cpu = CpuShare.start(pid);
					for (int i = 0; i < HttpLoad.repeats(); i++) {
						runs.add(this.ab.get().run(base + path, clients, requests, work));
					}
					CpuShare.Shares shares = cpu.shares();
					double p50 = Report.median(runs.stream().map(AbLoad.Result::p50Ms).toList());
					double p99 = Report.median(runs.stream().map(AbLoad.Result::p99Ms).toList());
					this.report.line(
							"ab -k -c " + clients + " -n " + requests + " " + path + " (" + runs.size() + " runs)",
							AbLoad.Result.summary(runs) + "; " + verdict(p50, p99) + "; " + shares
									+ disturbed(shares, attempt));
					if (!shares.disturbed() || attempt == ATTEMPTS) {
						break;
					}
				}
			}
		}
		return figures;
	}

	/** What a report line says of a disturbed attempt: repeated, or the last one. */
	private static String disturbed(CpuShare.Shares shares, int attempt) {
		if (!shares.disturbed()) {
			return "";
		}
		return (attempt < ATTEMPTS) ? " — DISTURBED by other processes, measured again"
				: " — DISTURBED by other processes in each of " + ATTEMPTS + " attempts";
	}

	private static String verdict(double p50Ms, double p99Ms) {
		boolean met = p50Ms <= P50_TARGET_MS && p99Ms <= P99_TARGET_MS;
		return String.format(Locale.ROOT, "p50 %.2f / p99 %.2f ms against %.0f / %.0f ms: %s", p50Ms, p99Ms,
				P50_TARGET_MS, P99_TARGET_MS, met ? "met" : "NOT met");
	}

}
