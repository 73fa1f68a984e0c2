package dev.cctracer.web.session;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import dev.cctracer.shared.discovery.Ids;
import dev.cctracer.shared.job.ToolStat;
import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.session.AnalysisDtos.CodeChangesDto;
import dev.cctracer.web.session.AnalysisDtos.CommandDto;
import dev.cctracer.web.session.AnalysisDtos.CommandsDto;
import dev.cctracer.web.session.AnalysisDtos.CommandsSummaryDto;
import dev.cctracer.web.session.AnalysisDtos.CompactionDto;
import dev.cctracer.web.session.AnalysisDtos.CompactionsDto;
import dev.cctracer.web.session.AnalysisDtos.ErrorDto;
import dev.cctracer.web.session.AnalysisDtos.ErrorsDto;
import dev.cctracer.web.session.AnalysisDtos.SubagentsDto;
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
import dev.cctracer.web.system.Formats;
import dev.cctracer.web.system.PageFixtures;
import dev.cctracer.web.system.PageSliceConfiguration;
import dev.cctracer.web.usage.Dtos;
import dev.cctracer.web.usage.IndexedFiles;
import dev.cctracer.web.usage.IndexedFiles.FileRef;
import dev.cctracer.web.usage.NotFoundException;
import dev.cctracer.web.usage.ReportService;
import dev.cctracer.web.usage.UsageService;
import dev.cctracer.worker.ClaudeRoots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;

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

	@MockitoBean
	ReportService reports;

	@Autowired
	CostMode mode;

	@MockitoBean
	SessionTitles titles;

	@BeforeEach
	void titlesAsGiven() {
		given(this.titles.withFirstPrompts(any())).willAnswer((call) -> call.getArgument(0));
		// the transcripts are on disk unless a test says otherwise
		given(this.messages.onDisk(any())).willReturn(true);
		given(this.analysis.files(any(), any()))
			.willReturn(new IndexedFiles.SessionFiles(List.of(), List.of(), Set.of()));
		given(this.analysis.skippedLines(any(), any())).willReturn(new IndexedFiles.SkippedLines(0, 0));
		given(this.analysis.compactions(any(), any(), any())).willReturn(new CompactionsDto(List.of(), 0));
	}

	private static MessageDto message(int index, String type, String preview) {
		return new MessageDto("uuid-" + index, null, type, String.format("2026-01-09T09:%02d:00Z", index),
				"assistant".equals(type) ? PageFixtures.MODEL : null, preview, null,
				"assistant".equals(type) ? List.of(new ToolDto("toolu_1", "Edit")) : List.of(), null, false, false,
				null, index, "assistant".equals(type) ? 0.0042 : null);
	}

	private void session() {
		given(this.usage.session(eq(P), eq(S), any())).willReturn(PageFixtures.session(S));
		given(this.usage.apiErrors(P, S)).willReturn(new Dtos.ApiErrorsDto(List
			.of(new Dtos.ApiErrorDto("2026-01-09T09:30:00Z", "rate_limit", "You've hit your session limit", null)), 1));
		given(this.messages.file(P, S, null)).willReturn(FILE);
		given(this.messages.filters(FILE)).willReturn(new FiltersDto(
				List.of(new TypeCountDto("user", 1), new TypeCountDto("assistant", 1), new TypeCountDto("hook", 1)),
				List.of(), 0, 0));
		given(this.analysis.tools(P, S, null))
			.willReturn(new ToolsDto(List.of(new ToolStat("Edit", 3, 1, 1 / 3.0, 1.5, 2.0, 100, 0.01, 0.004, 0, 0)), 3,
					"output tokens of the call"));
		given(this.analysis.subagents(eq(P), eq(S), any())).willReturn(new SubagentsDto(List.of(), 0));
		given(this.analysis.codeChanges(P, S)).willReturn(new CodeChangesDto(0, 0, 0, 0, 0, List.of()));
		given(this.analysis.errors(P, S, null)).willReturn(new ErrorsDto(List.of(), 0));
		given(this.analysis.commands(P, S, null))
			.willReturn(new CommandsDto(List.of(), new CommandsSummaryDto(0, 0, 0, 0, 0)));
		given(this.reports.sessionModels(eq(P), eq(S), any(), any())).willReturn(PageFixtures.models());
	}

	@Test
	void showSessionEscapesTranscriptTextAndOffersLoadMore() {
		session();
		given(this.messages.list(eq(FILE), any())).willReturn(new MessagesDto(
				List.of(message(1, "user", "<script>alert(1)</script>"), message(2, "assistant", "done"),
						message(3, "hook", "/clear")),
				true, "CURSOR2", null, null, null, null));
		assertThat(this.mvc.get().uri("/projects/{p}/sessions/{s}", P, S)).hasStatusOk()
			.hasViewName("sessions/sessionDetails")
			.bodyText()
			// the API's "hook" (slash commands, their output, hooks, meta lines) as the
			// page names it: a trial read a /clear under "hook" as a hook
			.contains("<option value=\"hook\">command or hook (1)</option>")
			.contains("<span class=\"badge\">command or hook</span>")
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

	/**
	 * A session of thousands of prompts and failed tool results (a 70,000-message one
	 * rendered 3.5 MB of HTML) shows each list a hundred rows at a time; the links to the
	 * other rows keep the timeline's filters and the other list's window, and only them.
	 */
	/**
	 * A session's compactions: counted in its header and listed with their trigger and
	 * the context's tokens before and after, each linked to its boundary entry.
	 */
	@Test
	void showSessionListsItsCompactions() {
		session();
		given(this.messages.list(eq(FILE), any()))
			.willReturn(new MessagesDto(List.of(), false, null, null, null, null, null));
		given(this.analysis.compactions(P, S, null)).willReturn(new CompactionsDto(
				List.of(new CompactionDto("2026-01-09T09:40:00Z", "auto", 167_145L, 11_198L, "uuid-c", null)), 1));
		assertThat(this.mvc.get().uri("/projects/{p}/sessions/{s}", P, S)).hasStatusOk()
			.bodyText()
			.contains("<a class=\"sub\" id=\"session-compactions\" href=\"#compactions-panel\">1 compaction</a>")
			.containsSubsequence("Compactions (1)", "/projects/" + P + "/sessions/" + S + "/messages/uuid-c",
					"2026-01-09 09:40:00", "auto", "167,145", "11,198");
	}

	@Test
	void showSessionPagesLongErrorAndPromptLists() throws Exception {
		session();
		given(this.messages.list(eq(FILE), any()))
			.willReturn(new MessagesDto(List.of(message(1, "user", "hello")), false, null, null, null, null, null));
		given(this.analysis.errors(P, S, null)).willReturn(new ErrorsDto(IntStream.range(0, 250)
			.mapToObj((i) -> new ErrorDto("2026-01-09T09:00:00Z", "Bash", "failure number " + i + ";", "u" + i, null,
					"failed"))
			.toList(), 250));
		given(this.analysis.commands(P, S, null)).willReturn(new CommandsDto(IntStream.range(0, 130)
			.mapToObj((i) -> new CommandDto("prompt number " + i + ";", "2026-01-09T09:00:00Z", "c" + i, 1, 0,
					List.of(), 10, false, PageFixtures.MODEL, 0.01))
			.toList(), new CommandsSummaryDto(130, 1.0, 0.0, 0.0, 0.0)));
		String first = this.mvc.get()
			.uri("/projects/{p}/sessions/{s}?type=user", P, S)
			.exchange()
			.getResponse()
			.getContentAsString();
		assertThat(first).contains("Errors (250)")
			.contains("failure number 0;")
			.contains("failure number 99;")
			.doesNotContain("failure number 100;")
			.contains("errors 1–100 of 250")
			.contains("prompt number 99;")
			.doesNotContain("prompt number 100;")
			.contains("prompts 1–100 of 130")
			.doesNotContain("id=\"errors-previous\"");
		assertThat(link(first, "errors-next"))
			.isEqualTo("/projects/" + P + "/sessions/" + S + "?type=user&errorsFrom=100#errors-panel");
		assertThat(link(first, "commands-next"))
			.isEqualTo("/projects/" + P + "/sessions/" + S + "?type=user&commandsFrom=100#commands-panel");
		String last = this.mvc.get()
			.uri("/projects/{p}/sessions/{s}?errorsFrom=200&commandsFrom=100", P, S)
			.exchange()
			.getResponse()
			.getContentAsString();
		assertThat(last).contains("failure number 200;")
			.contains("failure number 249;")
			.doesNotContain("failure number 199;")
			.contains("errors 201–250 of 250")
			.contains("prompts 101–130 of 130")
			.contains("prompt number 129;")
			.doesNotContain("prompt number 99;")
			.doesNotContain("id=\"errors-next\"");
		assertThat(link(last, "errors-previous")).endsWith("?commandsFrom=100&errorsFrom=100#errors-panel");
		assertThat(link(last, "commands-previous")).endsWith("?errorsFrom=200&commandsFrom=0#commands-panel");
		// the tools table's orders keep them too (a trial lost its place by sorting)
		assertThat(link(last, "tools-by-cost")).endsWith("?errorsFrom=200&commandsFrom=100&toolSort=cost#tools-panel");
	}

	/** The {@code href} of the element with id {@code id}, unescaped. */
	private static String link(String html, String id) {
		Matcher m = Pattern.compile("id=\"" + id + "\"\\s+href=\"([^\"]*)\"").matcher(html);
		assertThat(m.find()).as(id).isTrue();
		return m.group(1).replace("&amp;", "&");
	}

	@Test
	void timelineFragmentHasOnlyTheNextRows() {
		given(this.messages.timeline(eq(P), eq(S), isNull(), any())).willReturn(
				new MessagesDto(List.of(message(51, "user", "next page")), false, null, null, null, null, null));
		assertThat(this.mvc.get().uri("/projects/{p}/sessions/{s}/timeline?cursor=C&type=", P, S)).hasStatusOk()
			.bodyText()
			.contains("next page")
			.doesNotContain("<html")
			.doesNotContain("load-more");
	}

	/**
	 * The fragment ends where the transcript ends with the tail row a live timeline
	 * follows (its last row read again); a cursor from before a rewrite is a 409 page,
	 * not "something went wrong".
	 */
	@Test
	void timelineFragmentAtTheEndNamesItsTailAndARewriteIsA409() {
		given(this.messages.timeline(eq(P), eq(S), isNull(), any()))
			.willReturn(new MessagesDto(List.of(message(51, "user", "next page"), message(52, "assistant", "last")),
					false, null, null, null, null, null, null, "TAILCURSOR", 52));
		assertThat(this.mvc.get().uri("/projects/{p}/sessions/{s}/timeline?cursor=C&type=", P, S)).hasStatusOk()
			.bodyText()
			.contains("class=\"tail\"")
			.contains("data-from=\"52\"")
			.contains("cursor=TAILCURSOR");
		given(this.messages.timeline(eq(P), eq(S), isNull(), any()))
			.willThrow(new MessageCursor.TranscriptRewrittenException());
		assertThat(this.mvc.get().uri("/projects/{p}/sessions/{s}/timeline?cursor=OLD", P, S))
			.hasStatus(HttpStatus.CONFLICT)
			.bodyText()
			.contains("Transcript rewritten")
			.contains("start again without a cursor");
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
	void showSessionWithAJunkBooleanSaysWhichParameterNotTheFrameworksText() {
		session();
		assertThat(this.mvc.get().uri("/projects/{p}/sessions/{s}?errorsOnly=maybe", P, S))
			.hasStatus(HttpStatus.BAD_REQUEST)
			.bodyText()
			.contains("parameter &#39;errorsOnly&#39; has the wrong type")
			.doesNotContain("java.lang")
			.doesNotContain("dev.cctracer")
			.doesNotContain("argument [");
	}

	@Test
	void showMessageRendersTextThinkingToolInputAndEditsAsDiffs() throws Exception {
		var input = new ObjectMapper()
			.readTree("{\"file_path\":\"/src/A.java\",\"old_string\":\"int a = 1;\",\"new_string\":\"int a = 2;\"}");
		given(this.messages.file(P, S, null)).willReturn(FILE);
		given(this.usage.session(eq(P), eq(S), any())).willReturn(PageFixtures.session(S));
		given(this.messages.detail(FILE, "uuid-2")).willReturn(new MessageDetailDto("uuid-2", "uuid-1", "msg_1",
				"assistant", "2026-01-09T09:00:02Z", PageFixtures.MODEL, "I will <b>edit</b>", "thinking about it",
				List.of(new ToolCallDto("toolu_1", "Edit", input, null)), List.of(), PageFixtures.tokens(), "/src",
				false, null, 2, 2, new MessageRefDto("uuid-1", 1), null, 0.5, true, true, false));
		assertThat(this.mvc.get().uri("/projects/{p}/sessions/{s}/messages/uuid-2", P, S)).hasStatusOk()
			.bodyText()
			.contains("I will &lt;b&gt;edit&lt;/b&gt;")
			.contains("thinking about it")
			.contains("<span class=\"del\">-int a = 1;")
			.contains("<span class=\"add\">+int a = 2;")
			.contains("&quot;file_path&quot; : &quot;/src/A.java&quot;")
			.contains("<span id=\"message-cost\">· $0.50</span>")
			.doesNotContain("id=\"message-copy\"")
			// the crumbs name the project by its folder and the session by its title
			.contains(">/home/me/repo</a>")
			.contains(">Fix the login form</a>");
	}

	/**
	 * An entry of megabytes is shown cut on its page (its text, thinking, a tool's input
	 * and result) and a large edit as one line that says so: a security trial's entries
	 * of 15 MB made pages of 23 MB (six at once ran the heap out), and an edit of 30,000
	 * changed lines was diffed for 50 s at every view.
	 */
	@Test
	void showMessageCutsHugeTextsAndDoesNotDiffHugeEdits() throws Exception {
		ObjectMapper json = new ObjectMapper();
		String huge = "x".repeat(3 * Formats.PAGE_TEXT_MAX);
		StringBuilder before = new StringBuilder();
		StringBuilder after = new StringBuilder();
		for (int i = 0; i < 30_000; i++) {
			before.append("old line ").append(i).append('\n');
			after.append("new line ").append(i).append('\n');
		}
		var write = json.createObjectNode().put("file_path", "/src/big.txt").put("content", huge);
		var edit = json.createObjectNode()
			.put("file_path", "/src/A.java")
			.put("old_string", before.toString())
			.put("new_string", after.toString());
		given(this.messages.file(P, S, null)).willReturn(FILE);
		given(this.messages.detail(FILE, "uuid-2")).willReturn(new MessageDetailDto("uuid-2", "uuid-1", "msg_1",
				"assistant", "2026-01-09T09:00:02Z", PageFixtures.MODEL, huge, huge,
				List.of(new ToolCallDto("toolu_1", "Write", write, null),
						new ToolCallDto("toolu_2", "Edit", edit, null)),
				List.of(new ToolResultDto("toolu_0", false, huge, null, null)), PageFixtures.tokens(), "/src", false,
				null, 2, 2, new MessageRefDto("uuid-1", 1), null, 0.5, true, true, false));
		String body = this.mvc.get()
			.uri("/projects/{p}/sessions/{s}/messages/uuid-2", P, S)
			.exchange()
			.getResponse()
			.getContentAsString();
		assertThat(body.length()).isLessThan(1_000_000);
		assertThat(body).contains("200,000 more characters not shown here; the entry&#39;s JSON has it whole")
			.contains("too large to show as a diff here: 30001 lines → 30001 lines")
			.contains("/src/big.txt");
		// the input's other fields and its start are shown
		assertThat(body).contains("&quot;file_path&quot; : &quot;/src/A.java&quot;")
			.contains("old line 0\\nold line 1");
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
	void showSessionNotOnDiskNorInTheFactsShowsItsTotalsWithoutATimeline() {
		session();
		given(this.messages.filters(FILE)).willThrow(new NotFoundException("transcript file is gone: x"));
		given(this.messages.timeline(eq(P), eq(S), isNull(), any()))
			.willThrow(new NotFoundException("transcript file is gone: x"));
		assertThat(this.mvc.get().uri("/projects/{p}/sessions/{s}", P, S)).hasStatusOk()
			.bodyText()
			.contains("$1.10")
			.contains("This transcript is not on this machine's disk")
			.doesNotContain("id=\"facts-timeline\"");
	}

	private static MessagesDto factsPage(boolean complete, boolean more) {
		MessageDto prompt = new MessageDto("uuid-1", null, "user", "2026-01-09T09:00:00Z", null,
				"<b>please</b> use [REDACTED]", null, List.of(), null, false, false, null, 1, null, false, null, null);
		MessageDto copy = new MessageDto("uuid-2", null, "assistant", "2026-01-09T09:00:01Z", PageFixtures.MODEL,
				"thinking", new Dtos.TokensDto(3, 5, 0, 7, 0, 0), List.of(new ToolDto("toolu_1", "Edit")), null, false,
				false, null, 2, null, false, null, null);
		MessageDto counted = new MessageDto("uuid-3", null, "assistant", "2026-01-09T09:00:02Z", PageFixtures.MODEL,
				"thinking", new Dtos.TokensDto(3, 9, 0, 7, 0, 0), List.of(new ToolDto("toolu_1", "Edit")), null, false,
				false, null, 3, null, true, true, false);
		MessageDto failed = new MessageDto("uuid-4", null, "user", "2026-01-09T09:00:03Z", null, "no such file", null,
				List.of(), "toolu_1", true, false, null, 4, null, false, null, null);
		return new MessagesDto(List.of(prompt, copy, counted, failed), more, more ? "E1CURSOR" : null, null, null, null,
				null, new MessageDtos.FactsDto("box-b", false, 9, complete, complete ? 900 : 600, 900));
	}

	@Test
	void showSessionOfAnotherMachineRendersItsTimelineFromTheFacts() {
		session();
		given(this.messages.filters(FILE)).willThrow(new NotFoundException("transcript file is gone: x"));
		given(this.messages.timeline(eq(P), eq(S), isNull(), any())).willReturn(factsPage(false, true));
		assertThat(this.mvc.get().uri("/projects/{p}/sessions/{s}?type=user", P, S)).hasStatusOk()
			.bodyText()
			.contains("$1.10")
			.contains("Logged on <strong>box-b</strong>:")
			.contains("this timeline comes from the facts its worker wrote (text redacted, previews only)")
			.contains("(<span>9</span> lines)")
			.contains("they reach <span>600</span> of the")
			.contains("Filters need the transcript: every line is shown.")
			.containsSubsequence("id=\"facts-timeline\"", "<th scope=\"col\">Preview</th>",
					"&lt;b&gt;please&lt;/b&gt; use [REDACTED]", "no (a copy)", "<td>yes</td>", "failed result")
			.doesNotContain("<b>please</b>")
			.doesNotContain("id=\"timeline-filters\"")
			.doesNotContain("This transcript is not on this machine's disk")
			.contains("cursor=E1CURSOR");
		// the filters are not asked of the facts
		then(this.messages).should().timeline(eq(P), eq(S), isNull(), argThat((q) -> q.type() == null));
	}

	@Test
	void timelineFragmentOfTheFactsHasTheirRows() {
		given(this.messages.timeline(eq(P), eq(S), isNull(), any())).willReturn(factsPage(true, false));
		assertThat(this.mvc.get().uri("/projects/{p}/sessions/{s}/timeline?cursor=E1CURSOR", P, S)).hasStatusOk()
			.bodyText()
			.contains("no (a copy)")
			.contains("failed result")
			.doesNotContain("<html")
			.doesNotContain("load-more")
			.doesNotContain("msg-link");
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
		given(this.analysis.errors(P, S, null)).willThrow(NotFoundException.session(P, S));
		given(this.analysis.commands(P, S, null)).willThrow(NotFoundException.session(P, S));
		given(this.reports.sessionModels(eq(P), eq(S), any(), any())).willReturn(new Dtos.ModelsDto(List.of()));
		assertThat(this.mvc.get().uri("/projects/{p}/sessions/{s}", P, S)).hasStatusOk()
			.bodyText()
			.contains("This transcript is not on this machine's disk");
		given(this.messages.file(P, S, "a1")).willThrow(new NotFoundException("subagent not found"));
		assertThat(this.mvc.get().uri("/projects/{p}/sessions/{s}?agent=a1", P, S)).hasStatus(HttpStatus.NOT_FOUND);
	}

	private static Dtos.SessionDto sessionWithAgents() {
		Dtos.SessionDto s = PageFixtures.session(S);
		List<Dtos.AgentDto> agents = List.of(
				new Dtos.AgentDto(null, "main", 30, PageFixtures.tokens(), new Dtos.CostDto(0, 0, 0, 0, 0, 0.66),
						List.of(PageFixtures.MODEL), null, null, null),
				new Dtos.AgentDto("a1", "subagent", 6, new Dtos.TokensDto(100, 200, 300, 400, 300, 0),
						new Dtos.CostDto(0, 0, 0, 0, 0, 0.34), List.of("claude-haiku-4-5-20251001"), "fork",
						"Try the other fix", null),
				new Dtos.AgentDto("a2", "subagent", 4, PageFixtures.tokens(), new Dtos.CostDto(0, 0, 0, 0, 0, 0.1),
						List.of(PageFixtures.MODEL), "general-purpose", "Review the diff", "reviewer"));
		return new Dtos.SessionDto(s.sessionId(), s.projectPath(), s.startTime(), s.endTime(), s.durationSeconds(),
				s.messageCount(), s.toolCalls(), s.errors(), 2, s.tokens(), s.totalTokens(), s.cost(), s.modelsUsed(),
				s.status(), 0, agents, s.title(), null, 0, 2, 1, P, null);
	}

	private static ToolsDto twoTools() {
		return new ToolsDto(List.of(new ToolStat("Read", 9, 0, 0, 0.1, 0.2, 100, 0.05, 0, 0, 0),
				new ToolStat("Bash", 2, 1, 0.5, 3.0, 4.0, 900, 0.75, 0.25, 0, 0)), 11, "split evenly");
	}

	@Test
	void showSessionPutsTheCostBreakdownFirstWithShortModelNamesAndCostColumns() {
		session();
		given(this.usage.session(eq(P), eq(S), any())).willReturn(sessionWithAgents());
		given(this.analysis.tools(P, S, null)).willReturn(twoTools());
		given(this.analysis.commands(P, S, null))
			.willReturn(new CommandsDto(
					List.of(new AnalysisDtos.CommandDto("Fix it", "2026-01-09T09:00:00Z", "uuid-1", 2, 1,
							List.of("Edit"), 5_000, false, PageFixtures.MODEL, 0.4321)),
					new CommandsSummaryDto(1, 2, 1, 100, 0)));
		given(this.messages.list(eq(FILE), any()))
			.willReturn(new MessagesDto(List.of(message(1, "user", "please"), message(2, "assistant", "done")), false,
					null, null, null, null, null));
		assertThat(this.mvc.get().uri("/projects/{p}/sessions/{s}", P, S)).hasStatusOk()
			.bodyText()
			.containsSubsequence("id=\"session-header\"", "id=\"cost-panel\"", ">Where the cost went</h2>",
					"id=\"cost-models\"", "<td title=\"claude-sonnet-4-5-20250929\">Sonnet 4.5</td>",
					"id=\"cost-agents\"", ">main conversation</td>", "<td class=\"num\">$0.66</td>",
					"?agent=a1\">Fork: Try the other fix</a>", "?agent=a2\">reviewer</a>", "id=\"cost-tools\"",
					"<td>Bash</td><td class=\"num\">2</td><td class=\"num\">$0.75</td>",
					"<td>Read</td><td class=\"num\">9</td><td class=\"num\">$0.05</td>", "id=\"cost-web\"",
					"2 searches · $0.00", "id=\"cost-api-errors\"", "1 API error<", "id=\"timeline-panel\"")
			// the timeline and the commands have a cost column; models by their short
			// names
			.contains("<th class=\"num\">Out</th><th class=\"num\">Cost</th>")
			.contains("<td title=\"claude-sonnet-4-5-20250929\">Sonnet 4.5</td>")
			.contains("<td class=\"num\"><span>$0.0042</span>")
			.contains("<td class=\"num\">$0.43</td>")
			// the subagent tree names them: a fork by its task, a named agent by its name
			.contains(">Fork: Try the other fix</a>")
			.contains(">reviewer</a>");
	}

	@Test
	void showSessionSortsTheToolsByCost() {
		session();
		given(this.analysis.tools(P, S, null)).willReturn(twoTools());
		given(this.messages.list(eq(FILE), any()))
			.willReturn(new MessagesDto(List.of(), false, null, null, null, null, null));
		assertThat(this.mvc.get().uri("/projects/{p}/sessions/{s}", P, S)).hasStatusOk()
			.bodyText()
			.containsSubsequence("<table class=\"grid\" id=\"tools\">", "<td>Read</td>", "<td>Bash</td>")
			.contains("href=\"/projects/" + P + "/sessions/" + S + "?toolSort=cost#tools-panel\">Cost</a>");
		assertThat(this.mvc.get().uri("/projects/{p}/sessions/{s}?toolSort=cost", P, S)).hasStatusOk()
			.bodyText()
			.containsSubsequence("<table class=\"grid\" id=\"tools\">", "<td>Bash</td>", "<td>Read</td>")
			.contains("aria-sort=\"descending\"><a id=\"tools-by-cost\"")
			// and every other order one click away (a user trial found three empty links:
			// SpEL read toolSortLinks[col] as the key "col")
			.contains("<a href=\"/projects/" + P + "/sessions/" + S + "?toolSort=name#tools-panel\">Tool</a>",
					"<a href=\"/projects/" + P + "/sessions/" + S + "?toolSort=calls#tools-panel\">Calls</a>",
					"<a href=\"/projects/" + P + "/sessions/" + S + "?toolSort=errors#tools-panel\">Errors</a>")
			.doesNotContain("href=\"\"");
		assertThat(this.mvc.get().uri("/projects/{p}/sessions/{s}?toolSort=evil", P, S))
			.hasStatus(HttpStatus.BAD_REQUEST)
			.bodyText()
			.contains("toolSort must be one of calls, cost, errors, name");
	}

	@Test
	void aSubagentViewIsScopedInEveryPanelAndSaysSo() {
		FileRef agentFile = new FileRef(2, "/root", P + "/" + S + "/subagents/agent-a1.jsonl", "SUBAGENT", "a1", 0,
				100);
		given(this.usage.session(eq(P), eq(S), any())).willReturn(sessionWithAgents());
		given(this.usage.apiErrors(P, S)).willReturn(
				new Dtos.ApiErrorsDto(
						List.of(new Dtos.ApiErrorDto("2026-01-09T09:30:00Z", "rate_limit", "main's error", null),
								new Dtos.ApiErrorDto("2026-01-09T09:31:00Z", "overloaded", "the fork's error", "a1")),
						2));
		given(this.messages.file(P, S, "a1")).willReturn(agentFile);
		given(this.messages.filters(agentFile)).willReturn(new FiltersDto(List.of(), List.of(), 0, 0));
		given(this.messages.list(eq(agentFile), any())).willReturn(
				new MessagesDto(List.of(message(1, "user", "Try the other fix")), false, null, null, null, null, null));
		given(this.analysis.tools(P, S, "a1")).willReturn(
				new ToolsDto(List.of(new ToolStat("Grep", 4, 1, 0.25, 0.1, 0.1, 10, 0.02, 0.01, 0, 0)), 4, "split"));
		given(this.analysis.subagents(eq(P), eq(S), any())).willReturn(new SubagentsDto(List.of(
				new AnalysisDtos.SubagentDto("a1", "subagents", false, "fork", "Try the other fix", null, "toolu_9",
						"2026-01-09T09:10:00Z", "2026-01-09T09:14:30Z", "completed", 6, 4, null, null),
				// known by its file alone: no name, no type
				new AnalysisDtos.SubagentDto("a3", "subagents", false, null, null, null, null, null, null, null, 2, 0,
						null, null)),
				2));
		// the session's changes, and the subagent's own: its page shows its own
		given(this.analysis.codeChanges(P, S)).willReturn(new CodeChangesDto(0, 1, 9, 0, 9,
				List.of(new AnalysisDtos.FileChangeDto("src/session-edit.txt", "modified", 9, 0, 1))));
		given(this.analysis.codeChanges(P, S, "a1")).willReturn(new CodeChangesDto(0, 1, 3, 1, 2,
				List.of(new AnalysisDtos.FileChangeDto("src/fork-edit.txt", "modified", 3, 1, 1))));
		given(this.analysis.errors(P, S, "a1")).willReturn(new ErrorsDto(List
			.of(new AnalysisDtos.ErrorDto("2026-01-09T09:12:00Z", "Grep", "no such dir", "uuid-e", "a1", "failed")),
				1));
		given(this.analysis.commands(P, S, "a1")).willReturn(new CommandsDto(
				List.of(new AnalysisDtos.CommandDto("Try the other fix", "2026-01-09T09:10:00Z", "uuid-1", 3, 4,
						List.of("Grep"), 1_000, false, "claude-haiku-4-5-20251001", 0.34)),
				new CommandsSummaryDto(1, 3, 4, 100, 0)));
		given(this.reports.sessionModels(P, S, "a1", this.mode)).willReturn(new Dtos.ModelsDto(List.of(
				new Dtos.ModelDto("claude-haiku-4-5-20251001", true, new Dtos.TokensDto(100, 200, 300, 400, 300, 0),
						1_000, 6, new Dtos.CostDto(0, 0, 0, 0, 0, 0.34), false, "claude-haiku-4-5"),
				// a model of no known family whose one response searched the web: its
				// tokens cost 0, the search's fee counts (a user trial saw no cost)
				new Dtos.ModelDto("gpt-5-turbo", false, new Dtos.TokensDto(3, 5, 0, 0, 0, 0), 8, 1,
						new Dtos.CostDto(0, 0, 0, 0, 0.01, 0.01), false, null))));
		assertThat(this.mvc.get().uri("/projects/{p}/sessions/{s}?agent=a1", P, S)).hasStatusOk()
			.bodyText()
			.contains("Subagent view:\n    <strong>Fork: Try the other fix</strong> <code>a1</code>")
			.contains(">Subagent cost</span><span class=\"value\" id=\"session-cost\">$0.34</span>")
			.contains("of $1.10 for the session")
			.contains("<span class=\"value\" id=\"session-messages\">6</span>")
			.contains(">1.0K</span>")
			.contains(">4m 30s</span>")
			.contains("id=\"session-models\" title=\"claude-haiku-4-5-20251001\">Haiku 4.5</span>")
			.contains("<h2>Where this subagent&#39;s cost went</h2>")
			.doesNotContain("id=\"cost-agents\"")
			.contains("<h2>Timeline of subagent Fork: Try the other fix</h2>")
			.contains("<h2>Tools of this subagent</h2>")
			.contains("<td>Grep</td>")
			.contains("<h2>Errors of this subagent (1)</h2>")
			.contains("no such dir")
			.contains("<h2>API errors of this subagent (1)</h2>")
			.contains("the fork&#39;s error")
			.doesNotContain("main&#39;s error")
			.contains("<h2>Prompts of this subagent</h2>")
			.contains("<h2>Code changes</h2>", "src/fork-edit.txt")
			.doesNotContain("src/session-edit.txt")
			.contains("/messages/uuid-1?agent=a1")
			.contains("<td class=\"num\">$0.34</td>")
			.containsSubsequence(">gpt-5-turbo<", "<span>$0.01</span>", ">tokens unpriced</span>")
			// the tree: a named subagent with its id and type; one without a name by its
			// id once, and no "subagents" badge for the usual layout
			.contains("<code class=\"muted\">a1</code>")
			.contains("<span class=\"badge\">fork</span>")
			.contains(">a3</a>")
			.doesNotContain("<code class=\"muted\">a3</code>")
			.doesNotContain("<span class=\"badge\">subagents</span>");
	}

	@Test
	void showSessionWithoutATitleIsHeadedByItsFirstPrompt() {
		session();
		Dtos.SessionDto s = PageFixtures.session(S);
		Dtos.SessionDto untitled = new Dtos.SessionDto(S, s.projectPath(), s.startTime(), s.endTime(),
				s.durationSeconds(), s.messageCount(), s.toolCalls(), s.errors(), 0, s.tokens(), s.totalTokens(),
				s.cost(), s.modelsUsed(), s.status(), 0, List.of(), null, null, 0, 0, 0, P, null);
		given(this.usage.session(eq(P), eq(S), any())).willReturn(untitled);
		given(this.titles.withFirstPrompts(List.of(untitled)))
			.willReturn(List.of(untitled.withFirstPrompt("Why does CI fail on main?")));
		given(this.messages.list(eq(FILE), any()))
			.willReturn(new MessagesDto(List.of(), false, null, null, null, null, null));
		assertThat(this.mvc.get().uri("/projects/{p}/sessions/{s}", P, S)).hasStatusOk()
			.bodyText()
			.contains("<span id=\"session-title\">Why does CI fail on main?</span>");
	}

	@Test
	void timelineLinksAnEntryWithoutAUuidByItsPosition() {
		session();
		MessageDto turn = new MessageDto(null, null, "system", "2026-01-09T09:04:00Z", null, "turn_duration", null,
				List.of(), null, false, false, null, 4, null);
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
		given(this.messages.byIndex(FILE, 4)).willReturn(new MessageDetailDto(null, "uuid-3", null, "system",
				"2026-01-09T09:04:00Z", null, "turn_duration", "", List.of(), List.of(), null, null, false, null, 4, 4,
				new MessageRefDto("uuid-3", 3), null, null, null, null, null));
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
				new MessageRefDto("uuid-6", 6), 0.25, true, true, false));
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
