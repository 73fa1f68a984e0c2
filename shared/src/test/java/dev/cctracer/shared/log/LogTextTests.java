package dev.cctracer.shared.log;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A value from a transcript cannot forge a log line: control characters are escaped and
 * the length is capped.
 */
class LogTextTests {

	@Test
	void controlCharactersAreEscapedAndLongValuesCut() {
		String forged = "claude-x\n2026-11-30T00:00:00Z ERROR fake line\r\tend\u0007";
		String safe = LogText.safe(forged);
		assertThat(safe).doesNotContain("\n", "\r", "\t", "\u0007")
			.isEqualTo("claude-x\\n2026-11-30T00:00:00Z ERROR fake line\\r\\tend\\u0007");
		assertThat(LogText.safe("a\u2028b")).isEqualTo("a\\u2028b");
		assertThat(LogText.safe("y".repeat(1000))).hasSize(LogText.MAX + 1).endsWith("…");
		assertThat(LogText.safe(null)).isEqualTo("null");
	}

	@Test
	void aFailureIsItsInnermostCauseOnOneLine() {
		Exception wrapped = new IllegalStateException("PreparedStatementCallback; SQL [SELECT id\n FROM source_file]",
				new java.sql.SQLException("FATAL: terminating connection\ndue to administrator command",
						new java.net.ConnectException("Connection refused")));
		assertThat(LogText.failure(wrapped)).isEqualTo("java.net.ConnectException: Connection refused");
		assertThat(LogText.failure(new IllegalStateException("two\nlines")))
			.isEqualTo("java.lang.IllegalStateException: two\\nlines");
		assertThat(LogText.failure(null)).isEqualTo("null");
	}

}
