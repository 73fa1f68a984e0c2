package dev.cctracer.worker.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import dev.cctracer.shared.discovery.ClaudeDirs;

/**
 * Resolves {@code cctracer.data-dir} (default {@code ~/.cctracer}) before the database
 * starts, refuses a data dir inside a Claude dir, creates it and checks it and its
 * database ({@link DataDirCheck}); refuses explicitly configured Claude dirs of which
 * none exists when the demo is off. Every refusal is a {@link StartupRefusal}: one line,
 * exit code 1.
 */
public class DataDirEnvironmentPostProcessor implements EnvironmentPostProcessor {

	/**
	 * Spring Boot's log for this early phase: what it is told is written once logging is
	 * set up (an SLF4J logger's lines at this point were dropped, so the recovery from a
	 * corrupt database left no line in the app's log).
	 */
	private final Log log;

	public DataDirEnvironmentPostProcessor(DeferredLogFactory logs) {
		this.log = logs.getLog(DataDirCheck.class);
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
		Path home = ClaudeDirs.home(env.getProperty("HOME"));
		String configured = env.getProperty("cctracer.data-dir");
		Path dataDir = (configured == null || configured.isBlank()) ? home.resolve(".cctracer")
				: Path.of(configured.startsWith("~/") ? home + configured.substring(1) : configured);
		dataDir = dataDir.toAbsolutePath().normalize();
		List<Path> claude = ClaudeDirs.candidates(env.getProperty("cctracer.claude-dirs"),
				env.getProperty("CLAUDE_CONFIG_DIR"), home);
		for (Path projects : claude) {
			Path configDir = projects.getParent();
			if (configDir != null && dataDir.startsWith(configDir.toAbsolutePath().normalize())) {
				throw new StartupRefusal("cctracer.data-dir " + dataDir + " is inside the Claude dir " + configDir
						+ ": choose a data dir outside it (the tracer never writes into Claude's files)");
			}
		}
		String explicit = env.getProperty("cctracer.claude-dirs");
		if (explicit != null && !explicit.isBlank() && "off".equalsIgnoreCase(env.getProperty("cctracer.demo", "auto"))
				&& claude.stream().noneMatch((p) -> Files.isDirectory(p) || Files.isDirectory(p.getParent()))) {
			throw new StartupRefusal("none of the Claude dirs in cctracer.claude-dirs exists (" + explicit
					+ "): point it at your Claude config dir (the one holding projects/)");
		}
		try {
			Files.createDirectories(dataDir);
		}
		catch (IOException | RuntimeException ex) {
			throw new StartupRefusal("cannot create the data dir " + dataDir + " (" + ex.getClass().getSimpleName()
					+ ": " + ex.getMessage() + "): choose another cctracer.data-dir");
		}
		env.getPropertySources()
			.addFirst(new MapPropertySource("cctracerDataDir", Map.of("cctracer.data-dir", dataDir.toString())));
		DataDirCheck.check(dataDir, env.getProperty("spring.datasource.url"),
				env.getProperty("spring.datasource.username"), env.getProperty("spring.datasource.password"), this.log);
	}

}
