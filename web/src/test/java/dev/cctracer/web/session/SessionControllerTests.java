package dev.cctracer.web.session;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import dev.cctracer.shared.discovery.Ids;
import dev.cctracer.web.session.AnalysisDtos.CodeChangesDto;
import dev.cctracer.web.session.AnalysisDtos.CommandsDto;
import dev.cctracer.web.session.AnalysisDtos.CommandsSummaryDto;
import dev.cctracer.web.session.AnalysisDtos.ErrorsDto;
import dev.cctracer.web.session.AnalysisDtos.SubagentsDto;
import dev.cctracer.web.session.AnalysisDtos.ToolStatDto;
import dev.cctracer.web.session.AnalysisDtos.ToolsDto;
import dev.cctracer.web.session.MessageDtos.FiltersDto;
import dev.cctracer.web.session.MessageDtos.MessageDetailDto;
import dev.cctracer.web.session.MessageDtos.MessageDto;
import dev.cctracer.web.session.MessageDtos.MessageRefDto;
import dev.cctracer.web.session.MessageDtos.MessagesDto;
import dev.cctracer.web.session.MessageDtos.ToolCallDto;
import dev.cctracer.web.session.MessageDtos.ToolDto;
import dev.cctracer.web.session.MessageDtos.ToolResultDto;
import dev.cctracer.web.session.MessageDtos.TypeCountDto;
import dev.cctracer.web.system.PageFixtures;
import dev.cctracer.web.system.PageSliceConfiguration;
import dev.cctracer.web.usage.Dtos;
import dev.cctracer.web.usage.IndexedFiles.FileRef;
import dev.cctracer.web.usage.NotFoundException;
import dev.cctracer.web.usage.UsageService;
import dev.cctracer.worker.ClaudeRoots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;

/**
 * Tests for {@link SessionController}.
 */
@WebMvcTest
@ContextConfiguration(classes = { PageSliceConfiguration.class, SessionController.class })
class SessionControllerTests {

	private static final String P = PageFixtures.PROJECT;

	private static final String S = PageFixtures.SESSION;

	private static final FileRef FILE = new FileRef(1, "/root", P + "/" + S + ".jsonl", "MAIN", null, 0, 100);

	@Autowired
	MockMvcTester mvc;

	@MockitoBean
	UsageService usage;

	@MockitoBean
	MessageService messages;

	@MockitoBean
	SessionAnalysisService analysis;

	@MockitoBean
	ClaudeRoots roots;

	private static MessageDto message(int index, String type, String preview) {
		return new MessageDto("uuid-" + index, null, type, String.format("2026-01-09T09:%02d:00Z", index),
				"assistant".equals(type) ? PageFixtures.MODEL : null, preview, null,
				"assistant".equals(type) ? List.of(new ToolDto("toolu_1", "Edit")) : List.of(), null, false, false,
				null, index);
	}

	private void session() {
		given(this.usage.session(eq(P), eq(S), any())).willReturn(PageFixtures.session(S));
		given(this.usage.apiErrors(P, S)).willReturn(new Dtos.ApiErrorsDto(List
			.of(new Dtos.ApiErrorDto("2026-01-09T09:30:00Z", "rate_limit", "You've hit your session limit", null)), 1));
		given(this.messages.file(P, S, null)).willReturn(FILE);
		given(this.messages.filters(FILE)).willReturn(
				new FiltersDto(List.of(new TypeCountDto("user", 1), new TypeCountDto("assistant", 1)), List.of(), 0));
		given(this.analysis.tools(P, S, null)).willReturn(new ToolsDto(
				List.of(new ToolStatDto("Edit", 3, 1, 1 / 3.0, 1.5, 2.0, 100, 0.01)), 3, "output tokens of the call"));
		given(this.analysis.subagents(eq(P), eq(S), any())).willReturn(new SubagentsDto(List.of(), 0));
		given(this.analysis.codeChanges(P, S)).willReturn(new CodeChangesDto(0, 0, 0, 0, 0, List.of()));
		given(this.analysis.errors(P, S)).willReturn(new ErrorsDto(List.of(), 0));
		given(this.analysis.commands(P, S))
			.willReturn(new CommandsDto(List.of(), new CommandsSummaryDto(0, 0, 0, 0, 0)));
	}

