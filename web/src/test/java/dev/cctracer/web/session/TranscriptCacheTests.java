package dev.cctracer.web.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.util.unit.DataSize;

import dev.cctracer.web.usage.IndexedFiles.FileRef;
import dev.cctracer.worker.TracerProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TranscriptCache}: a transcript is read with the ingest's line cap.
 */
class TranscriptCacheTests {

	@TempDir
	Path tmp;

	/**
	 * With {@code max-line-bytes=100KB} a user line of 150,000 characters is over the
	 * cap: the ingest skips it, and the session view shows no message of it (it counts as
	 * invalid), only the two lines around it.
	 */
	@Test
	void aLineOverTheIngestsCapIsNoMessage() throws IOException {
		Path dir = Files.createDirectories(this.tmp.resolve("projects/-p"));
		String big = "{\"type\":\"user\",\"uuid\":\"u2\",\"message\":{\"role\":\"user\",\"content\":\""
				+ "x".repeat(150_000) + "\"}}\n";
		String text = user("u1") + big + user("u3");
		Files.writeString(dir.resolve("s.jsonl"), text, StandardCharsets.UTF_8);
		TracerProperties properties = new TracerProperties(null, this.tmp.resolve("data"), null, "calculate", null,
				"off",
				new TracerProperties.Ingest(true, Duration.ofSeconds(30), true, Duration.ofMillis(150),
						DataSize.ofKilobytes(100), Duration.ofMinutes(5), 2, 200, "inline", true,
						DataSize.ofMegabytes(64)),
				null, null, null);
		FileRef file = new FileRef(1, this.tmp.toString(), "projects/-p/s.jsonl", "MAIN", null, 0,
				text.getBytes(StandardCharsets.UTF_8).length);
		try (TranscriptCache.Open open = new TranscriptCache(properties).open(file)) {
			assertThat(open.index().size()).isEqualTo(2);
			assertThat(open.index().invalidLines()).isOne();
			assertThat(open.index().get(1).uuid()).isEqualTo("u3");
		}
	}

	private static String user(String uuid) {
		return "{\"type\":\"user\",\"uuid\":\"" + uuid
				+ "\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"message\":{\"role\":\"user\",\"content\":\"hi\"}}\n";
	}

}
