package dev.cctracer.web.api;

import org.junit.jupiter.api.Test;

import org.springframework.beans.ConversionNotSupportedException;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.http.ProblemDetail;
import org.springframework.mock.web.MockHttpServletResponse;

import dev.cctracer.worker.StorageHealth;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring matches an advice's handlers on an exception's causes as well as on the
 * exception: the bad-request advice, ordered first, must answer a server error whose
 * cause happens to be an {@link IllegalArgumentException} as the 500 it is, without the
 * cause's text.
 */
class ApiBadRequestHandlerTests {

	private final ApiBadRequestHandler handler = new ApiBadRequestHandler(
			new ApiExceptionHandler(new StaticListableBeanFactory().getBeanProvider(StorageHealth.class)));

	@Test
	void aRequestsOwnMistakeIsA400NamingIt() {
		ProblemDetail p = this.handler.badRequest(new IllegalArgumentException("sort must be one of cost, tokens"),
				new MockHttpServletResponse());
		assertThat(p.getStatus()).isEqualTo(400);
		assertThat(p.getTitle()).isEqualTo("Bad request");
		assertThat(p.getDetail()).isEqualTo("sort must be one of cost, tokens");
	}

	@Test
	void aServerErrorCausedByOneIsThe500ItWas() {
		ProblemDetail wrapped = this.handler.badRequest(new IllegalStateException("writing the answer failed",
				new IllegalArgumentException("internal text of a transcript")), new MockHttpServletResponse());
		assertThat(wrapped.getStatus()).isEqualTo(500);
		assertThat(wrapped.getDetail()).isEqualTo("the request failed; see the server log");
		ProblemDetail conversion = this.handler.badRequest(
				new ConversionNotSupportedException("x", java.time.Clock.class, null), new MockHttpServletResponse());
		assertThat(conversion.getStatus()).isEqualTo(500);
		ProblemDetail id = this.handler.badRequest(
				new IllegalStateException("a job failed",
						new dev.cctracer.shared.discovery.Ids.InvalidIdException("project", "x")),
				new MockHttpServletResponse());
		assertThat(id.getStatus()).isEqualTo(500);
	}

}
