package dev.cctracer.web.system;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cctracer.shared.transcript.RedactingModule;

/**
 * The app's {@code ObjectMapper} redacts every string it writes
 * ({@link RedactingModule}): Spring Boot registers module beans in it.
 */
@Configuration(proxyBeanMethods = false)
class JsonConfiguration {

	@Bean
	RedactingModule redactingModule() {
		return new RedactingModule();
	}

}
