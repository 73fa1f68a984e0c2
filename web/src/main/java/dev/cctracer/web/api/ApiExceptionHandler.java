package dev.cctracer.web.api;

import java.util.Optional;

import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.cctracer.shared.log.Causes;
import dev.cctracer.shared.log.LogText;
import dev.cctracer.web.system.Unavailable;
import dev.cctracer.web.usage.ConflictException;
import dev.cctracer.web.usage.NotFoundException;
import dev.cctracer.worker.FactsOutOfMemoryException;
import dev.cctracer.worker.StorageHealth;

/**
 * RFC 7807 problem details for the API: unknown ids 404 (malformed ids, parameters and
 * bodies 400: {@link ApiBadRequestHandler}), a storage fault of the data dir 503 naming
 * it, the facts writer out of memory 503 naming its setting, anything else 500 without a
 * stack trace or transcript text; also for a streamed (NDJSON) answer that failed before
 * its first byte.
 */
@RestControllerAdvice(basePackages = "dev.cctracer.web")
class ApiExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

	private final ObjectProvider<StorageHealth> storage;

	ApiExceptionHandler(ObjectProvider<StorageHealth> storage) {
		this.storage = storage;
	}

	@ExceptionHandler(ConflictException.class)
	ProblemDetail conflict(ConflictException ex) {
		return problem(HttpStatus.CONFLICT, ex.title(), ex.getMessage());
	}

	@ExceptionHandler(NotFoundException.class)
	ProblemDetail notFound(NotFoundException ex) {
		return problem(HttpStatus.NOT_FOUND, "Not found", ex.getMessage());
	}

	@ExceptionHandler(Exception.class)
	ProblemDetail unexpected(Exception ex, HttpServletResponse response) {
		if (!response.isCommitted()) {
			// a streamed answer (NDJSON) that failed before its first byte: the problem
			// is
			// written as problem+json, not refused for the stream's preset type
			response.setContentType(null);
		}
		FactsOutOfMemoryException facts = Causes.find(ex, FactsOutOfMemoryException.class);
		if (facts != null) {
			log.warn("request failed: {}", LogText.safe(facts.getMessage()));
			return problem(HttpStatus.SERVICE_UNAVAILABLE, "Facts unavailable", facts.getMessage());
		}
		Optional<Unavailable> unavailable = Unavailable.of(ex, this.storage.getIfAvailable());
		if (unavailable.isPresent()) {
			return problem(HttpStatus.SERVICE_UNAVAILABLE, unavailable.get().title(), unavailable.get().detail());
		}
		log.error("request failed: {}", LogText.safe(ex.toString()));
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", "the request failed; see the server log");
	}

	private static ProblemDetail problem(HttpStatus status, String title, String detail) {
		ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
		p.setTitle(title);
		// its instance is the redacted path: ProblemInstanceAdvice sets it for every
		// problem MVC writes
		return p;
	}

}
