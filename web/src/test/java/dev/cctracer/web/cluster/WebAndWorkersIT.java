package dev.cctracer.web.cluster;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.cctracer.generator.DatasetGenerator;
import dev.cctracer.generator.GroundTruth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The team topology as processes, mirroring {@code docker/compose.yml}: a real PostgreSQL
 * (embedded binaries, the web and the first worker started together on it while it is
 * empty) or one H2 file shared through {@code AUTO_SERVER}, the built web jar with the
 * job server off ({@code web-only}) and two built worker jars whose start-up scan
 * enqueues ingest jobs that JobRunr spreads over both. One worker is killed with SIGKILL
 * while the ingest runs; JobRunr's orphan detection hands its job to the other, and the
 * totals the web serves still equal the generator's ground truth exactly.
 */
class WebAndWorkersIT {

	private static final Pattern READ_SOMETHING = Pattern.compile("ingest job: \\d+ files, [1-9]\\d* read");

	private final List<Process> processes = new ArrayList<>();

	private final HttpClient http = HttpClient.newHttpClient();

	private final ObjectMapper json = new ObjectMapper();

	private EmbeddedPostgres postgres;

	@AfterEach
	void stop() throws IOException {
		for (Process p : this.processes) {
			p.destroyForcibly();
		}
		if (this.postgres != null) {
			this.postgres.close();
		}
	}

	@Test
	void webAndTwoWorkersOnPostgresCountExactlyAlsoWhenAWorkerIsKilledDuringIngest() throws Exception {
		Path root = root();
		this.postgres = EmbeddedPostgres.builder().setOverrideWorkingDirectory(root.resolve("pg").toFile()).start();
		runCluster(root,
				List.of("--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + this.postgres.getPort() + "/postgres",
						"--spring.datasource.username=postgres", "--spring.datasource.password=postgres"),
				new JdbcTemplate(this.postgres.getPostgresDatabase()), true);
	}

