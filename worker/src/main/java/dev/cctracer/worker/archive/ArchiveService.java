package dev.cctracer.worker.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import dev.cctracer.db.archive.ParquetFileRepository;
import dev.cctracer.shared.discovery.SafePaths;
import dev.cctracer.worker.TracerProperties;
import dev.cctracer.worker.duckdb.CountingSql;
import dev.cctracer.worker.duckdb.DuckDbEngine;

/**
 * The Parquet archive: a transcript unchanged for the quiet period and fully ingested
 * (its size is its committed offset) is converted by DuckDB into one Parquet file with
 * the columns the counting SQL reads (entry-level: type, timestamp, ids, sidechain and
 * agent, logged cost, the message with model, usage and content — its secrets redacted —
 * and the line number). Written to a temporary file and renamed; valid for exactly one
 * (generation, committed offset), so a file that changes is read from JSONL until
 * re-converted.
 */
@Component
public class ArchiveService {

	/** A file that may need converting. */
	public record Candidate(long id, Path path, long committed, int generation, String oldParquet) {

	}

	/** One finished conversion. */
	public record Converted(long id, int generation, long committed, Path parquet, long rows, long bytes,
			String oldParquet) {

	}

	private final ParquetFileRepository archive;

	private final DuckDbEngine duckdb;

	private final TracerProperties.Archive settings;

	private final Path dir;

	public ArchiveService(ParquetFileRepository archive, DuckDbEngine duckdb, TracerProperties properties,
			Environment env) {
		this.archive = archive;
		this.duckdb = duckdb;
		this.settings = properties.archive();
		this.dir = Path.of(env.getRequiredProperty("cctracer.data-dir")).resolve("parquet");
	}

	/** Files without a Parquet copy at their current committed offset (database read). */
	public List<Candidate> candidates() {
		return this.archive.candidates()
			.stream()
			.map((c) -> new Candidate(c.id(), Path.of(c.root()).resolve(c.relPath()), c.committedOffset(),
					c.generation(), c.parquetPath()))
			.toList();
	}

	/**
	 * Converts a candidate if it is quiet and fully ingested; {@code null} when it is not
	 * (yet). No database work: the caller records the result ({@link #record}).
	 */
	public Converted convert(Candidate c, long nowMs) throws IOException, SQLException {
		BasicFileAttributes before = attributes(c.path());
		if (before == null || before.size() != c.committed()
				|| nowMs - before.lastModifiedTime().toMillis() < this.settings.quiet().toMillis()) {
			return null;
		}
		SafePaths.ownerOnly(Files.createDirectories(this.dir));
		Path target = this.dir.resolve(c.id() + "-" + c.generation() + "-" + c.committed() + ".parquet");
		Path tmp = this.dir.resolve(target.getFileName() + ".tmp");
		try (Connection conn = this.duckdb.connection(); Statement s = conn.createStatement()) {
			// the content and the model id are stored redacted, like every other output
			// of
			// transcript text (a model id that held a secret prices as unknown either
			// way)
			s.execute("COPY (SELECT type, \"timestamp\", uuid, requestId, isSidechain, agentId, costUSD, "
					+ "struct_pack(id := message.id, model := redact(message.model), usage := message.usage, "
					+ "content := CAST(redact_json(CAST(message.content AS VARCHAR)) AS JSON)) AS message, "
					+ "row_number() OVER () AS rn FROM "
					+ CountingSql.readJsonl("[" + DuckDbEngine.literal(c.path().toString()) + "]", true) + ") TO "
					+ DuckDbEngine.literal(tmp.toString()) + " (FORMAT parquet, COMPRESSION zstd)");
			BasicFileAttributes after = attributes(c.path());
			if (after == null || after.size() != before.size()
					|| !after.lastModifiedTime().equals(before.lastModifiedTime())) {
				// changed while converting: the copy may hold more than the committed
				// lines
				Files.deleteIfExists(tmp);
				return null;
			}
			SafePaths.ownerOnly(tmp);
			Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			long rows;
			try (ResultSet rs = s
				.executeQuery("SELECT count(*) FROM read_parquet(" + DuckDbEngine.literal(target.toString()) + ")")) {
				rs.next();
				rows = rs.getLong(1);
			}
			return new Converted(c.id(), c.generation(), c.committed(), target, rows, Files.size(target),
					c.oldParquet());
		}
		finally {
			Files.deleteIfExists(tmp);
		}
	}

	/**
	 * Records a conversion unless the file moved on meanwhile (database write); removes
	 * the old copy.
	 */
	public boolean record(Converted c, long nowMs) throws IOException {
		if (!this.archive.replaceCopy(c.id(), c.generation(), c.committed(), c.parquet().toString(), c.rows(),
				c.bytes(), nowMs)) {
			Files.deleteIfExists(c.parquet());
			return false;
		}
		if (c.oldParquet() != null && !c.oldParquet().equals(c.parquet().toString())) {
			Files.deleteIfExists(Path.of(c.oldParquet()));
		}
		return true;
	}

	private static BasicFileAttributes attributes(Path path) {
		try {
			return Files.readAttributes(path, BasicFileAttributes.class);
		}
		catch (IOException ex) {
			return null;
		}
	}

}
