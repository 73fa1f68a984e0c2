package dev.cctracer.benchmark;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The app under test, launched as its own JVM process the way {@code run.sh} starts it
 * ({@code java -Xmx512m [bench.jvm-args] -jar <jar> <args>}), one at a time: its launch,
 * its health, its live heap, its stop.
 */
final class AppProcess {

	/** The admin password the benchmarked app is started with (admin API, actuator). */
	static final String ADMIN_PASSWORD = "bench-admin";

	/**
	 * The app's JVM options besides the heap bound, as {@code run.sh} starts it: a 64 MB
	 * initial heap and the serial collector (the heap grows for a first index and gives
	 * memory back once idle, without G1's ~50 MB of remembered sets: RSS after the load
	 * 302 MB on the small set before the ratios below, against 349–440 MB with G1's
	 * default 384 MB initial heap), a heap that may grow to 5× what is live while busy
	 * and survivors promoted after 2 young collections (half the pauses of a large first
	 * index), a young generation of a quarter of the heap (less heap left after the idle
	 * trim), a heap that shrinks at one full collection rather than in damped steps (less
	 * heap right after a load), and C1 only (see BENCHMARKS.md);
	 * {@code -Dbench.jvm-args=} (empty) measures the JVM's defaults.
	 */
	static final String DEFAULT_JVM_ARGS = "-Xms64m -XX:+UseSerialGC -XX:MinHeapFreeRatio=80 -XX:MaxHeapFreeRatio=95 "
			+ "-XX:MaxTenuringThreshold=2 -XX:NewRatio=3 -XX:-ShrinkHeapInSteps -XX:TieredStopAtLevel=1";

	private final AppClient client;

	private volatile Process process;

	/** {@link System#nanoTime} just before the app process was launched. */
	private volatile long launchedNanos;

	AppProcess(AppClient client) {
		this.client = client;
	}

	/**
	 * {@code java -Xmx512m [bench.jvm-args] -jar <jar> <args>}: the JVM options under
	 * test ({@code -Dbench.jvm-args=…}, default {@link #DEFAULT_JVM_ARGS}) go to every
	 * app and worker process; a jar with a class-data archive beside it
	 * ({@link ClassDataArchive}) starts with {@code -XX:SharedArchiveFile=} that archive,
	 * as {@code run.sh} starts it.
	 */
	static List<String> command(Path jar, String... args) {
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current().info().command().orElse("java"));
		command.add("-Xmx512m");
		String extra = System.getProperty("bench.jvm-args", DEFAULT_JVM_ARGS).strip();
		if (!extra.isEmpty()) {
			command.addAll(List.of(extra.split("\\s+")));
		}
		Path archive = jar.resolveSibling(ClassDataArchive.NAME);
		if (Files.isRegularFile(archive)) {
			command.add("-XX:SharedArchiveFile=" + archive);
		}
		command.add("-jar");
		command.add(jar.toString());
		command.addAll(List.of(args));
		return command;
	}

	/** A TCP port free on the loopback interface just now. */
	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/**
	 * Launches {@code command} (see {@link #command}) as the app, its output and errors
	 * to {@code log}, with {@code MALLOC_ARENA_MAX=2} unless the environment sets it (as
	 * {@code ./run.sh}); the clock of {@link #waitForHealth} starts now.
	 */
	void launch(List<String> command, Path log) throws IOException {
		this.launchedNanos = System.nanoTime();
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
		// as ./run.sh starts it
		builder.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
		this.process = builder.start();
	}

	/** The app's process; {@code null} before the first launch. */
	Process process() {
		return this.process;
	}

	/** Stops the app and waits for its process to end. */
	void stop() throws InterruptedException {
		this.process.destroy();
		this.process.waitFor();
	}

	/**
	 * Seconds from the launch until {@code /health} answers.
	 * @throws IllegalStateException when the app exits first
	 */
	double waitForHealth(String base) throws InterruptedException {
		while (true) {
			if (this.client.healthy(base)) {
				// from the launch, on the same clock as the caller's timings (the OS's
				// process start instant was up to a second off)
				return Report.secs(this.launchedNanos);
			}
			if (!this.process.isAlive()) {
				throw new IllegalStateException("the app exited; see its log");
			}
			Thread.sleep(20);
		}
	}

	/**
	 * The app's live heap: what is left after a full collection, which {@code jcmd
	 * GC.class_histogram} forces (between measurements only: it stops the app for a
	 * moment). Micrometer's {@code jvm.gc.live.data.size} was tried first; under G1 it
	 * reports the old generation after any collection, garbage included (376 MB on the
	 * large set where a full collection leaves ~60 MB).
	 * @return bytes, or -1 when jcmd cannot tell
	 */
	long liveHeapBytes() {
		String out = jcmd("GC.class_histogram");
		Matcher total = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(out);
		return total.find() ? Long.parseLong(total.group(1)) : -1;
	}

	/**
	 * The output of {@code jcmd <app pid> <command…>}, or an empty string when jcmd
	 * cannot tell.
	 */
	String jcmd(String... command) {
		try {
			Path jcmd = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
			List<String> line = new ArrayList<>(List.of(jcmd.toString(), String.valueOf(this.process.pid())));
			line.addAll(List.of(command));
			Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
			String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			p.waitFor();
			return out;
		}
		catch (IOException ex) {
			return "";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "";
		}
	}

	/**
	 * The app's resident set now ({@code VmRSS} of {@code /proc/<pid>/status}), KiB; -1
	 * when it cannot be read.
	 */
	long rssKb() {
		try {
			for (String l : Files.readAllLines(Path.of("/proc/" + this.process.pid() + "/status"))) {
				if (l.startsWith("VmRSS:")) {
					return Long.parseLong(l.replaceAll("[^0-9]", ""));
				}
			}
		}
		catch (IOException ex) {
			// no /proc, or the process ended
		}
		return -1;
	}

}
