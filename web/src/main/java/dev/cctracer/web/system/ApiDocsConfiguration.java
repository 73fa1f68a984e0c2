package dev.cctracer.web.system;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description's own title and version (springdoc's defaults were "OpenAPI
 * definition" and "v0"): the app's name, its build's version, and where the answers'
 * fields are described in prose.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocsConfiguration {

	@Bean
	OpenAPI tracerOpenApi(ObjectProvider<BuildProperties> build) {
		BuildProperties properties = build.getIfAvailable();
		return new OpenAPI().info(new Info().title("Claude Code Tracer API")
			.version((properties != null) ? properties.getVersion() : "unknown")
			.description("Token usage, cost and tool statistics of Claude Code's session logs. "
					+ "Paths and snake_case fields follow the original Python tracer; every answer's "
					+ "fields are described in docs/api.md."));
	}

}
