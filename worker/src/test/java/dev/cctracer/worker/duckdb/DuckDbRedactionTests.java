package dev.cctracer.worker.duckdb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.mock.env.MockEnvironment;

import dev.cctracer.generator.RandomSecrets;
import dev.cctracer.shared.transcript.Redactor;
import dev.cctracer.worker.ClaudeRoots;
import dev.cctracer.worker.TracerProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DuckDB's {@code redact} and {@code redact_json} macros (used for the Parquet archive
 * and exports) against {@link Redactor}: on plain text they give exactly what Java gives,
 * and on the JSON text of a transcript's content no 8 characters of a secret's body
 * survive, for 2,000 random secrets of every pattern at random offsets among quotes,
 * backslashes, line breaks and non-ASCII text. {@code csv_cell} writes formula-like cells
 * as text.
 */
class DuckDbRedactionTests {

	@TempDir
	Path tmp;

	private final RandomSecrets secrets = new RandomSecrets(20261203);

	private final Random random = this.secrets.random();

	private String filler() {
		String[] words = { "the", "build", "\"quoted\"", "back\\slash", "line\nbreak", "tab\there", "é", "→", "{", "}",
				"ok", " ", ":" };
		StringBuilder sb = new StringBuilder();
		int n = this.random.nextInt(12);
		for (int i = 0; i < n; i++) {
			sb.append(words[this.random.nextInt(words.length)]).append(' ');
		}
		return sb.toString();
	}

	private static void assertNoFragment(String output, String body) {
		for (String line : body.split("\n")) {
			for (int i = 0; i + 8 <= line.length(); i++) {
				assertThat(output).as("a fragment of %s", body).doesNotContain(line.substring(i, i + 8));
			}
		}
	}

	@Test
	void theMacrosRedactLikeJavaAndLeaveNoFragmentInJsonText() throws Exception {
		Path data = Files.createDirectories(this.tmp.resolve("data"));
		MockEnvironment env = new MockEnvironment().withProperty("cctracer.data-dir", data.toString());
		TracerProperties properties = new TracerProperties(this.tmp.resolve("claude").toString(), data, null,
				"calculate", null, "off", null, new TracerProperties.Duckdb("256MB", 1, "256MB", 20_000), null, null);
		DuckDbEngine engine = new DuckDbEngine(properties, new ClaudeRoots(properties, env), env);
		ObjectMapper json = new ObjectMapper();
		try (Connection c = engine.connection();
				PreparedStatement plain = c.prepareStatement("SELECT redact(?)");
				PreparedStatement encoded = c.prepareStatement("SELECT redact_json(?)")) {
			for (int i = 0; i < 2000; i++) {
				List<String> bodies = new ArrayList<>();
				StringBuilder text = new StringBuilder(filler());
				for (int k = 1 + this.random.nextInt(3); k > 0; k--) {
					RandomSecrets.Secret s = this.secrets.next(this.random.nextInt(RandomSecrets.KINDS));
					text.append(s.text()).append(this.random.nextBoolean() ? " " : "\n").append(filler());
					bodies.add(s.body());
				}
				String original = text.toString();
				plain.setString(1, original);
				try (ResultSet rs = plain.executeQuery()) {
					rs.next();
					assertThat(rs.getString(1)).isEqualTo(Redactor.redact(original));
				}
				// as the content of a transcript line: a JSON string, or text in a block
				String content = (i % 2 == 0) ? json.writeValueAsString(original)
						: json.writeValueAsString(List.of(Map.of("type", "text", "text", original)));
				encoded.setString(1, content);
				try (ResultSet rs = encoded.executeQuery()) {
					rs.next();
					String redacted = rs.getString(1);
					String decoded = json.readTree(redacted).toString();
					for (String body : bodies) {
						assertNoFragment(redacted, body);
						assertNoFragment(json.readTree(redacted).isTextual() ? json.readTree(redacted).asText()
								: json.readTree(redacted).path(0).path("text").asText(), body);
					}
					assertThat(decoded).isNotEmpty();
				}
			}
			try (PreparedStatement cell = c.prepareStatement("SELECT csv_cell(?)")) {
				for (String[] pair : new String[][] { { "=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")" }, { "+1", "'+1" },
						{ "-2", "'-2" }, { "@SUM(A1)", "'@SUM(A1)" }, { "\tx", "'\tx" },
						{ "claude-opus-4-6", "claude-opus-4-6" } }) {
					cell.setString(1, pair[0]);
					try (ResultSet rs = cell.executeQuery()) {
						rs.next();
						assertThat(rs.getString(1)).isEqualTo(pair[1]);
					}
				}
			}
		}
		finally {
			engine.destroy();
		}
	}

}
