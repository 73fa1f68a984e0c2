package dev.cctracer.web.system;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code /health}, which needs no login, says of a data dir's path.
 */
class HealthControllerTests {

	@Test
	void aDataDirBelowTheHomeDirIsNamedWithoutIt() {
		Path home = Path.of("/home/alice");
		assertThat(HealthController.shown(Path.of("/home/alice/.claude/projects"), home))
			.isEqualTo("~/.claude/projects");
		assertThat(HealthController.shown(Path.of("/home/alice"), home)).isEqualTo("~");
		// another user's home, a sibling whose name only starts the same, the root as
		// home
		assertThat(HealthController.shown(Path.of("/home/alicia/.claude/projects"), home))
			.isEqualTo("/home/alicia/.claude/projects");
		assertThat(HealthController.shown(Path.of("/srv/claude/projects"), home)).isEqualTo("/srv/claude/projects");
		assertThat(HealthController.shown(Path.of("/srv/claude"), Path.of("/"))).isEqualTo("/srv/claude");
	}

}
