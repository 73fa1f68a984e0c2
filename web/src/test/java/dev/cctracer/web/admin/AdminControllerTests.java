package dev.cctracer.web.admin;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jobrunr.storage.JobStats;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.ArgumentMatchers;
import org.mockito.Mockito;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import dev.cctracer.shared.pricing.PriceTable;
import dev.cctracer.web.job.JobService;
import dev.cctracer.web.job.JobService.JobStatusDto;
import dev.cctracer.web.session.MessageService;
import dev.cctracer.web.session.SessionAnalysisService;
import dev.cctracer.web.system.PageFixtures;
import dev.cctracer.web.system.PageSliceConfiguration;
import dev.cctracer.web.usage.IndexedFiles;
import dev.cctracer.web.usage.UsageService;
import dev.cctracer.worker.ClaudeRoots;
import dev.cctracer.worker.IngestReport;
import dev.cctracer.worker.PathProblem;
import dev.cctracer.worker.PriceAdmin;
import dev.cctracer.worker.TracerProperties;
import dev.cctracer.worker.indexing.Indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;

/**
 * Tests for {@link AdminController}: login and CSRF required, each action answered with
 * its outcome.
 */
@WebMvcTest
@ContextConfiguration(
		classes = { PageSliceConfiguration.class, AdminController.class, AdminControllerTests.Settings.class })
class AdminControllerTests {

	private static final String JOB = "0db92efd-8e9c-36f1-af9d-72767d1bde42";

	@Autowired
	MockMvcTester mvc;

	@MockitoBean
	ClaudeRoots roots;

	@MockitoBean
	IndexedFiles files;

	@MockitoBean
	JobService jobs;

	@MockitoBean
	UsageService usage;

	@MockitoBean
	MessageService messages;

	@MockitoBean
	SessionAnalysisService analyses;

	@MockitoBean
	Indexer indexer;

	@MockitoBean
	JobRunrDashboard jobsDashboard;

	@MockitoBean
	PriceAdmin prices;

	@BeforeEach
	void noImport() {
		given(this.prices.importStatus()).willReturn(new PriceAdmin.ImportStatus(null, null, 0, null, null));
	}

	/** A process that ingests (the default). */
	@TestConfiguration(proxyBeanMethods = false)
	static class Settings {

		@Bean
		TracerProperties tracerProperties() {
			return PageFixtures.tracerProperties("off");
		}

		@Bean
		PriceTable priceTable() {
			return PriceTable.bundled();
		}

	}

	@Test
	void consoleNeedsTheAdminLogin() {
		assertThat(this.mvc.get().uri("/admin").accept(MediaType.TEXT_HTML)).hasStatus(HttpStatus.FOUND)
			.redirectedUrl()
			.endsWith("/login");
		assertThat(this.mvc.get().uri("/admin").with(user("someone").roles("USER"))).hasStatus(HttpStatus.FORBIDDEN);
	}

