package dev.cctracer.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Samples the app's memory every 100 ms while it runs, across restarts: the peak resident
 * set ({@code VmHWM} of {@code /proc/<pid>/status}, KiB) and, once {@link #sampleHeapAt
 * told where}, the highest heap in use (Micrometer's {@code jvm.memory.used}, area heap,
 * bytes, garbage included) from the actuator.
 */
final class MemorySampler {

	private final AppProcess app;

	/**
	 * The sampler's own client: its admin session is its own, so its logins (one per new
	 * app process) never change the session cookie of the harness's client while that one
	 * loads pages as the admin (a shared cookie jar made a page answer 302 now and then).
	 */
	private final AppClient client = new AppClient();

	private volatile long rssPeakKb;

	/**
	 * Highest heap in use seen by the sampler (Micrometer {@code jvm.memory.used}, area
	 * heap).
	 */
	private volatile long heapPeakBytes;

	/** The app's base URL while it runs, for the heap sampler. */
	private volatile String base;

	private Thread thread;

	MemorySampler(AppProcess app) {
		this.app = app;
	}

	/** Starts sampling (a daemon thread). */
	void start() {
		Thread t = new Thread(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				Process p = this.app.process();
				if (p != null && p.isAlive()) {
					try {
						for (String l : Files.readAllLines(Path.of("/proc/" + p.pid() + "/status"))) {
							if (l.startsWith("VmHWM:")) {
								this.rssPeakKb = Math.max(this.rssPeakKb, Long.parseLong(l.replaceAll("[^0-9]", "")));
							}
						}
					}
					catch (IOException | RuntimeException ex) {
						// the process ended between the check and the read
					}
					sampleHeap();
				}
				try {
					Thread.sleep(100);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}, "rss-sampler");
		t.setDaemon(true);
		t.start();
		this.thread = t;
	}

	/** Stops sampling. */
	void stop() {
		this.thread.interrupt();
	}

	/** Samples the heap in use too, from the actuator at {@code base} (admin login). */
	void sampleHeapAt(String base) {
		this.base = base;
	}

	/** Peak resident set of the app's processes so far, KiB. */
	long rssPeakKb() {
		return this.rssPeakKb;
	}

	/** Highest heap in use sampled so far, bytes. */
	long heapPeakBytes() {
		return this.heapPeakBytes;
	}

	private void sampleHeap() {
		String url = this.base;
		if (url == null) {
			return;
		}
		try {
			HttpRequest request = HttpRequest
				.newBuilder(URI.create(url + "/actuator/metrics/jvm.memory.used?tag=area:heap"))
				.timeout(Duration.ofSeconds(2))
				.build();
			HttpResponse<String> response = this.client.sendAsAdmin(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() == 401) {
				// a new app process: log in again
				this.client.login(url);
			}
			if (response.statusCode() == 200) {
				long used = AppClient.parse(response.body()).path("measurements").path(0).path("value").asLong();
				this.heapPeakBytes = Math.max(this.heapPeakBytes, used);
			}
		}
		catch (IOException | RuntimeException ex) {
			// not listening (yet, or any more)
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
