package dev.cctracer.web.job;

import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OperationCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description of the endpoints {@link AnswersWithJob} marks: their
 * {@code 202} answer (the job's id, its status URL and the {@code Location} header),
 * which springdoc cannot see in a {@code ResponseEntity<?>} (it had listed a 200 only).
 */
@Configuration(proxyBeanMethods = false)
class JobApiDocs {

	@Bean
	OperationCustomizer jobAnswers() {
		return (operation, handler) -> {
			AnswersWithJob marked = handler.getMethodAnnotation(AnswersWithJob.class);
			if (marked == null) {
				return operation;
			}
			ApiResponses responses = (operation.getResponses() != null) ? operation.getResponses() : new ApiResponses();
			ObjectSchema job = new ObjectSchema();
			job.addProperty("job_id", new StringSchema().description("the job's id (a UUID)"));
			job.addProperty("status_url", new StringSchema().description("/api/jobs/{id}: poll it until its state is "
					+ "succeeded, then GET its result_url (or failed, with its error)"));
			responses.addApiResponse("202", new ApiResponse()
				.description("not computed for the current data yet: a job computes it; poll its status")
				.addHeaderObject("Location",
						new Header().description("the job's status URL, /api/jobs/{id}").schema(new StringSchema()))
				.content(new Content().addMediaType("application/json", new MediaType().schema(job))));
			if (marked.always()) {
				responses.remove("200");
			}
			operation.setResponses(responses);
			return operation;
		};
	}

}
