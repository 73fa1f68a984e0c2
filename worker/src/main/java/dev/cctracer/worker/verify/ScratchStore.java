package dev.cctracer.worker.verify;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import java.util.function.LongPredicate;

import org.flywaydb.core.Flyway;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import dev.cctracer.db.usage.CopyRow;
import dev.cctracer.db.usage.UsageCopyRepository;
import dev.cctracer.shared.usage.Dedup;
import dev.cctracer.shared.usage.DedupCandidate;

/**
 * The rebuild's scratch database: an H2 file of its own, migrated by the application's
 * Flyway migrations, whose {@code usage_copy} table is filled through the ingest's
 * {@link UsageCopyRepository} and then read once, in message order, to apply the dedup
 * rule over all copies at once ({@link #forEachWinner}).
 * <p>
 * The copies live on disk, not in the heap: H2 keeps a bounded page cache
 * ({@code CACHE_SIZE}) and streams the ordered read ({@code LAZY_QUERY_EXECUTION}, in the
 * order of the {@code msg_hash} index). Closing it deletes the files.
 */
final class ScratchStore implements AutoCloseable {

	/** The database file's base name in its directory. */
	static final String NAME = "rebuild";

	private final Path dir;

	private final SingleConnectionDataSource dataSource;

	private final UsageCopyRepository copies;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate tx;

	private ScratchStore(Path dir, SingleConnectionDataSource dataSource) {
		this.dir = dir;
		this.dataSource = dataSource;
		this.jdbc = new JdbcTemplate(dataSource);
		this.copies = new UsageCopyRepository(JdbcClient.create(dataSource), this.jdbc);
		this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
	}

	/**
	 * Creates an empty, migrated scratch database in {@code dir}, removing what an
	 * earlier run left there (only one verify runs at a time per data dir).
	 * @throws IOException when the directory cannot be created or cleared
	 * @throws RuntimeException when the database cannot be created or migrated
	 */
	static ScratchStore create(Path dir) throws IOException {
		Files.createDirectories(dir);
		deleteFiles(dir);
		SingleConnectionDataSource dataSource = new SingleConnectionDataSource("jdbc:h2:file:" + dir.resolve(NAME)
				+ ";DB_CLOSE_ON_EXIT=FALSE;LAZY_QUERY_EXECUTION=TRUE;CACHE_SIZE=16384", "sa", "", true);
		try {
			Flyway.configure().dataSource(dataSource).load().migrate();
			return new ScratchStore(dir, dataSource);
		}
		catch (RuntimeException ex) {
			dataSource.destroy();
			throw ex;
		}
	}

	/** Stores copies (one transaction). */
	void insert(List<CopyRow> rows) {
		if (!rows.isEmpty()) {
			this.tx.executeWithoutResult((status) -> this.copies.insert(rows));
		}
	}

	/** Receives one copy that counts, with its tokens. */
	@FunctionalInterface
	interface WinnerHandler {

		/**
		 * One counted copy: its file, its tokens and the tool uses of its response's
		 * lines in that file.
		 */
		void winner(long fileId, long input, long output, long cacheWrite5m, long cacheWrite1h, long cacheRead,
				long toolUses);

	}

	/**
	 * Applies the dedup rule once over every stored copy and reports each copy that
	 * counts: every copy without a {@code message.id}, and the {@link Dedup#winners} of
	 * each message id's copies. The copies are read ordered by message hash, so only one
	 * hash's copies (those of one message id, rarely of two that collide) are held at a
	 * time.
	 * @param pathOrder each file's path order (the rule's tie-break), by file id
	 * @param deleted whether a file is deleted, its history kept (it loses the rule's
	 * ties to a file on disk), by file id
	 */
	void forEachWinner(LongFunction<String> pathOrder, LongPredicate deleted, WinnerHandler handler) {
		String columns = "file_id, input_tokens, output_tokens, cache_write_5m, cache_write_1h, cache_read, tool_uses";
		this.jdbc.query("SELECT " + columns + " FROM usage_copy WHERE msg_hash IS NULL", (ResultSet rs) -> {
			handler.winner(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
					rs.getLong(7));
		});
		List<Copy> group = new ArrayList<>();
		long[] hash = new long[1];
		this.jdbc.query("SELECT msg_hash, msg_id, req_id, sidechain, line_offset, forked, " + columns
				+ " FROM usage_copy WHERE msg_hash IS NOT NULL ORDER BY msg_hash", (ResultSet rs) -> {
					long h = rs.getLong(1);
					if (!group.isEmpty() && h != hash[0]) {
						report(group, handler);
					}
					hash[0] = h;
					long fileId = rs.getLong(7);
					group.add(new Copy(rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getLong(5),
							rs.getBoolean(6), pathOrder.apply(fileId), deleted.test(fileId), fileId, rs.getLong(8),
							rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getLong(12), rs.getLong(13)));
				});
		report(group, handler);
	}

	/** The plan of the ordered read, for tests: it must follow the index, not sort. */
	String orderedReadPlan() {
		return this.jdbc.queryForObject(
				"EXPLAIN SELECT msg_hash FROM usage_copy WHERE msg_hash IS NOT NULL ORDER BY msg_hash", String.class);
	}

	private static void report(List<Copy> group, WinnerHandler handler) {
		for (Copy c : Dedup.winners(group)) {
			handler.winner(c.fileId(), c.input(), c.output(), c.cacheWrite5m(), c.cacheWrite1h(), c.cacheRead(),
					c.toolUses());
		}
		group.clear();
	}

	/** A stored copy as the dedup rule sees it, with its tokens. */
	private record Copy(String messageId, String requestId, boolean sidechain, long lineOffset, boolean forked,
			String pathOrder, boolean deleted, long fileId, long input, long output, long cacheWrite5m,
			long cacheWrite1h, long cacheRead, long toolUses) implements DedupCandidate {

		@Override
		public long totalTokens() {
			return this.input + this.output + this.cacheWrite5m + this.cacheWrite1h + this.cacheRead;
		}

	}

	/**
	 * Closes the database and deletes its files, and its directory when that is empty.
	 */
	@Override
	public void close() throws IOException {
		this.dataSource.destroy();
		deleteFiles(this.dir);
		try {
			Files.deleteIfExists(this.dir);
		}
		catch (DirectoryNotEmptyException ex) {
			// something else was put there: left as it is
		}
	}

	private static void deleteFiles(Path dir) throws IOException {
		try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, NAME + ".*")) {
			for (Path f : files) {
				Files.deleteIfExists(f);
			}
		}
	}

}