	@Test
	void consoleShowsDirsFilesAndJobsWithProgress() {
		given(this.roots.candidates()).willReturn(List.of(Path.of("/Users/me/.claude/projects")));
		given(this.roots.current()).willReturn(List.of(Path.of("/Users/me/.claude/projects")));
		Map<String, Long> counts = zeroCounts();
		counts.put("known", 1L);
		counts.put("invalid", 1L);
		given(this.usage.indexCounts()).willReturn(counts);
		given(this.files.page(1)).willReturn(List.of(new IndexedFiles.FileRow(1, "/Users/me/.claude/projects",
				"-home-me-repo/a.jsonl", "MAIN", 2048, 4096, "pending", 10, 1, 0, 0, 1_767_950_000_000L, false)));
		given(this.jobs.recent(15)).willReturn(List.of(new JobStatusDto(JOB, "verify", "rebuild and verify",
				"processing", 40, "2026-01-09T10:00:00Z", "2026-01-09T10:00:01Z", null, null)));
		given(this.jobs.stats()).willReturn(JobStats.empty());
		given(this.jobsDashboard.url()).willReturn("http://127.0.0.1:8421/dashboard");
		given(this.indexer.lastProblems())
			.willReturn(List.of(new PathProblem("/Users/me/.claude/projects/-home-me-repo/notes.jsonl",
					"not a session transcript's name")));
		given(this.prices.setAside()).willReturn(List.of("prices-admin.json.corrupt-20261206T070000Z"));
		// a binary file named as a transcript: every line malformed
		given(this.files.withSkippedLines()).willReturn(List.of(new IndexedFiles.FileRow(2,
				"/Users/me/.claude/projects", "-home-me-repo/44444444-0000-4000-8000-000000000000.jsonl", "MAIN",
				204_800, 204_800, "ingested", 845, 845, 0, 0, 1_767_950_000_000L, true)));
		assertThat(this.mvc.get().uri("/admin").with(user("admin").roles("ADMIN"))).hasStatusOk()
			.hasViewName("admin/adminConsole")
			.bodyText()
			.contains("Not indexed by the last scan (1 path)")
			.contains("id=\"skipped-files\"")
			.containsPattern(
					"44444444-0000-4000-8000-000000000000.jsonl</code>\\s*<span class=\"badge warn\"[^>]*>not a "
							+ "transcript</span></td>\\s*<td class=\"num\">845</td>\\s*<td class=\"num\">845</td>")
			.contains("id=\"prices-set-aside\"", "<code>prices-admin.json.corrupt-20261206T070000Z</code>")
			// the bundled table in force, as prices-2026-11.md lists Opus 4.7: $5 / $25,
			// 5m write $6.25, 1h $10, read $0.50, fast mode 6x
			.containsPattern("<code>claude-opus-4-7</code></td><td>opus</td><td>[^<]+</td>\\s*"
					+ "<td class=\"num\">\\$5</td><td class=\"num\">\\$25</td>\\s*"
					+ "<td class=\"num\">\\$6.25</td><td class=\"num\">\\$10</td>\\s*"
					+ "<td class=\"num\">\\$0.5</td><td class=\"num\">6</td>")
			.contains("-home-me-repo/notes.jsonl</code></td><td>not a session transcript&#39;s name")
			.contains("-home-me-repo/a.jsonl")
			.contains("badge pending")
			.contains("width: 40%")
			.contains("id=\"jobs\" data-refresh=\"1500\"")
			.contains("/Users/me/.claude/projects")
			.contains("name=\"_csrf\"")
			.contains("href=\"http://127.0.0.1:8421/dashboard\"");
	}

	/** The index counts the console shows, each 0. */
	private static Map<String, Long> zeroCounts() {
		Map<String, Long> counts = new HashMap<>();
		for (String key : List.of("known", "deleted", "pending", "bytes", "lines", "invalid", "unknown", "overlong",
				"resets", "archived", "parquet_bytes")) {
			counts.put(key, 0L);
		}
		return counts;
	}

	@Test
	void actionsNeedACsrfToken() {
		assertThat(this.mvc.post().uri("/admin/verify").with(user("admin").roles("ADMIN")))
			.hasStatus(HttpStatus.FORBIDDEN);
		then(this.jobs).should(never()).enqueueVerify();
	}

	@Test
	void verifyIsQueuedAndTheOutcomeNamesTheJob() {
		given(this.jobs.enqueueVerify()).willReturn(JOB);
		assertThat(this.mvc.post().uri("/admin/verify").with(user("admin").roles("ADMIN")).with(csrf()))
			.hasStatus(HttpStatus.FOUND)
			.hasRedirectedUrl("/admin")
			.flash()
			.containsEntry("outcome", "Rebuild and verify queued as job " + JOB + "; follow it below.");
	}

	@Test
	void archiveScanAndClearCachesAnswerWithTheirOutcome() throws Exception {
		given(this.jobs.enqueueArchive()).willReturn(JOB);
		given(this.indexer.scanAndIngest()).willReturn(new IngestReport(3, 1, 2, 100, 2, 0, 0, 0, 0, 12, 5, 4));
		given(this.usage.clearCaches()).willReturn(7);
		given(this.messages.clearCaches()).willReturn(2);
		given(this.analyses.clearCaches()).willReturn(3);
		assertThat(this.mvc.post().uri("/admin/archive").with(user("admin").roles("ADMIN")).with(csrf())).flash()
			.containsEntry("outcome", "Compaction of the facts queued as job " + JOB + "; follow it below.");
		assertThat(this.mvc.post().uri("/admin/scan").with(user("admin").roles("ADMIN")).with(csrf())).flash()
			.containsEntry("outcome", "Rescan done in 12 ms: 3 files checked, 1 read (100 bytes, 2 lines), "
					+ "2 unchanged, 0 truncated or replaced, 0 deleted, 0 failed.");
		assertThat(this.mvc.post().uri("/admin/caches/clear").with(user("admin").roles("ADMIN")).with(csrf())).flash()
			.containsEntry("outcome",
					"Caches cleared: 7 cached answers, 2 message indexes and 3 session analyses dropped; "
							+ "they are rebuilt on next use.");
	}