	@Test
	void showSessionEscapesTranscriptTextAndOffersLoadMore() {
		session();
		given(this.messages.list(eq(FILE), any())).willReturn(new MessagesDto(
				List.of(message(1, "user", "<script>alert(1)</script>"), message(2, "assistant", "done")), true,
				"CURSOR2", null, null, null, null));
		assertThat(this.mvc.get().uri("/projects/{p}/sessions/{s}", P, S)).hasStatusOk()
			.hasViewName("sessions/sessionDetails")
			.bodyText()
			.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
			.doesNotContain("<script>alert(1)")
			.contains("$1.10")
			.contains("cursor=CURSOR2")
			.contains("/projects/" + P + "/sessions/" + S + "/timeline?")
			.contains(">Edit<")
			// the session's title, and its API errors apart from the messages
			.contains("Fix the login form")
			.contains("API errors (1)")
			.contains("rate_limit")
			.contains("You&#39;ve hit your session limit");
	}

	@Test
	void timelineFragmentHasOnlyTheNextRows() {
		given(this.messages.file(P, S, null)).willReturn(FILE);
		given(this.messages.list(eq(FILE), any())).willReturn(
				new MessagesDto(List.of(message(51, "user", "next page")), false, null, null, null, null, null));
		assertThat(this.mvc.get().uri("/projects/{p}/sessions/{s}/timeline?cursor=C&type=", P, S)).hasStatusOk()
			.bodyText()
			.contains("next page")
			.doesNotContain("<html")
			.doesNotContain("load-more");
	}

	@Test
	void showSessionUnknownIsA404PageAndMalformedA400Page() {
		given(this.usage.session(eq(P), eq("11111111-1111-4111-8111-111111111111"), any()))
			.willThrow(NotFoundException.session(P, "11111111-1111-4111-8111-111111111111"));
		given(this.usage.session(eq(P), eq("not-a-uuid"), any()))
			.willThrow(new Ids.InvalidIdException("session", "not-a-uuid"));
		assertThat(this.mvc.get().uri("/projects/{p}/sessions/{s}", P, "11111111-1111-4111-8111-111111111111"))
			.hasStatus(HttpStatus.NOT_FOUND)
			.bodyText()
			.contains("404");
		assertThat(this.mvc.get().uri("/projects/{p}/sessions/{s}", P, "not-a-uuid")).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyText()
			.contains("400");
	}

	@Test
	void showSessionWithABadFilterIsA400Page() {
		session();
		assertThat(this.mvc.get().uri("/projects/{p}/sessions/{s}?type=x", P, S)).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyText()
			.contains("type must be one of user, assistant");
	}

	@Test
	void showMessageRendersTextThinkingToolInputAndEditsAsDiffs() throws Exception {
		var input = new ObjectMapper()
			.readTree("{\"file_path\":\"/src/A.java\",\"old_string\":\"int a = 1;\",\"new_string\":\"int a = 2;\"}");
		given(this.messages.file(P, S, null)).willReturn(FILE);
		given(this.messages.detail(FILE, "uuid-2")).willReturn(new MessageDetailDto("uuid-2", "uuid-1", "msg_1",
				"assistant", "2026-01-09T09:00:02Z", PageFixtures.MODEL, "I will <b>edit</b>", "thinking about it",
				List.of(new ToolCallDto("toolu_1", "Edit", input, null)), List.of(), PageFixtures.tokens(), "/src",
				false, null, 2, 2, new MessageRefDto("uuid-1", 1), null));
		assertThat(this.mvc.get().uri("/projects/{p}/sessions/{s}/messages/uuid-2", P, S)).hasStatusOk()
			.bodyText()
			.contains("I will &lt;b&gt;edit&lt;/b&gt;")
			.contains("thinking about it")
			.contains("<span class=\"del\">-int a = 1;")
			.contains("<span class=\"add\">+int a = 2;")
			.contains("&quot;file_path&quot; : &quot;/src/A.java&quot;");
	}

