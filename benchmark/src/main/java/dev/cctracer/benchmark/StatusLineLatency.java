package dev.cctracer.benchmark;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * {@code GET /api/statusline} of a live session ({@code java -jar … medium}): a new
 * session in a project of its own gets a response of this instant every 200 ms, and after
 * each is counted (a new data version: every cached total is computed again) the status
 * line is asked once and timed, as Claude Code asks it while it works; then the same
 * session's line without appends (cached). The session is removed afterwards.
 */
final class StatusLineLatency {

	private final AppClient client;

	private final Report report;

	StatusLineLatency(AppClient client, Report report) {
		this.client = client;
		this.report = report;
	}

	void measure(String base, Path claude, int appends) throws Exception {
		String session = UUID.randomUUID().toString();
		Path dir = Files.createDirectories(claude.resolve("projects").resolve("-home-dev-statusline"));
		Path file = dir.resolve(session + ".jsonl");
		String line = base + "/api/statusline?session=" + session + "&tz=UTC";
		List<Long> afterAppend = new ArrayList<>();
		try {
			for (int i = 0; i < appends; i++) {
				long version = this.client.get(base + "/health").path("data_version").asLong();
				String id = "msg_sl_" + i + "_" + session;
				Files.writeString(file,
						"{\"type\":\"assistant\",\"uuid\":\"" + UUID.randomUUID() + "\",\"sessionId\":\"" + session
								+ "\",\"timestamp\":\"" + Instant.now() + "\",\"requestId\":\"req_" + id
								+ "\",\"message\":{\"id\":\"" + id
								+ "\",\"role\":\"assistant\",\"model\":\"claude-opus-4-6\","
								+ "\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],\"usage\":{\"input_tokens\":10,"
								+ "\"output_tokens\":50}}}\n",
						StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
				while (this.client.get(base + "/health").path("data_version").asLong() == version) {
					Thread.sleep(5);
				}
				long s = System.nanoTime();
				this.client.text(line);
				afterAppend.add(System.nanoTime() - s);
				Thread.sleep(200);
			}
			List<Long> cached = new ArrayList<>();
			for (int i = 0; i < 300; i++) {
				long s = System.nanoTime();
				this.client.text(line);
				cached.add(System.nanoTime() - s);
			}
			this.report.line(
					"GET /api/statusline of a live session, right after each of " + appends
							+ " appends is counted (every total computed again) / then unchanged (300 requests)",
					String.format(Locale.ROOT, "p50 %.1f / p99 %.1f ms; unchanged p50 %.1f / p99 %.1f ms; \"%s\"",
							pct(afterAppend, 50), pct(afterAppend, 99), pct(cached, 50), pct(cached, 99),
							this.client.text(line).strip()));
		}
		finally {
			Files.deleteIfExists(file);
			Files.deleteIfExists(dir);
		}
	}

	private static double pct(List<Long> nanos, int p) {
		return Report.pct(nanos.stream().sorted().toList(), p) / 1e6;
	}

}