	/** Saved cards are listed as prices to read (they were raw JSON). */
	@Test
	void savedPriceCardsAreListedAsPricesToRead() throws Exception {
		given(this.prices.adminCards()).willReturn(List.of(new ObjectMapper()
			.readTree("{\"id\":\"claude-opus-6\",\"fast_multiplier\":6,\"prices\":[{\"effective_from\":\"2000-01-01\","
					+ "\"input\":5,\"output\":25},{\"effective_from\":\"2026-12-01\",\"input\":7,\"output\":35.0,"
					+ "\"cache_read\":0.70,\"long_context\":{\"above_input_tokens\":200000,\"input\":14,"
					+ "\"output\":52.5}}]}")));
		given(this.usage.indexCounts()).willReturn(zeroCounts());
		given(this.jobs.stats()).willReturn(JobStats.empty());
		assertThat(this.mvc.get().uri("/admin").with(user("admin").roles("ADMIN"))).hasStatusOk()
			.bodyText()
			.contains("always: input $5 · output $25")
			.contains("from 2026-12-01: input $7 · output $35 · cache read $0.7")
			.contains("above 200000 input tokens: input $14 · output $52.5")
			.contains("fast mode × 6")
			.doesNotContain("effective_from");
	}

	@Test
	void aPriceCardFromTheFormIsSavedAndABadOneIsRefusedClearly() throws Exception {
		assertThat(this.mvc.post()
			.uri("/admin/prices")
			.param("id", "claude-opus-6")
			.param("effectiveFrom", "2026-12-01")
			.param("input", "7")
			.param("output", "35")
			.param("cacheRead", "0.7")
			.with(user("admin").roles("ADMIN"))
			.with(csrf())).hasStatus(HttpStatus.FOUND).flash().containsKey("outcome");
		ArgumentCaptor<JsonNode> card = ArgumentCaptor.forClass(JsonNode.class);
		Mockito.verify(this.prices).putCard(card.capture());
		assertThat(card.getValue().toString()).isEqualTo(
				"{\"id\":\"claude-opus-6\",\"prices\":[{\"effective_from\":\"2026-12-01\",\"input\":7,\"output\":35,\"cache_read\":0.7}]}");
		// a negative price never reaches the table
		assertThat(this.mvc.post()
			.uri("/admin/prices")
			.param("id", "claude-opus-6")
			.param("input", "-1")
			.param("output", "35")
			.with(user("admin").roles("ADMIN"))
			.with(csrf())).flash()
			.containsEntry("outcome",
					"Price card not saved: input must be 0 to 10,000 USD per million tokens, at most 6 decimals");
		// a decimal comma is said in the console, like the rest (was a bare 400 page)
		assertThat(this.mvc.post()
			.uri("/admin/prices")
			.param("id", "claude-opus-6")
			.param("input", "1,5")
			.param("output", "35")
			.with(user("admin").roles("ADMIN"))
			.with(csrf())).hasStatus(HttpStatus.FOUND)
			.hasRedirectedUrl("/admin#price-form")
			.flash()
			.containsEntry("outcome",
					"Price card not saved: input must be a number with a dot for decimals (e.g. 1.5), not '1,5'")
			.containsEntry("priceForm", Map.of("id", "claude-opus-6", "input", "1,5", "output", "35"));
		// and the console's form shows what was typed, to be corrected (it came back
		// empty)
		given(this.usage.indexCounts()).willReturn(zeroCounts());
		given(this.jobs.stats()).willReturn(JobStats.empty());
		assertThat(this.mvc.get()
			.uri("/admin")
			.flashAttr("priceForm", Map.of("id", "claude-opus-6", "input", "1,5", "output", "35"))
			.flashAttr("outcome",
					"Price card not saved: input must be a number with a dot for decimals (e.g. 1.5), not '1,5'")
			.with(user("admin").roles("ADMIN"))).hasStatusOk()
			.bodyText()
			.doesNotContain("id=\"outcome\"")
			.contains("class=\"banner warn\" id=\"price-error\" role=\"alert\">Price card not saved: input must be")
			.contains("name=\"id\" required maxlength=\"200\" placeholder=\"claude-opus-6\" value=\"claude-opus-6\"")
			.contains("name=\"input\" required inputmode=\"decimal\" size=\"6\" value=\"1,5\"");
		Mockito.verify(this.prices, Mockito.times(1)).putCard(ArgumentMatchers.any());
		assertThat(this.mvc.post().uri("/admin/prices").param("id", "x").with(user("admin").roles("ADMIN")))
			.hasStatus(HttpStatus.FORBIDDEN);
	}

	@Test
	void aBadFilesPageIsA400Page() {
		assertThat(this.mvc.get().uri("/admin?page=0").with(user("admin").roles("ADMIN")))
			.hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(this.mvc.get().uri("/admin?page=x").with(user("admin").roles("ADMIN")))
			.hasStatus(HttpStatus.BAD_REQUEST)
			.bodyText()
			.contains("wrong type");
	}

}
