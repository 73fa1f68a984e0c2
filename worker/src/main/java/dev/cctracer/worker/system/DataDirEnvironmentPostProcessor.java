package dev.cctracer.worker.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import dev.cctracer.shared.discovery.ClaudeDirs;

/**
 * Resolves {@code cctracer.data-dir} (default {@code ~/.cctracer}) before the database
 * starts, refuses a data dir inside a Claude dir, and creates it.
 */
public class DataDirEnvironmentPostProcessor implements EnvironmentPostProcessor {

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
		Path home = Path.of(System.getProperty("user.home"));
		String configured = env.getProperty("cctracer.data-dir");
		Path dataDir = (configured == null || configured.isBlank()) ? home.resolve(".cctracer")
				: Path.of(configured.startsWith("~/") ? home + configured.substring(1) : configured);
		dataDir = dataDir.toAbsolutePath().normalize();
		List<Path> claude = ClaudeDirs.candidates(env.getProperty("cctracer.claude-dirs"),
				env.getProperty("CLAUDE_CONFIG_DIR"), home);
		for (Path projects : claude) {
			Path configDir = projects.getParent();
			if (configDir != null && dataDir.startsWith(configDir.toAbsolutePath().normalize())) {
				throw new IllegalStateException("cctracer.data-dir " + dataDir + " is inside the Claude dir "
						+ configDir + ": choose a data dir outside it (the tracer never writes into Claude's files)");
			}
		}
		try {
			Files.createDirectories(dataDir);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot create cctracer.data-dir " + dataDir, ex);
		}
		env.getPropertySources()
			.addFirst(new MapPropertySource("cctracerDataDir", Map.of("cctracer.data-dir", dataDir.toString())));
	}

}
