package dev.cctracer.worker.memory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.util.unit.DataSize;

import dev.cctracer.db.support.H2Urls;
import dev.cctracer.worker.IngestEnded;
import dev.cctracer.worker.IngestStarting;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded H2 database's page cache: its burst size while a burst's ingest runs, the
 * serving size from the heap trim after it, as H2 itself reports its cache's maximum.
 */
class DatabaseCacheTests {

	private static final long MB = 1L << 20;

	@TempDir
	static Path tmp;

	private JdbcClient jdbc;

	/** Connections the data source refuses before it hands any out. */
	private final AtomicInteger refusals = new AtomicInteger();

	@BeforeEach
	void openAFileDatabase() {
		// an in-memory database has no page cache
		JdbcDataSource h2 = new JdbcDataSource();
		h2.setURL("jdbc:h2:file:" + tmp.resolve("db" + System.nanoTime()) + ";DB_CLOSE_DELAY=-1");
		h2.setUser("sa");
		this.jdbc = JdbcClient.create(new DelegatingDataSource(h2) {

			@Override
			public Connection getConnection() throws SQLException {
				if (DatabaseCacheTests.this.refusals.getAndUpdate((n) -> Math.max(0, n - 1)) > 0) {
					throw new SQLException("database busy (a test's refusal)");
				}
				return super.getConnection();
			}

		});
	}

	@AfterEach
	void closeIt() {
		this.jdbc.sql("SHUTDOWN").update();
	}

	@Test
	void aBurstGetsTheLargeCacheAndTheTrimAfterItTheSmallOne() {
		DatabaseCache cache = new DatabaseCache(this.jdbc, true, properties(DataSize.ofMegabytes(2)));
		// H2's own default at this test JVM's heap, before anything is set
		int own = cacheMaxMb();

		cache.onIngestStarting(new IngestStarting(3000, 900 * MB));
		assertThat(cacheMaxMb()).isEqualTo(16);
		// a trim decided while the burst's ingest runs leaves it alone
		cache.onHeapTrimming();
		assertThat(cacheMaxMb()).isEqualTo(16);

		cache.onIngestEnded(new IngestEnded(3000, 900 * MB));
		cache.onHeapTrimming();
		assertThat(cacheMaxMb()).isEqualTo(2);
		assertThat(cache.current()).isEqualTo(2048);

		// a session's appends are no burst: the serving size stays
		cache.onIngestStarting(new IngestStarting(1, HeapTrim.BURST_BYTES - 1));
		assertThat(cacheMaxMb()).isEqualTo(2);
		cache.onIngestEnded(new IngestEnded(1, HeapTrim.BURST_BYTES - 1));
		// the next burst gets the large cache again
		cache.onIngestStarting(new IngestStarting(500, 200 * MB));
		assertThat(cacheMaxMb()).isEqualTo(16);
		assertThat(own).as("H2's own default, for the record").isPositive();
	}

	@Test
	void aRefusedSettingIsTriedAgainAtTheNextEvent() {
		DatabaseCache cache = new DatabaseCache(this.jdbc, true, properties(DataSize.ofMegabytes(2)));
		cache.onIngestStarting(new IngestStarting(3000, 900 * MB));
		cache.onIngestEnded(new IngestEnded(3000, 900 * MB));
		this.refusals.set(1);
		cache.onHeapTrimming();
		assertThat(cache.current()).as("refused: as it was").isEqualTo(16 * 1024);
		assertThat(cacheMaxMb()).isEqualTo(16);
		cache.onHeapTrimming();
		assertThat(cacheMaxMb()).isEqualTo(2);
	}

	@Test
	void isOffWithTheHeapTrim() {
		int own = cacheMaxMb();
		DatabaseCache off = new DatabaseCache(this.jdbc, true, new MemoryProperties(Duration.ZERO,
				Duration.ofSeconds(2), DataSize.ofMegabytes(16), DataSize.ofMegabytes(2)));
		off.onIngestStarting(new IngestStarting(3000, 900 * MB));
		off.onIngestEnded(new IngestEnded(3000, 900 * MB));
		off.onHeapTrimming();
		assertThat(cacheMaxMb()).isEqualTo(own);
	}

	@Test
	void leavesOtherDatabasesAndAZeroServingSizeAlone() {
		int own = cacheMaxMb();
		DatabaseCache notEmbedded = new DatabaseCache(this.jdbc, false, properties(DataSize.ofMegabytes(2)));
		notEmbedded.onIngestStarting(new IngestStarting(3000, 900 * MB));
		notEmbedded.onIngestEnded(new IngestEnded(3000, 900 * MB));
		notEmbedded.onHeapTrimming();
		DatabaseCache off = new DatabaseCache(this.jdbc, true, properties(DataSize.ofBytes(0)));
		off.onHeapTrimming();
		assertThat(cacheMaxMb()).isEqualTo(own);
		assertThat(off.current()).isZero();
	}

	@Test
	void tellsEmbeddedH2UrlsFromServersAndSharedFiles() {
		assertThat(H2Urls.isEmbeddedAlone("jdbc:h2:file:/data/db/cctracer;DB_CLOSE_ON_EXIT=FALSE")).isTrue();
		assertThat(H2Urls.isEmbeddedAlone("jdbc:h2:mem:test")).isTrue();
		assertThat(H2Urls.isEmbeddedAlone("jdbc:h2:file:/data/db/cctracer;AUTO_SERVER=TRUE")).isFalse();
		assertThat(H2Urls.isEmbeddedAlone("jdbc:h2:tcp://db:9092/cctracer")).isFalse();
		assertThat(H2Urls.isEmbeddedAlone("jdbc:postgresql://db:5432/cctracer")).isFalse();
	}

	/** The cache's maximum as H2 reports it (MB). */
	private int cacheMaxMb() {
		return Integer.parseInt(this.jdbc
			.sql("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'info.CACHE_MAX_SIZE'")
			.query(String.class)
			.single());
	}

	private static MemoryProperties properties(DataSize serving) {
		return new MemoryProperties(Duration.ofSeconds(10), Duration.ofSeconds(2), DataSize.ofMegabytes(16), serving);
	}

}
