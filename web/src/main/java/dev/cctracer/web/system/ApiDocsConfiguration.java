package dev.cctracer.web.system;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description's own title and version (springdoc's defaults were "OpenAPI
 * definition" and "v0"): the app's name, its build's version, and where the answers'
 * fields are described in prose; and what the filters ask of a request, which springdoc
 * cannot see in the controllers: the {@code X-Requested-By} header of every state change
 * under {@code /api/} ({@link StateChangeHeaderFilter}) and the admin login (HTTP Basic)
 * of {@code /api/admin/**} ({@link SecurityConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
class ApiDocsConfiguration {

	/** The name of the admin login's security scheme. */
	private static final String ADMIN = "admin";

	@Bean
	OpenAPI tracerOpenApi(ObjectProvider<BuildProperties> build) {
		BuildProperties properties = build.getIfAvailable();
		return new OpenAPI()
			.info(new Info().title("Claude Code Tracer API")
				.version((properties != null) ? properties.getVersion() : "unknown")
				.description("Token usage, cost and tool statistics of Claude Code's session logs. "
						+ "Paths and snake_case fields follow the original Python tracer; every answer's "
						+ "fields are described in docs/api.md."))
			.components(new Components().addSecuritySchemes(ADMIN,
					new SecurityScheme().type(SecurityScheme.Type.HTTP)
						.scheme("basic")
						.description("the admin console's login: user admin, the password of "
								+ "cctracer.web.admin-password (or the one printed at start)")));
	}

	@Bean
	OpenApiCustomizer filtersOfTheApi() {
		return (openApi) -> openApi.getPaths().forEach((path, item) -> {
			if (!path.startsWith("/api/")) {
				return;
			}
			item.readOperationsMap().forEach((method, operation) -> {
				String verb = method.name();
				if (!verb.equals("GET") && !verb.equals("HEAD") && !verb.equals("OPTIONS")) {
					operation.addParametersItem(new HeaderParameter().name(StateChangeHeaderFilter.HEADER)
						.required(true)
						.description("any text: a page of another site cannot send it without a CORS "
								+ "preflight, which this server never grants")
						.schema(new StringSchema().example("curl")));
					problem(operation, "403", "no X-Requested-By header, or a Host that is not this machine's");
				}
				if (path.startsWith("/api/admin/")) {
					operation.addSecurityItem(new SecurityRequirement().addList(ADMIN));
					problem(operation, "401", "no admin login, or a wrong one (a Basic challenge)");
				}
			});
		});
	}

	private static void problem(Operation operation, String status, String when) {
		if (operation.getResponses() != null && !operation.getResponses().containsKey(status)) {
			operation.getResponses().addApiResponse(status, new ApiResponse().description(when));
		}
	}

}
