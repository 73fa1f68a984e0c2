package dev.cctracer.worker;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The origin a process writes its files under, on a real data dir: a configured one is
 * kept for the starts that do not configure one.
 */
class TracerPropertiesTests {

	@TempDir
	Path tmp;

	private TracerProperties properties(String origin) {
		return new TracerProperties(null, this.tmp.resolve("data"), null, "calculate", origin, "off", null, null, null,
				null);
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
