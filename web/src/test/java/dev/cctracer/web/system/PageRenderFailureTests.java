package dev.cctracer.web.system;

import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.ServletException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.stereotype.Controller;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.context.WebApplicationContext;

import dev.cctracer.web.usage.UsageService;
import dev.cctracer.worker.ClaudeRoots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * A template that fails after more output than the response buffer holds: nothing of the
 * page is sent, so the container's error page answers with its 500 (with partial output,
 * the 200 and half a page went out first and the error page was appended to them).
 */
@WebMvcTest
@ContextConfiguration(classes = { PageSliceConfiguration.class, PageRenderFailureTests.LateFailure.class })
class PageRenderFailureTests {

	@Autowired
	WebApplicationContext context;

	@MockitoBean
	ClaudeRoots roots;

	@MockitoBean
	UsageService usage;

	@Test
	void aPageWhoseTemplateFailsLateSendsNothingOfIt() throws Exception {
		// what the container gets: the exception, and the response as it stands then
		List<Exception> failures = new ArrayList<>();
		MockMvc mvc = MockMvcBuilders.webAppContextSetup(this.context).addFilters((request, response, chain) -> {
			try {
				chain.doFilter(request, response);
			}
			catch (ServletException ex) {
				failures.add(ex);
			}
		}).build();
		MockHttpServletResponse response = mvc.perform(get("/test/late-failure")).andReturn().getResponse();
		assertThat(failures).singleElement()
			.satisfies((ex) -> assertThat(ex)
				.hasRootCauseMessage("EL1007E: Property or field 'field' cannot be found on null"));
		assertThat(response.isCommitted()).isFalse();
		assertThat(response.getContentAsByteArray()).isEmpty();
	}

	@Controller
	static class LateFailure implements PageController {

		@GetMapping("/test/late-failure")
		String page() {
			return "test/late-failure";
		}

	}

}
