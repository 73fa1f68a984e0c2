package dev.cctracer.worker;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The worker on its own: scans, ingests and runs JobRunr jobs, without an HTTP server.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(WorkerConfiguration.class)
public class WorkerApplication {

	public static void main(String[] args) {
		Launcher.run(WorkerApplication.class, args);
	}

}