	@Test
	void diffsCoverEditMultiEditAndWriteOnly() throws Exception {
		ObjectMapper json = new ObjectMapper();
		assertThat(SessionController
			.diffs(json.readTree("{\"file_path\":\"f\",\"edits\":[{\"old_string\":\"a\",\"new_string\":\"b\"},"
					+ "{\"old_string\":\"c\\nd\",\"new_string\":\"c\\ne\"}]}")))
			.hasSize(2)
			.allSatisfy((d) -> assertThat(d.path()).isEqualTo("f"))
			.satisfies((d) -> assertThat(d.get(1).lines()).extracting(SessionController.DiffLine::text)
				.containsExactly("@@ -1,2 +1,2 @@", " c", "-d", "+e"));
		assertThat(SessionController.diffs(json.readTree("{\"file_path\":\"n\",\"content\":\"x\\ny\"}")))
			.singleElement()
			.satisfies((d) -> assertThat(d.lines()).extracting(SessionController.DiffLine::kind)
				.containsExactly("hunk", "add", "add"));
		assertThat(SessionController.diffs(json.readTree("{\"command\":\"ls\"}"))).isEmpty();
		assertThat(SessionController.diffs(null)).isEmpty();
	}

	@Test
	void showSessionOfAnotherMachineShowsItsTotalsWithoutATimeline() {
		session();
		given(this.messages.filters(FILE)).willThrow(new NotFoundException("transcript file is gone: x"));
		assertThat(this.mvc.get().uri("/projects/{p}/sessions/{s}", P, S)).hasStatusOk()
			.bodyText()
			.contains("$1.10")
			.contains("This transcript is not on this machine's disk");
	}

	@Test
	void showSessionWithoutAMainTranscriptShowsTheSubagentsStill() {
		given(this.usage.session(eq(P), eq(S), any())).willReturn(PageFixtures.session(S));
		given(this.usage.apiErrors(P, S)).willReturn(new Dtos.ApiErrorsDto(List
			.of(new Dtos.ApiErrorDto("2026-01-09T09:30:00Z", "rate_limit", "You've hit your session limit", null)), 1));
		given(this.messages.file(P, S, null)).willThrow(NotFoundException.session(P, S));
		given(this.analysis.tools(P, S, null)).willThrow(NotFoundException.session(P, S));
		given(this.analysis.subagents(eq(P), eq(S), any())).willReturn(new SubagentsDto(List.of(), 0));
		given(this.analysis.codeChanges(P, S)).willThrow(NotFoundException.session(P, S));
		given(this.analysis.errors(P, S)).willThrow(NotFoundException.session(P, S));
		given(this.analysis.commands(P, S)).willThrow(NotFoundException.session(P, S));
		assertThat(this.mvc.get().uri("/projects/{p}/sessions/{s}", P, S)).hasStatusOk()
			.bodyText()
			.contains("This transcript is not on this machine's disk");
		given(this.messages.file(P, S, "a1")).willThrow(new NotFoundException("subagent not found"));
		assertThat(this.mvc.get().uri("/projects/{p}/sessions/{s}?agent=a1", P, S)).hasStatus(HttpStatus.NOT_FOUND);
	}

	@Test
	void timelineLinksAnEntryWithoutAUuidByItsPosition() {
		session();
		MessageDto turn = new MessageDto(null, null, "system", "2026-01-09T09:04:00Z", null, "turn_duration", null,
				List.of(), null, false, false, null, 4);
		given(this.messages.list(eq(FILE), any())).willReturn(
				new MessagesDto(List.of(message(3, "assistant", "done"), turn), false, null, null, null, null, null));
		assertThat(this.mvc.get().uri("/projects/{p}/sessions/{s}", P, S)).hasStatusOk()
			.bodyText()
			.contains("href=\"/projects/" + P + "/sessions/" + S + "/messages/uuid-3?agent=\"")
			.contains("href=\"/projects/" + P + "/sessions/" + S + "/messages/by-index/4?agent=\"")
			.doesNotContain("/messages/?")
			.contains("title=\"API responses counted in the totals");
	}

