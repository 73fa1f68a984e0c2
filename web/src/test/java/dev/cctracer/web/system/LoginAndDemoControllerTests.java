package dev.cctracer.web.system;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import dev.cctracer.web.usage.UsageService;
import dev.cctracer.worker.ClaudeRoots;
import dev.cctracer.worker.TracerProperties;
import dev.cctracer.worker.indexing.Indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;

/**
 * Tests for {@link LoginController} and {@link DemoController}.
 */
@WebMvcTest
@ContextConfiguration(classes = { PageSliceConfiguration.class, LoginController.class, DemoController.class,
		LoginAndDemoControllerTests.Settings.class })
class LoginAndDemoControllerTests {

	@Autowired
	MockMvcTester mvc;

	@MockitoBean
	ClaudeRoots roots;

	@MockitoBean
	DemoData demo;

	@MockitoBean
	Indexer indexer;

	@MockitoBean
	UsageService usage;

	/** The settings of the process under test (swapped per test). */
	@TestConfiguration(proxyBeanMethods = false)
	static class Settings {

		@Bean
		TracerProperties tracerProperties() {
			return PageFixtures.tracerProperties("auto");
		}

	}

	@Test
	void loginPageHasACsrfTokenAndSaysWhenTheLoginFailed() {
		assertThat(this.mvc.get().uri("/login")).hasStatusOk()
			.bodyText()
			.contains("name=\"_csrf\"")
			// the one admin's name filled in (a trial did not know it was "admin")
			.contains("id=\"username\" autocomplete=\"username\" required value=\"admin\"")
			.doesNotContain("Wrong user name or password");
		assertThat(this.mvc.get().uri("/login?error")).hasStatusOk().bodyText().contains("Wrong user name or password");
	}

	/**
	 * A mistyped {@code cctracer.claude-dirs} starts on the demo dataset: its banner says
	 * where logs were looked for.
	 */
	@Test
	void theDemoBannerSaysWhereLogsWereLookedFor() {
		given(this.roots.isDemo()).willReturn(true);
		Path typo = Path.of(System.getProperty("user.home"), ".claude-typo", "projects");
		given(this.roots.candidates()).willReturn(List.of(typo));
		assertThat(this.mvc.get().uri("/login")).hasStatusOk()
			.bodyText()
			.contains("no Claude Code logs were found in\n  <code>" + typo + "</code>");
	}

	@Test
	void demoLoadsOnlyWhileThereAreNoLogs() throws Exception {
		given(this.roots.hasTranscripts()).willReturn(false);
		assertThat(this.mvc.post().uri("/demo").with(csrf())).hasStatus(HttpStatus.FOUND)
			.flash()
			.containsEntry("notice", "Demo dataset loaded and indexed.");
		then(this.demo).should().load();
		then(this.indexer).should().scanAndIngest();
	}

	@Test
	void demoIsRefusedWhenLogsExistAndWithoutCsrf() throws Exception {
		given(this.roots.hasTranscripts()).willReturn(true);
		assertThat(this.mvc.post().uri("/demo")).hasStatus(HttpStatus.FORBIDDEN);
		assertThat(this.mvc.post().uri("/demo").with(csrf())).flash()
			.containsEntry("notice", "Claude Code logs exist now; the demo dataset was not loaded.");
		then(this.demo).should(never()).load();
	}

}
