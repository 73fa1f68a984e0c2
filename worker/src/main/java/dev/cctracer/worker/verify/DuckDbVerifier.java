package dev.cctracer.worker.verify;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

import org.springframework.stereotype.Component;

import dev.cctracer.worker.facts.CommittedFiles;
import dev.cctracer.worker.facts.CountingSession;
import dev.cctracer.worker.facts.CountingSessions;

/**
 * Recomputes every file's counted totals from scratch with DuckDB — the counting rules
 * written again in SQL ({@link CountingSql}), independent of the incremental engine — and
 * compares them with the incremental totals. Files are read only up to their committed
 * offset; deleted files cannot be re-read and are reported, not compared.
 */
@Component
public class DuckDbVerifier {

	private static final String[] MEASURES = { "messages", "input_tokens", "output_tokens", "cache_write_5m",
			"cache_write_1h", "cache_read" };

	private final CountingSessions sessions;

	public DuckDbVerifier(CountingSessions sessions) {
		this.sessions = sessions;
	}

	/** One file whose totals differ. */
	public record Difference(String file, Map<String, Long> incremental, Map<String, Long> rebuilt) {

	}

	/**
	 * The outcome.
	 *
	 * @param filesCompared files compared
	 * @param filesCopied files read through a copy of their committed prefix
	 * @param deletedFiles deleted files (history kept, not re-readable)
	 * @param incremental totals of the incremental engine over the compared files
	 * @param rebuilt totals recomputed by DuckDB
	 * @param differences files whose totals differ (at most 1,000 listed)
	 * @param differingFiles how many files differ
	 * @param equal whether every compared total is equal
	 * @param millis wall time
	 */
	public record Report(int filesCompared, int filesCopied, int deletedFiles, Map<String, Long> incremental,
			Map<String, Long> rebuilt, List<Difference> differences, int differingFiles, boolean equal, long millis) {

	}

	/**
	 * Runs the comparison; {@code progress} receives the number of files prepared so far.
	 */
	public Report verify(LongConsumer progress) throws IOException, SQLException {
		long started = System.nanoTime();
		try (CountingSession session = this.sessions.open(null, progress)) {
			CommittedFiles files = session.files();
			Map<String, long[]> rebuilt = files.isEmpty() ? Map.of() : query(session);
			long[] sumIncremental = new long[MEASURES.length];
			long[] sumRebuilt = new long[MEASURES.length];
			List<Difference> differences = new ArrayList<>();
			int differing = 0;
			for (CommittedFiles.FileMeta f : files.all()) {
				long[] theirs = rebuilt.getOrDefault(f.realPath(), new long[MEASURES.length]);
				for (int i = 0; i < MEASURES.length; i++) {
					sumIncremental[i] += f.totals()[i];
					sumRebuilt[i] += theirs[i];
				}
				if (!Arrays.equals(f.totals(), theirs)) {
					differing++;
					if (differences.size() < 1000) {
						differences.add(new Difference(f.relPath(), named(f.totals()), named(theirs)));
					}
				}
			}
			return new Report(files.all().size(), 0, files.deleted(), named(sumIncremental), named(sumRebuilt),
					differences, differing, differing == 0, (System.nanoTime() - started) / 1_000_000);
		}
	}

	private static Map<String, long[]> query(CountingSession session) throws SQLException {
		Map<String, long[]> result = new LinkedHashMap<>();
		try (Statement s = session.connection().createStatement();
				ResultSet rs = s.executeQuery(session.winners()
						+ " SELECT f, count(*), sum(inp), sum(outp), sum(w5m), sum(w1h), sum(rd) FROM winners GROUP BY f")) {
			while (rs.next()) {
				long[] v = new long[MEASURES.length];
				for (int i = 0; i < MEASURES.length; i++) {
					v[i] = rs.getLong(i + 2);
				}
				result.put(rs.getString(1), v);
			}
		}
		return result;
	}

	private static Map<String, Long> named(long[] values) {
		Map<String, Long> m = new LinkedHashMap<>();
		for (int i = 0; i < MEASURES.length; i++) {
			m.put(MEASURES[i], values[i]);
		}
		return m;
	}

}