	@Test
	void showMessageAtAPositionRendersAnEntryWithoutAUuid() {
		given(this.messages.file(P, S, null)).willReturn(FILE);
		given(this.messages.byIndex(FILE, 4)).willReturn(
				new MessageDetailDto(null, "uuid-3", null, "system", "2026-01-09T09:04:00Z", null, "turn_duration", "",
						List.of(), List.of(), null, null, false, null, 4, 4, new MessageRefDto("uuid-3", 3), null));
		assertThat(this.mvc.get().uri("/projects/{p}/sessions/{s}/messages/by-index/4", P, S)).hasStatusOk()
			.bodyText()
			.contains("turn_duration")
			.contains(">timeline entry 4 of 4<")
			.contains("<a id=\"previous-entry\" class=\"entry-link\" href=\"/projects/" + P + "/sessions/" + S
					+ "/messages/uuid-3?agent=\">← previous</a>")
			.contains("<span class=\"muted\">next →</span>")
			.contains("href=\"/api/sessions/" + P + "/" + S + "/messages/by-index/4\"");
		given(this.messages.byIndex(FILE, 9)).willThrow(new NotFoundException("no message 9 (the transcript has 4)"));
		assertThat(this.mvc.get().uri("/projects/{p}/sessions/{s}/messages/by-index/9", P, S))
			.hasStatus(HttpStatus.NOT_FOUND);
	}

	@Test
	void showMessageLinksItsNeighboursAndEachCallToItsResultAndBack() {
		FileRef agentFile = new FileRef(2, "/root", P + "/" + S + "/subagents/agent-a1.jsonl", "SUBAGENT", "a1", 0,
				100);
		given(this.messages.file(P, S, "a1")).willReturn(agentFile);
		given(this.messages.detail(agentFile, "uuid-5")).willReturn(new MessageDetailDto("uuid-5", "uuid-4", "msg_5",
				"assistant", "2026-01-09T09:05:00Z", PageFixtures.MODEL, "reading", "",
				List.of(new ToolCallDto("toolu_r", "Read", null, new MessageRefDto("uuid-6", 6)),
						new ToolCallDto("toolu_x", "Bash", null, null)),
				List.of(new ToolResultDto("toolu_p", false, "earlier output", null, new MessageRefDto(null, 2))),
				PageFixtures.tokens(), null, true, "a1", 5, 9, new MessageRefDto("uuid-4", 4),
				new MessageRefDto("uuid-6", 6)));
		String base = "/projects/" + P + "/sessions/" + S + "/messages/";
		assertThat(this.mvc.get().uri("/projects/{p}/sessions/{s}/messages/uuid-5?agent=a1", P, S)).hasStatusOk()
			.bodyText()
			.contains(">timeline entry 5 of 9<")
			.contains("id=\"previous-entry\" class=\"entry-link\" href=\"" + base + "uuid-4?agent=a1\"")
			.contains("id=\"next-entry\" class=\"entry-link\" href=\"" + base + "uuid-6?agent=a1\"")
			.contains("id=\"call-toolu_r\"")
			.contains("href=\"" + base + "uuid-6?agent=a1#result-toolu_r\">its result (entry 6) →</a>")
			.contains("no result logged")
			.contains("id=\"result-toolu_p\"")
			.contains("href=\"" + base + "by-index/2?agent=a1#call-toolu_p\">← its call (entry 2)</a>")
			// a subagent's message as JSON is the subagent API's
			.contains("href=\"/api/subagents/" + P + "/" + S + "/a1/messages/uuid-5\"");
	}

}
