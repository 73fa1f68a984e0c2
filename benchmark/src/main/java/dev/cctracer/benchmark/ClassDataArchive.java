package dev.cctracer.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The app jar laid out as {@code run.sh} starts it: extracted by Spring Boot's
 * {@code -Djarmode=tools … extract}, with a class-data archive ({@code app.jsa}) written
 * by a training run that stops once the context is refreshed
 * ({@code -XX:ArchiveClassesAtExit}, {@code -Dspring.context.exit=onRefresh}; Spring
 * Boot's "Class Data Sharing"). A jar with an {@code app.jsa} beside it is started with
 * that archive ({@link AppProcess#command}).
 */
final class ClassDataArchive {

	/** The archive's name beside the extracted jar. */
	static final String NAME = "app.jsa";

	private ClassDataArchive() {
	}

	/**
	 * Extracts {@code jar} into {@code dir} (emptied first) and trains its archive there.
	 * @return the extracted jar, with its archive beside it; {@code jar} itself when the
	 * extraction or the training fails (said on standard error: the run measures the
	 * plain jar then)
	 * @throws IOException when {@code dir} cannot be emptied or written
	 * @throws InterruptedException when interrupted while a step runs
	 */
	static Path prepare(Path jar, Path dir) throws IOException, InterruptedException {
		Bench.deleteTree(dir);
		Files.createDirectories(dir);
		String java = ProcessHandle.current().info().command().orElse("java");
		Path extracted = dir.resolve(jar.getFileName());
		// beside dir, not in it: the extraction refuses a destination that is not empty
		Path scratch = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-training"));
		Bench.deleteTree(scratch);
		Files.createDirectories(scratch);
		if (!run(List.of(java, "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination", dir.toString()),
				scratch.resolve("extract.log")) || !Files.isRegularFile(extracted)) {
			System.err.println("no class-data archive: the jar could not be extracted (" + scratch + "); plain jar");
			return jar;
		}
		List<String> training = new ArrayList<>(
				AppProcess.command(extracted, "--cctracer.data-dir=" + scratch.resolve("data"),
						"--cctracer.claude-dirs=" + scratch.resolve("claude")));
		int at = training.indexOf("-jar");
		training.add(at, "-Dspring.context.exit=onRefresh");
		// Tomcat's temporary dirs, which the exit leaves, go with the scratch dir
		training.add(at, "-Djava.io.tmpdir=" + Files.createDirectories(scratch.resolve("tmp")));
		training.add(at, "-XX:ArchiveClassesAtExit=" + dir.resolve(NAME));
		if (!run(training, scratch.resolve("training.log")) || !Files.isRegularFile(dir.resolve(NAME))) {
			System.err.println("no class-data archive: the training run failed (" + scratch + "); plain jar");
			return jar;
		}
		Bench.deleteTree(scratch);
		return extracted;
	}

	/**
	 * Runs {@code command} to its end (at most two minutes), its output to {@code log}.
	 */
	private static boolean run(List<String> command, Path log) throws IOException, InterruptedException {
		Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		if (!p.waitFor(2, TimeUnit.MINUTES)) {
			p.destroyForcibly().waitFor();
			return false;
		}
		return p.exitValue() == 0;
	}

}
