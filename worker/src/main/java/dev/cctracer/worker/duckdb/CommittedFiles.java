package dev.cctracer.worker.duckdb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
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

import dev.cctracer.db.archive.ParquetFileRepository;
import dev.cctracer.db.archive.ParquetFileRepository.CommittedFile;

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
	 * Lists the active files with their committed totals and prepares what DuckDB reads:
	 * a file's Parquet copy when it is valid, else its JSONL up to the committed offset.
	 * A file in which the ingest skipped an over-long line is read from a copy without
	 * it.
	 * @param maxLineBytes the ingest's cap on a line (bytes,
	 * {@code cctracer.ingest.max-line-bytes})
	 * @param progress receives the number of files prepared so far
	 * @throws IOException when a scratch copy cannot be written
	 */
	static CommittedFiles prepare(ParquetFileRepository archive, DuckDbEngine duckdb, long maxLineBytes,
			LongConsumer progress) throws IOException {
		CommittedFiles files = new CommittedFiles(
				Files.createDirectories(duckdb.workDir().resolve("read-" + System.nanoTime())));
		List<CommittedFile> rows = archive.committedFiles();
		files.deleted = archive.deletedFiles();
		long done = 0;
		try {
			for (CommittedFile r : rows) {
				long id = r.id();
				Path path = Path.of(r.root()).resolve(r.relPath());
				long committed = r.committedOffset();
				String agent = "MAIN".equals(r.kind()) ? null : r.agentId();
				FileMeta meta = new FileMeta(id, path.toString(), r.relPath(), r.projectDir(), r.sessionId(), agent,
						new long[] { r.messages(), r.inputTokens(), r.outputTokens(), r.cacheWrite5m(),
								r.cacheWrite1h(), r.cacheRead() });
				files.all.add(meta);
				String parquet = r.parquetPath();
				if (parquet != null && Files.isRegularFile(Path.of(parquet))) {
					// archived at exactly the committed offset: read the columnar copy
					files.parquetPaths.put(parquet, meta);
				}
				else if (committed > 0 && !Files.isRegularFile(path)) {
					files.unreadable++;
				}
				else if (committed > 0 && r.overlongLines() > 0) {
					// a line DuckDB cannot take would fail the whole job: the copy holds
					// an
					// empty object in its place (row numbers stay), as the ingest skipped
					// it
					Path copy = files.scratch.resolve(id + ".jsonl");
					copyWithoutOverlongLines(path, copy, committed, maxLineBytes);
					files.byReadPath.put(copy.toString(), meta);
					files.copied++;
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

	/**
	 * Copies the first {@code length} bytes of a JSONL file, writing {@code {}} in place
	 * of every line longer than {@code maxLineBytes}: the file is scanned in 1 MiB reads
	 * and copied by ranges, so no line is ever held in memory whatever its size.
	 */
	static void copyWithoutOverlongLines(Path from, Path to, long length, long maxLineBytes) throws IOException {
		byte[] empty = "{}".getBytes(StandardCharsets.US_ASCII);
		try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
				FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
						StandardOpenOption.TRUNCATE_EXISTING)) {
			ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
			long lineStart = 0;
			long copied = 0;
			long pos = 0;
			while (pos < length) {
				buffer.clear().limit((int) Math.min(buffer.capacity(), length - pos));
				int read = in.read(buffer, pos);
				if (read <= 0) {
					break;
				}
				for (int i = 0; i < read; i++) {
					if (buffer.get(i) == '\n') {
						long newline = pos + i;
						if (newline - lineStart > maxLineBytes) {
							transfer(in, out, copied, lineStart);
							out.write(ByteBuffer.wrap(empty));
							copied = newline;
						}
						lineStart = newline + 1;
					}
				}
				pos += read;
			}
			if (length - lineStart > maxLineBytes) {
				transfer(in, out, copied, lineStart);
				out.write(ByteBuffer.wrap(empty));
				copied = length;
			}
			transfer(in, out, copied, length);
		}
	}

	private static void transfer(FileChannel in, FileChannel out, long from, long to) throws IOException {
		long pos = from;
		while (pos < to) {
			pos += in.transferTo(pos, to - pos, out);
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
