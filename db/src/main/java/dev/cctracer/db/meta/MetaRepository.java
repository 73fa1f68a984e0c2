package dev.cctracer.db.meta;

import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * {@code app_meta} (data version, price fingerprint, last scan) and the ingest lock.
 */
@Repository
public class MetaRepository {

	public static final String DATA_VERSION = "data_version";

	public static final String LAST_SCAN_AT = "last_scan_at";

	public static final String LAST_SCAN_FILES = "last_scan_files";

	public static final String PRICE_FINGERPRINT = "price_fingerprint";

	/**
	 * How many rescans of every machine were asked: the admin console of a web-only
	 * process adds one ({@link #increment}), each worker of several scans its own
	 * machine's files when it sees the count grow (a count, not a time: a web's clock
	 * behind the workers' would be ignored).
	 */
	public static final String RESCANS_ASKED = "rescans_asked";

	private final JdbcClient jdbc;

	public MetaRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Takes the ingest lock until the current transaction ends: commits that may touch
	 * the same dedup keys run one at a time, across threads and processes.
	 */
	public void lockIngest(String holder) {
		this.jdbc.sql("SELECT id FROM ingest_lock WHERE id = 1 FOR UPDATE").query(Integer.class).single();
		this.jdbc.sql("UPDATE ingest_lock SET locked_by = :holder WHERE id = 1").param("holder", holder).update();
	}

	/**
	 * Bumps the data version (inside the ingest transaction) so cached answers are
	 * recomputed.
	 */
	public void bumpDataVersion() {
		increment(DATA_VERSION);
	}

	/** Adds one to a count ({@code long_value}), 1 when there is none yet. */
	public void increment(String name) {
		if (this.jdbc.sql("UPDATE app_meta SET long_value = COALESCE(long_value, 0) + 1 WHERE name = :name")
			.param("name", name)
			.update() == 0) {
			setLong(name, 1);
		}
	}

	public long dataVersion() {
		return getLong(DATA_VERSION).orElse(0L);
	}

	public Optional<Long> getLong(String name) {
		return this.jdbc.sql("SELECT long_value FROM app_meta WHERE name = :name")
			.param("name", name)
			.query((rs, i) -> (Long) rs.getObject(1, Long.class))
			.optional();
	}

	public Optional<String> getText(String name) {
		return this.jdbc.sql("SELECT text_value FROM app_meta WHERE name = :name")
			.param("name", name)
			.query((rs, i) -> rs.getString(1))
			.optional();
	}

	public void setLong(String name, long value) {
		if (this.jdbc.sql("UPDATE app_meta SET long_value = :v WHERE name = :name")
			.param("v", value)
			.param("name", name)
			.update() == 0) {
			this.jdbc.sql("INSERT INTO app_meta (name, long_value) VALUES (:name, :v)")
				.param("v", value)
				.param("name", name)
				.update();
		}
	}

	public void setText(String name, String value) {
		if (this.jdbc.sql("UPDATE app_meta SET text_value = :v WHERE name = :name")
			.param("v", value)
			.param("name", name)
			.update() == 0) {
			this.jdbc.sql("INSERT INTO app_meta (name, text_value) VALUES (:name, :v)")
				.param("v", value)
				.param("name", name)
				.update();
		}
	}

}
