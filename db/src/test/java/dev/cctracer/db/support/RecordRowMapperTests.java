package dev.cctracer.db.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link RecordRowMapper}: snake-case columns map to camel-case components
 * (digits, nulls and primitives included) without one failed column look-up, which H2
 * would write with its stack trace to the database's trace file.
 */
class RecordRowMapperTests {

	@TempDir
	Path tmp;

	private record Row(long fileId, int generation, Long lastTs, long cacheWrite5m, String relPath, boolean current) {

	}

	record Missing(long fileId, long nothingLikeIt) {

	}

	@Test
	void mapsSnakeCaseColumnsWithoutAFailedLookUp() throws Exception {
		JdbcDataSource h2 = new JdbcDataSource();
		h2.setURL("jdbc:h2:file:" + this.tmp.resolve("db"));
		h2.setUser("sa");
		JdbcClient jdbc = JdbcClient.create(h2);
		jdbc.sql("CREATE TABLE t (file_id BIGINT, generation INT, last_ts BIGINT, cache_write_5m BIGINT,"
				+ " rel_path VARCHAR, current BOOLEAN)")
			.update();
		for (int i = 0; i < 200; i++) {
			jdbc.sql("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)")
				.params(i, i % 3, (i % 2 == 0) ? null : (Object) (1000L + i), 5L * i, "p/" + i + ".jsonl", i % 2 == 0)
				.update();
		}
		List<Row> rows = jdbc.sql("SELECT * FROM t ORDER BY file_id").query(RecordRowMapper.of(Row.class)).list();
		assertThat(rows).hasSize(200);
		assertThat(rows.get(0)).isEqualTo(new Row(0, 0, null, 0, "p/0.jsonl", true));
		assertThat(rows.get(7)).isEqualTo(new Row(7, 1, 1007L, 35, "p/7.jsonl", false));
		// H2 traces a failed column look-up ("Column ... not found [42122-…]") with its
		// stack trace; none happened
		Path trace = this.tmp.resolve("db.trace.db");
		if (Files.exists(trace)) {
			assertThat(Files.readString(trace)).doesNotContain("42122");
		}
		assertThatThrownBy(() -> jdbc.sql("SELECT * FROM t").query(RecordRowMapper.of(Missing.class)).list())
			.hasMessageContaining("no column for Missing.nothingLikeIt");
	}

}
