package dev.cctracer.worker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The origin a process writes its files under, on a real data dir: a configured one is
 * kept for the starts that do not configure one; and the settings a start refuses.
 */
class TracerPropertiesTests {

	@TempDir
	Path tmp;

	private TracerProperties properties(String origin) {
		return new TracerProperties(null, this.tmp.resolve("data"), null, "calculate", origin, "off", null, null, null,
				null);
	}

	/**
	 * A value no run can work with refuses the start, naming the property (a trial: a
	 * line cap of {@code -1MB} made every line over-long, and the files were never read
	 * again once it was fixed; an unknown cost mode failed with 140 lines of stack trace;
	 * a scan interval of 0 ran without a periodic scan). The defaults bind.
	 */
	@Test
	void aSettingNoRunCanWorkWithIsRefusedByName() {
		Map<String, String> refused = new LinkedHashMap<>();
		refused.put("cctracer.ingest.max-line-bytes=-1MB", "cctracer.ingest.max-line-bytes must be at least 64KB");
		refused.put("cctracer.ingest.max-line-bytes=0", "cctracer.ingest.max-line-bytes must be at least 64KB");
		refused.put("cctracer.ingest.max-line-bytes=32KB", "cctracer.ingest.max-line-bytes must be at least 64KB");
		refused.put("cctracer.cost-mode=bogus", "cctracer.cost-mode must be one of calculate, auto, display: bogus");
		refused.put("cctracer.ingest.scan-interval=0s", "cctracer.ingest.scan-interval must be above 0");
		refused.put("cctracer.ingest.scan-interval=-5s", "cctracer.ingest.scan-interval must be above 0");
		refused.put("cctracer.ingest.quiet-tail=0s", "cctracer.ingest.quiet-tail must be above 0");
		refused.put("cctracer.ingest.parse-threads=0", "cctracer.ingest.parse-threads must be at least 1: 0");
		refused.put("cctracer.ingest.batch-files=-3", "cctracer.ingest.batch-files must be at least 1: -3");
		refused.put("cctracer.duckdb.memory-limit=-1GB", "cctracer.duckdb.memory-limit must be a size above 0");
		refused.put("cctracer.duckdb.writer-memory-limit=0GB",
				"cctracer.duckdb.writer-memory-limit must be a size above 0");
		refused.put("cctracer.duckdb.threads=0", "cctracer.duckdb.threads must be at least 1: 0");
		refused.put("cctracer.archive.interval=0s", "cctracer.archive.interval must be above 0");
		refused.forEach((setting, message) -> {
			String[] pair = setting.split("=", 2);
			assertThatThrownBy(() -> bind(Map.of(pair[0], pair[1]))).as(setting)
				.rootCause()
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageStartingWith(message);
		});
		TracerProperties defaults = bind(Map.of());
		assertThat(defaults.ingest().maxLineBytes()).isEqualTo(DataSize.ofMegabytes(64));
		assertThat(defaults.duckdb().memoryLimit()).isEqualTo("1GB");
		assertThat(bind(Map.of("cctracer.duckdb.memory-limit", "512MiB", "cctracer.cost-mode", "Display")).costMode())
			.isEqualTo("Display");
	}

	private static TracerProperties bind(Map<String, String> settings) {
		return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("cctracer",
				TracerProperties.class);
	}

	/**
	 * A worker started once with {@code --cctracer.origin=teammate-laptop}, then without
	 * it (a team trial): its files stay that origin's, not the host name's (they were
	 * registered again under the host name, and the first origin stayed in the origins
	 * for good).
	 */
	@Test
	void aConfiguredOriginIsKeptWhenALaterStartConfiguresNone() throws Exception {
		assertThat(properties(" teammate-laptop ").effectiveOrigin()).isEqualTo("teammate-laptop");
		assertThat(properties(null).effectiveOrigin()).isEqualTo("teammate-laptop");
		// another one configured replaces it
		assertThat(properties("desk").effectiveOrigin()).isEqualTo("desk");
		assertThat(properties("").effectiveOrigin()).isEqualTo("desk");
		assertThat(Files.readString(this.tmp.resolve("data/origin")).strip()).isEqualTo("desk");
	}

}
