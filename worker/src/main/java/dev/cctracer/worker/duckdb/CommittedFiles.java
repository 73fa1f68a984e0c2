package dev.cctracer.worker.duckdb;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The indexed transcripts as DuckDB should read them: the Parquet copy of a file archived
 * at exactly its committed offset, else the JSONL up to the committed offset (a file that
 * grew since is copied up to that offset into a scratch dir), each with its project,
 * session and agent. Close it to remove the copies.
 */
public final class CommittedFiles implements AutoCloseable {

	/** Where a file DuckDB reads belongs. */
	public record FileMeta(long id, String realPath, String relPath, String project, String session, String agent,
			long[] totals) {

	}

	private final Path scratch;

	private final Map<String, FileMeta> byReadPath = new LinkedHashMap<>();

	private final Map<String, FileMeta> parquetPaths = new LinkedHashMap<>();

	private final List<FileMeta> all = new ArrayList<>();

	private int copied;

	/**
	 * Files with committed lines that are not on this machine's disk (another machine's
	 * in a shared database, or gone since the last scan): not read.
	 */
	private int unreadable;

	private int deleted;

	private CommittedFiles(Path scratch) {
		this.scratch = scratch;
	}

	/**
	 * Lists the active files with their committed totals and prepares what DuckDB reads.
	 * @param progress receives the number of files prepared so far
	 */
	public static CommittedFiles prepare(JdbcClient jdbc, DuckDbEngine duckdb, LongConsumer progress)
			throws IOException {
		return prepare(jdbc, duckdb, progress, true);
	}

	/**
	 * As {@link #prepare(JdbcClient, DuckDbEngine, LongConsumer)}; {@code useArchive}
	 * false reads every file from its JSONL (the archive's own conversion and its tests).
	 */
	public static CommittedFiles prepare(JdbcClient jdbc, DuckDbEngine duckdb, LongConsumer progress,
			boolean useArchive) throws IOException {
		CommittedFiles files = new CommittedFiles(
				Files.createDirectories(duckdb.workDir().resolve("read-" + System.nanoTime())));
		List<Object[]> rows = jdbc.sql("""
				SELECT f.id, f.root, f.rel_path, f.committed_offset, f.project_dir, f.session_id, f.agent_id, f.kind,
				  f.messages, f.input_tokens, f.output_tokens, f.cache_write_5m, f.cache_write_1h, f.cache_read,
				  CASE WHEN p.generation = f.generation AND p.committed_offset = f.committed_offset THEN p.path END
				FROM source_file f LEFT JOIN parquet_file p ON p.file_id = f.id
				WHERE f.deleted = FALSE ORDER BY f.id
				""")
			.query((rs,
					i) -> new Object[] { rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4),
							rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
							new long[] { rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getLong(12), rs.getLong(13),
									rs.getLong(14) },
							rs.getString(15) })
			.list();
		files.deleted = jdbc.sql("SELECT COUNT(*) FROM source_file WHERE deleted = TRUE").query(Integer.class).single();
		long done = 0;
		try {
			for (Object[] r : rows) {
				long id = (Long) r[0];
				Path path = Path.of((String) r[1]).resolve((String) r[2]);
				long committed = (Long) r[3];
				String agent = "MAIN".equals(r[7]) ? null : (String) r[6];
				FileMeta meta = new FileMeta(id, path.toString(), (String) r[2], (String) r[4], (String) r[5], agent,
						(long[]) r[8]);
				files.all.add(meta);
				String parquet = (String) r[9];
				if (useArchive && parquet != null && Files.isRegularFile(Path.of(parquet))) {
					// archived at exactly the committed offset: read the columnar copy
					files.parquetPaths.put(parquet, meta);
				}
				else if (committed > 0 && !Files.isRegularFile(path)) {
					files.unreadable++;
				}
				else if (committed > 0) {
					if (Files.size(path) == committed) {
						files.byReadPath.put(path.toString(), meta);
					}
					else {
						Path copy = files.scratch.resolve(id + ".jsonl");
						copyPrefix(path, copy, committed);
						files.byReadPath.put(copy.toString(), meta);
						files.copied++;
					}
				}
				progress.accept(++done);
			}
		}
		catch (IOException | RuntimeException ex) {
			files.close();
			throw ex;
		}
		return files;
	}

	/** JSONL paths for DuckDB to read, each mapped to the file it stands for. */
	public Map<String, FileMeta> readPaths() {
		return this.byReadPath;
	}

	/** Parquet files of archived transcripts, each mapped to the file it stands for. */
	public Map<String, FileMeta> parquetPaths() {
		return this.parquetPaths;
	}

	/** Whether there is nothing to read. */
	public boolean isEmpty() {
		return this.byReadPath.isEmpty() && this.parquetPaths.isEmpty();
	}

	/** Every active file, read or not (empty files are not read). */
	public List<FileMeta> all() {
		return this.all;
	}

	public int copied() {
		return this.copied;
	}

	public int deleted() {
		return this.deleted;
	}

	/** Indexed files this machine could not read (see the field). */
	public int unreadable() {
		return this.unreadable;
	}

	/**
	 * The DuckDB list literal of the JSONL paths (paths come from the index, never from
	 * requests).
	 */
	public String listLiteral() {
		return literal(this.byReadPath.keySet());
	}

	/** The DuckDB list literal of the Parquet paths. */
	public String parquetListLiteral() {
		return literal(this.parquetPaths.keySet());
	}

	private static String literal(Iterable<String> paths) {
		StringBuilder list = new StringBuilder();
		for (String p : paths) {
			list.append((list.length() > 0) ? ", " : "").append(DuckDbEngine.literal(p));
		}
		return "[" + list + "]";
	}

	private static void copyPrefix(Path from, Path to, long length) throws IOException {
		try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
				FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
						StandardOpenOption.TRUNCATE_EXISTING)) {
			long pos = 0;
			while (pos < length) {
				pos += in.transferTo(pos, length - pos, out);
			}
		}
	}

	@Override
	public void close() throws IOException {
		try (Stream<Path> walk = Files.walk(this.scratch)) {
			for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(p);
			}
		}
	}

}
