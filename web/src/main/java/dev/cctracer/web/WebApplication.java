package dev.cctracer.web;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

import dev.cctracer.worker.Launcher;
import dev.cctracer.worker.WorkerConfiguration;

/**
 * The platform in one process: the web (API, pages) with the worker inside.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(WorkerConfiguration.class)
public class WebApplication {

	public static void main(String[] args) {
		Launcher.run(WebApplication.class, args);
	}

}