	/**
	 * Several processes on one machine without a database server: one H2 file opened with
	 * {@code AUTO_SERVER=TRUE} (the first process serves it to the others over loopback).
	 */
	@Test
	void webAndTwoWorkersOnOneH2FileCountExactlyAlsoWhenAWorkerIsKilledDuringIngest() throws Exception {
		Path root = root();
		String url = "jdbc:h2:file:" + root.resolve("shared-db/cctracer")
				+ ";AUTO_SERVER=TRUE;MAX_COMPACT_TIME=0;LOCK_TIMEOUT=60000"; // H2 refuses
																				// DB_CLOSE_ON_EXIT=FALSE
																				// here
		JdbcDataSource h2 = new JdbcDataSource();
		h2.setURL(url);
		h2.setUser("sa");
		runCluster(root, List.of("--spring.datasource.url=" + url, "--spring.datasource.username=sa"),
				new JdbcTemplate(h2), false);
		// the process that serves the file listens on loopback only (H2's server listened
		// on
		// every interface: anyone reaching the machine read the database)
		Properties lock = new Properties();
		try (var in = Files.newInputStream(root.resolve("shared-db/cctracer.lock.db"))) {
			lock.load(in);
		}
		String server = lock.getProperty("server");
		assertThat(server).as("%s", lock).matches("(127\\.0\\.0\\.1|localhost):\\d+");
		int serverPort = Integer.parseInt(server.substring(server.indexOf(':') + 1));
		for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
			for (InetAddress address : Collections.list(nic.getInetAddresses())) {
				if (nic.isUp() && !nic.isLoopback() && address instanceof Inet4Address) {
					try (Socket socket = new Socket()) {
						assertThatThrownBy(() -> socket.connect(new InetSocketAddress(address, serverPort), 2000))
							.as("H2's server on %s", address)
							.isInstanceOf(IOException.class);
					}
				}
			}
		}
	}

	private static Path root() throws IOException {
		return Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")))
			.resolve("cluster-" + System.nanoTime());
	}

	/**
	 * @param together whether the first worker starts with the web on the empty database,
	 * as {@code docker compose up} starts them (the first to get there migrates it, the
	 * other waits on Flyway's and JobRunr's locks or finds it done), else once the web
	 * answers
	 */
	private void runCluster(Path root, List<String> database, JdbcTemplate db, boolean together) throws Exception {
		Path webJar = Path.of(System.getProperty("web.jar", "target/cctracer-web-exec.jar")).toAbsolutePath();
		Path workerJar = Path.of(System.getProperty("worker.jar", "../worker/target/cctracer-worker-exec.jar"))
			.toAbsolutePath();
		assertThat(webJar).as("package the web first (mvn verify does)").isRegularFile();
		assertThat(workerJar).as("package the worker first (mvn verify does)").isRegularFile();
		// enough batches (160 of 3 files) that worker 1 is still busy after its first one
		GroundTruth truth = new DatasetGenerator(DatasetGenerator.Spec.small().scaled(4))
			.generate(root.resolve("claude"));

		int port = freePort();
		String base = "http://127.0.0.1:" + port;
		Process web = start(webJar, root.resolve("web.log"), database, "--spring.profiles.active=web-only",
				"--server.port=" + port, "--cctracer.data-dir=" + root.resolve("web-data"),
				"--cctracer.claude-dirs=" + root.resolve("claude"), "--cctracer.web.admin-password=cluster");
		// both workers on this machine's logs, one origin: JobRunr decides who ingests
		// what
		List<String> worker = List.of("--cctracer.claude-dirs=" + root.resolve("claude"), "--cctracer.origin=dev-box",
				"--cctracer.ingest.startup=jobs", "--cctracer.ingest.batch-files=3", "--cctracer.ingest.watch=false",
				"--cctracer.archive.enabled=false", "--jobrunr.background-job-server.worker-count=1",
				"--jobrunr.background-job-server.poll-interval-in-seconds=5",
				// no local rescan during the test: what the dead worker held must come
				// back through JobRunr
				"--cctracer.ingest.scan-interval=10m");
		Process first = together ? startWorker(workerJar, root, database, worker, 1) : null;
		if (first == null) {
			awaitHealth(web, base);
			// no worker yet: a search the web enqueues says why it waits (it said
			// "Searching…" for ever in a team trial); the workers take it later (no
			// job is left pending at the end)
			HttpResponse<String> search = this.http.send(HttpRequest.newBuilder(URI.create(base + "/api/search"))
				.header("Content-Type", "application/json")
				.header("X-Requested-By", "test")
				.POST(HttpRequest.BodyPublishers.ofString("{\"q\": \"no worker yet\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(search.statusCode()).isEqualTo(202);
			JsonNode waiting = get(base + this.json.readTree(search.body()).get("status_url").asText());
			assertThat(waiting.get("state").asText()).isEqualTo("enqueued");
			assertThat(waiting.get("waiting").asText()).startsWith("no worker is running");
			// healthy all the same (it reads no logs of its own), saying no worker runs
			JsonNode health = get(base + "/health");
			assertThat(health.get("status").asText()).isEqualTo("healthy");
			assertThat(health.get("workers").asText()).isEqualTo("none");
			first = startWorker(workerJar, root, database, worker, 1);
		}
		// started together, the worker is watched from its first job on, not once the web
		// answers: on a busy machine it had done every job before then, and could never
		// be caught in the middle of one

		// The first worker starts alone: with two at once, one could drain the queue
		// between the other's 5 s polls. Kill -9 it in the middle of an ingest job, once
		// it has completed one, while others are pending: freeze it (SIGSTOP), and if it
		// holds a job in PROCESSING at that instant, kill it there; else let it go on.
		List<String> orphaned = new ArrayList<>();
		long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
		while (orphaned.isEmpty()) {
			assertThat(System.nanoTime()).as("worker 1 never caught in the middle of a job").isLessThan(deadline);
			assertThat(first.isAlive()).as("worker 1 exited; see worker-1.log").isTrue();
			if (jobsDone(root.resolve("worker-1.log")) > 0) {
				signal("STOP", first);
				orphaned.addAll(db.queryForList(
						"SELECT id FROM jobrunr_jobs WHERE state = 'PROCESSING' AND jobAsJson LIKE '%worker-1%'",
						String.class));
				if (orphaned.isEmpty()) {
					signal("CONT", first);
				}
			}
			Thread.sleep(5);
		}
		first.destroyForcibly().waitFor();
		awaitHealth(web, base);
		// The second worker joins: JobRunr gives it the rest, and the dead worker's job
		// once that worker's heartbeat has been missing long enough.
		Process second = startWorker(workerJar, root, database, worker, 2);
		long pendingAtKill = db.queryForObject(
				"SELECT COUNT(*) FROM jobrunr_jobs WHERE state IN ('ENQUEUED', 'PROCESSING', 'SCHEDULED')", Long.class);
		assertThat(pendingAtKill).as("ingest jobs still to do when the worker was killed").isPositive();

		// the web serves the ground truth once the survivor (and JobRunr's orphan
		// handling) is done
		await().atMost(Duration.ofMinutes(4))
			.pollInterval(Duration.ofSeconds(1))
			.ignoreExceptions()
			.untilAsserted(() -> {
				JsonNode totals = get(base + "/api/metrics/aggregate");
				assertThat(totals.get("message_count").asLong()).isEqualTo(truth.global.messages);
				assertThat(totals.get("tokens").get("output_tokens").asLong()).isEqualTo(truth.global.usage.output());
				assertThat(totals.get("tokens").get("cache_read_input_tokens").asLong())
					.isEqualTo(truth.global.usage.cacheRead());
				assertThat(totals.get("total_cost").asDouble()).isEqualTo(truth.global.costPico / 1e12);
			});
		JsonNode projects = get(base + "/api/projects").get("projects");
		assertThat(projects).hasSize(truth.projects.size());
		// the overview and the index status on the oldest PostgreSQL supported (a FROM
		// subquery without an alias failed before 16)
		assertThat(get(base + "/api/index/status").get("lines").asLong()).isPositive();
		assertThat(status(base + "/")).isEqualTo(200);
		for (JsonNode p : projects) {
			assertThat(Math.round(p.get("total_cost").asDouble() * 1e6))
				.isEqualTo(Math.round(truth.projects.get(p.get("path_hash").asText()).costPico / 1e6));
		}
		// the job the dead worker held is detected as orphaned (its server's heartbeat
		// stops:
		// 4 polls of 5 s) and done again by the other
		await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
			for (String id : orphaned) {
				assertThat(db.queryForObject("SELECT state FROM jobrunr_jobs WHERE id = ?", String.class, id))
					.isEqualTo("SUCCEEDED");
			}
		});
		for (String id : orphaned) {
			assertThat(db.queryForObject("SELECT jobAsJson FROM jobrunr_jobs WHERE id = ?", String.class, id))
				.contains("worker-2");
		}
		// both workers did work; every file carries the origin; nothing is left failed or
		// pending
		assertThat(jobsDone(root.resolve("worker-1.log"))).isPositive();
		assertThat(jobsDone(root.resolve("worker-2.log"))).isPositive();
		assertThat(db.queryForList("SELECT DISTINCT origin FROM source_file", String.class)).containsExactly("dev-box");
		await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
			long failed = db.queryForObject("SELECT COUNT(*) FROM jobrunr_jobs WHERE state = 'FAILED'", Long.class);
			long pending = db.queryForObject(
					"SELECT COUNT(*) FROM jobrunr_jobs WHERE state IN ('ENQUEUED', 'PROCESSING')", Long.class);
			assertThat(failed).as("failed jobs").isZero();
			assertThat(pending).as("pending jobs").isZero();
		});
		assertThat(web.isAlive()).isTrue();
		assertThat(second.isAlive()).isTrue();
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(get(base + "/health").get("workers").asText()).isEqualTo("alive"));
	}

	private Process startWorker(Path jar, Path root, List<String> database, List<String> worker, int n)
			throws IOException {
		return start(jar, root.resolve("worker-" + n + ".log"), database, worker,
				"--cctracer.data-dir=" + root.resolve("worker-" + n + "-data"),
				"--jobrunr.background-job-server.name=worker-" + n);
	}

	private Process start(Path jar, Path log, List<String> database, Object... args) throws IOException {
		List<String> command = new ArrayList<>(
				List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx384m", "-XX:TieredStopAtLevel=1",
						// its temporary files (DuckDB's unpacked library, 57 MB) beside
						// this test's, not in
						// /tmp: a killed process cannot remove them
						"-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-jar", jar.toString()));
		command.addAll(database);
		for (Object arg : args) {
			if (arg instanceof List<?> list) {
				list.forEach((a) -> command.add(a.toString()));
			}
			else {
				command.add(arg.toString());
			}
		}
		command.add("--spring.main.banner-mode=off");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		this.processes.add(process);
		return process;
	}

	private static void signal(String signal, Process process) throws IOException, InterruptedException {
		assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor()).isZero();
	}

	private void awaitHealth(Process web, String base) {
		await().atMost(Duration.ofMinutes(3))
			.pollInterval(Duration.ofMillis(500))
			.failFast("the web process exited; see web.log", () -> !web.isAlive())
			.ignoreExceptions()
			.until(() -> status(base + "/health") == 200);
	}

	private static long jobsDone(Path log) throws IOException {
		if (!Files.exists(log)) {
			return 0;
		}
		try (var lines = Files.lines(log)) {
			// jobs that read something (a batch another worker had already done reads
			// nothing)
			return lines.filter((l) -> READ_SOMETHING.matcher(l).find()).count();
		}
	}

	private int status(String url) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

	private JsonNode get(String url) throws IOException, InterruptedException {
		return this.json.readTree(
				this.http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
					.body());
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
