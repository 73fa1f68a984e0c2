package dev.cctracer.web.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged web app ({@code target/cctracer-web-exec.jar}, or the {@code web.jar}
 * system property) started as a user starts it, one process per call, on a loopback port
 * of its own; {@link #close()} kills what was started.
 */
final class PackagedApp implements AutoCloseable {

	private final List<Process> processes = new ArrayList<>();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	static int freePort() throws IOException {
		try (ServerSocket s = new ServerSocket(0)) {
			return s.getLocalPort();
		}
	}

	/**
	 * Starts the app on {@code dataDir} and {@code claudeDir}; its console goes to
	 * {@code log}.
	 * @param extra further {@code --name=value} arguments
	 */
	Process start(Path dataDir, Path claudeDir, Path log, int port, String... extra) throws IOException {
		Path jar = Path.of(System.getProperty("web.jar", "target/cctracer-web-exec.jar")).toAbsolutePath();
		List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
				"-Xmx384m", "-XX:TieredStopAtLevel=1",
				// its temporary files (DuckDB's unpacked library, 57 MB) beside this
				// test's, not in
				// /tmp: a killed process cannot remove them
				"-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-jar", jar.toString(),
				"--cctracer.data-dir=" + dataDir, "--cctracer.claude-dirs=" + claudeDir, "--cctracer.demo=off",
				"--server.port=" + port, "--cctracer.web.jobs-dashboard.port=0", "--spring.main.banner-mode=off"));
		command.addAll(List.of(extra));
		Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		this.processes.add(p);
		return p;
	}

	/** The status of a GET, or -1 when nothing answers. */
	int status(String url) {
		HttpResponse<String> response = get(url);
		return (response != null) ? response.statusCode() : -1;
	}

	/** The body of a GET, or "" when nothing answers. */
	String body(String url) {
		HttpResponse<String> response = get(url);
		return (response != null) ? response.body() : "";
	}

	HttpResponse<String> get(String url) {
		try {
			return this.http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	@Override
	public void close() {
		this.processes.forEach(Process::destroyForcibly);
	}

}
