package dev.cctracer.web.export;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.core.io.InputStreamResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.cctracer.shared.discovery.Ids;
import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.shared.transcript.RedactingModule;
import dev.cctracer.shared.transcript.Redactor;
import dev.cctracer.web.job.AnswersWithJob;
import dev.cctracer.web.job.JobService;
import dev.cctracer.web.session.SessionTitles;
import dev.cctracer.web.system.Roles;
import dev.cctracer.web.usage.BlocksService;
import dev.cctracer.web.usage.Dtos;
import dev.cctracer.web.usage.NotFoundException;
import dev.cctracer.web.usage.Period;
import dev.cctracer.web.usage.ReportService;
import dev.cctracer.web.usage.SessionFilter;
import dev.cctracer.web.usage.UsageService;
import dev.cctracer.web.usage.BadRequests;

/**
 * Downloads: the daily, weekly, monthly, 5-hour-block, session and model reports as CSV
 * or JSON at once; entry-level data (CSV, JSON or Parquet, without transcript text)
 * through a job, then {@code /api/jobs/{id}/download}.
 */
@RestController
class ExportApiController {

	private final UsageService usage;

	private final ReportService reports;

	private final BlocksService blocks;

	private final EntryExports entryExports;

	private final ObjectMapper json;

	private final SessionTitles titles;

	/**
	 * Quotes only the cells that need it: a comma, a quote or a line feed in them; every
	 * text cell goes through {@link Redactor#redact}, as the JSON channel's strings do
	 * ({@link RedactingModule}): a model id carrying a key came out whole in every
	 * report's CSV (a trial).
	 */
	private static final CsvMapper CSV = CsvMapper.builder()
		.enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
		.enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
		.addModule(new RedactingModule())
		.build();

	ExportApiController(UsageService usage, ReportService reports, BlocksService blocks, EntryExports entryExports,
			ObjectMapper json, SessionTitles titles) {
		this.usage = usage;
		this.reports = reports;
		this.blocks = blocks;
		this.entryExports = entryExports;
		this.json = json;
		this.titles = titles;
	}

	@GetMapping("/api/exports/{report}")
	ResponseEntity<byte[]> report(@PathVariable String report, @RequestParam(defaultValue = "csv") String format,
			@RequestParam(required = false) String project, @Valid Period.Query period, CostMode mode)
			throws IOException {
		List<Map<String, Object>> rows = switch (report) {
			case "daily" -> daily(project, period.period(), mode);
			case "weekly" -> weekly(project, period.period(), mode);
			case "monthly" -> monthly(project, period.period(), mode);
			case "blocks" -> blocks(project, period.period(), mode);
			case "sessions" -> sessions(project, period.period(), mode);
			case "models" -> models(project, period.period(), mode);
			default -> throw new NotFoundException("no report '" + report.replaceAll("[^a-z]", "?")
					+ "'; reports are daily, weekly, monthly, blocks, sessions, models");
		};
		return download(rows, COLUMNS.get(report), report, format);
	}

	private static final List<String> TOKENS = List.of("input_tokens", "output_tokens",
			"cache_creation_5m_input_tokens", "cache_creation_1h_input_tokens", "cache_read_input_tokens");

	/**
	 * The columns of each report, in order: a CSV names them also when a range has no row
	 * (a script or spreadsheet importing it still finds its columns).
	 */
	static final Map<String, List<String>> COLUMNS = Map.of("daily", perModel("date"), "weekly", perModel("week_start"),
			"monthly", perModel("month"), "blocks",
			columns(List.of("start_time", "end_time", "last_activity", "active", "messages"), TOKENS,
					List.of("cost", "models")),
			"sessions",
			columns(List.of("project", "session_id", "title", "first_prompt", "start_time", "end_time", "messages",
					"tool_calls", "errors", "subagents"), TOKENS, List.of("cost", "models")),
			"models", columns(List.of("model", "priced", "messages"), TOKENS, List.of("cost")));

	private static List<String> perModel(String key) {
		return columns(List.of(key, "model", "messages"), TOKENS,
				List.of("cost", "unpriced_messages", "estimated_messages"));
	}

	@SafeVarargs
	private static List<String> columns(List<String>... parts) {
		return Arrays.stream(parts).flatMap(List::stream).toList();
	}

	private List<Map<String, Object>> daily(String project, Period period, CostMode mode) {
		List<Map<String, Object>> rows = new ArrayList<>();
		for (Dtos.DayDto day : this.reports.daily(project, null, period, mode).metrics()) {
			perModel(rows, Map.of("date", day.date()), day.models());
		}
		return rows;
	}

	private List<Map<String, Object>> weekly(String project, Period period, CostMode mode) {
		List<Map<String, Object>> rows = new ArrayList<>();
		for (Dtos.WeekDto week : this.reports.weekly(project, null, period, mode).metrics()) {
			perModel(rows, Map.of("week_start", week.weekStart()), week.models());
		}
		return rows;
	}

	private List<Map<String, Object>> monthly(String project, Period period, CostMode mode) {
		List<Map<String, Object>> rows = new ArrayList<>();
		for (Dtos.MonthDto month : this.reports.monthly(project, null, period, mode).metrics()) {
			perModel(rows, Map.of("month", month.month()), month.models());
		}
		return rows;
	}

	/** One row per model of a day, week or month, keyed by {@code key}'s one entry. */
	private static void perModel(List<Map<String, Object>> rows, Map<String, String> key,
			List<Dtos.ModelDayDto> models) {
		for (Dtos.ModelDayDto m : models) {
			Map<String, Object> row = new LinkedHashMap<>(key);
			row.put("model", m.model());
			row.put("messages", m.messageCount());
			tokens(row, m.tokens());
			row.put("cost", m.cost());
			row.put("unpriced_messages", m.unpricedMessages());
			row.put("estimated_messages", m.estimatedMessages());
			rows.add(row);
		}
	}

	/** One row per 5-hour block (an open period: the last 7 days to now). */
	private List<Map<String, Object>> blocks(String project, Period period, CostMode mode) {
		List<Map<String, Object>> rows = new ArrayList<>();
		for (BlocksService.BlockDto b : this.blocks.blocks(project, period, mode, System.currentTimeMillis())
			.blocks()) {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("start_time", millis(b.startTime()));
			row.put("end_time", millis(b.endTime()));
			row.put("last_activity", millis(b.lastActivity()));
			row.put("active", b.isActive());
			row.put("messages", b.messageCount());
			tokens(row, b.tokens());
			row.put("cost", b.cost());
			row.put("models", String.join(" ", b.models()));
			rows.add(row);
		}
		return rows;
	}

	/**
	 * The sessions active in the period (their first line before its end and their last
	 * at or after its start), each with its whole totals.
	 */
	private List<Map<String, Object>> sessions(String project, Period period, CostMode mode) {
		List<Map<String, Object>> rows = new ArrayList<>();
		List<String> projects = (project != null) ? List.of(Ids.requireProjectDir(project))
				: this.usage.projects(mode).projects().stream().map(Dtos.ProjectDto::pathHash).toList();
		List<Dtos.SessionDto> active = new ArrayList<>();
		List<String> projectOf = new ArrayList<>();
		for (String p : projects) {
			for (Dtos.SessionDto s : this.usage.allSessions(p, mode)) {
				if (SessionFilter.activeIn(s, period)) {
					active.add(s);
					projectOf.add(p);
				}
			}
		}
		// the first prompts of every project's untitled sessions in one look-up
		List<Dtos.SessionDto> named = this.titles.withFirstPrompts(active);
		for (int i = 0; i < named.size(); i++) {
			Dtos.SessionDto s = named.get(i);
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("project", projectOf.get(i));
			row.put("session_id", s.sessionId());
			row.put("title", s.title());
			row.put("first_prompt", s.firstPrompt());
			row.put("start_time", millis(s.startTime()));
			row.put("end_time", millis(s.endTime()));
			row.put("messages", s.messageCount());
			row.put("tool_calls", s.toolCalls());
			row.put("errors", s.errors());
			row.put("subagents", s.subagentCount());
			tokens(row, s.tokens());
			row.put("cost", s.cost().totalCost());
			row.put("models", String.join(" ", s.modelsUsed()));
			rows.add(row);
		}
		return rows;
	}

	/** The models' usage in the period. */
	private List<Map<String, Object>> models(String project, Period period, CostMode mode) {
		List<Map<String, Object>> rows = new ArrayList<>();
		for (Dtos.ModelDto m : this.reports.models(project, period, mode).models()) {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("model", m.model());
			row.put("priced", m.priced());
			row.put("messages", m.messageCount());
			tokens(row, m.tokens());
			row.put("cost", m.cost().totalCost());
			rows.add(row);
		}
		return rows;
	}

	/** The five token counts under {@link #TOKENS}' names, in their order. */
	private static void tokens(Map<String, Object> row, Dtos.TokensDto t) {
		long[] counts = { t.inputTokens(), t.outputTokens(), t.cacheCreation5mInputTokens(),
				t.cacheCreation1hInputTokens(), t.cacheReadInputTokens() };
		for (int i = 0; i < counts.length; i++) {
			row.put(TOKENS.get(i), counts[i]);
		}
	}

	/**
	 * A row whose text cells cannot run as a spreadsheet formula: a cell starting with
	 * {@code = + - @}, a tab or a carriage return gets a leading {@code '} (OWASP's
	 * advice on CSV injection); numbers stay numbers, a fraction in plain decimals
	 * ({@code 0.000033}, not Java's {@code 3.3E-5}, which a spreadsheet may read as text:
	 * a trial). A line break inside a cell is kept inside it by the CSV writer's quotes
	 * ({@link #csv}, {@link #inert(String)}).
	 */
	static Map<String, Object> inert(Map<String, Object> row) {
		Map<String, Object> safe = new LinkedHashMap<>(row);
		safe.replaceAll((k, v) -> (v instanceof String s) ? inert(s)
				: (v instanceof Double d && Double.isFinite(d)) ? BigDecimal.valueOf(d).stripTrailingZeros() : v);
		return safe;
	}

	/**
	 * A cell's text that no spreadsheet runs: a leading {@code '} before a formula's
	 * first character, and each carriage return a line feed. Jackson's CSV writer quotes
	 * a cell with a line feed but not one with a bare carriage return, which Excel and
	 * LibreOffice read as a row break: a model id {@code "c\r=1+2"} started a row with a
	 * formula.
	 */
	private static String inert(String s) {
		String text = (s.indexOf('\r') >= 0) ? s.replace("\r\n", "\n").replace('\r', '\n') : s;
		return (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) ? "'" + text : text;
	}

	/**
	 * A report as CSV: a header of {@code columns}, then each row {@link #inert}, every
	 * cell with a line break, a comma or a quote quoted (RFC 4180). A report without rows
	 * (a range without activity) is its header alone.
	 */
	static byte[] csv(List<Map<String, Object>> rows, List<String> columns) throws IOException {
		CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
		columns.forEach(schema::addColumn);
		return CSV.writer(schema.build()).writeValueAsBytes(rows.stream().map(ExportApiController::inert).toList());
	}

	private ResponseEntity<byte[]> download(List<Map<String, Object>> rows, List<String> columns, String name,
			String format) throws IOException {
		byte[] body;
		MediaType type;
		if (format.equals("json")) {
			body = this.json.writeValueAsBytes(rows);
			type = MediaType.APPLICATION_JSON;
		}
		else if (format.equals("csv")) {
			body = csv(rows, columns);
			type = new MediaType("text", "csv", StandardCharsets.UTF_8);
		}
		else {
			throw new IllegalArgumentException("format must be csv or json (parquet: POST /api/exports)");
		}
		return ResponseEntity.ok()
			.contentType(type)
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment().filename("cctracer-" + name + "." + format).build().toString())
			.body(body);
	}

	/**
	 * The body of {@code POST /api/exports}.
	 *
	 * @param format {@code csv}, {@code json} or {@code parquet} (the default)
	 * @param project a project dir, or {@code null} for every project
	 * @param session a session id, or {@code null} for every session
	 * @param from the first day ({@code yyyy-MM-dd}, in {@code tz}) or instant of the
	 * lines exported, or {@code null}
	 * @param to the last day or the instant before which lines are exported, or
	 * {@code null}
	 * @param tz the IANA zone of the days; the server's when absent
	 * @param unknown any other field: refused
	 */
	record EntriesExportRequest(
			@Pattern(regexp = "(?i)csv|json|parquet", message = "format must be csv, json or parquet") String format,
			String project, String session, @Size(max = 64, message = "from is limited to 64 characters") String from,
			@Size(max = 64, message = "to is limited to 64 characters") String to,
			@Size(max = 64, message = "tz is limited to 64 characters") String tz,
			@JsonAnySetter @JsonProperty(BadRequests.OTHER_FIELDS) @Schema(hidden = true) @Size(max = 0,
					message = "unknown field; fields are format, project, session, from, to and tz") Map<String, Object> unknown) {

		String formatOrDefault() {
			return (this.format == null) ? "parquet" : this.format.toLowerCase(Locale.ROOT);
		}

	}

	/**
	 * Entry-level data as a job: {format: csv|json|parquet, project, session, from, to,
	 * tz}; 404 for a project or session that is not indexed, 400 for a session without
	 * its project or a range that is not one.
	 */
	@AnswersWithJob(always = true)
	@PostMapping("/api/exports")
	ResponseEntity<Map<String, String>> entries(@Valid @RequestBody(required = false) EntriesExportRequest body)
			throws IOException {
		EntriesExportRequest b = (body != null) ? body
				: new EntriesExportRequest(null, null, null, null, null, null, null);
		Period period = new Period.Query(b.from(), b.to(), b.tz()).period();
		String format = b.formatOrDefault();
		String project = (b.project() != null) ? Ids.requireProjectDir(b.project()) : null;
		String session = (b.session() != null) ? Ids.requireSessionId(b.session()) : null;
		if (session != null && project == null) {
			throw new IllegalArgumentException("a session is exported with its project: give both");
		}
		if (project != null) {
			// nothing to export is a 404, not an empty file
			this.usage.requireKnown(project, session);
		}
		return JobService.accepted(this.entryExports.start(format, project, session, period).id());
	}

	/** The file an export job wrote (an admin job's: for the admin only). */
	@GetMapping("/api/jobs/{id}/download")
	ResponseEntity<Resource> downloadExport(@PathVariable String id, HttpServletRequest request) throws IOException {
		EntryExports.Download file = this.entryExports.open(id, request.isUserInRole(Roles.ADMIN));
		String name = file.name();
		MediaType type = name.endsWith(".csv") ? new MediaType("text", "csv", StandardCharsets.UTF_8)
				: name.endsWith(".json") ? MediaType.APPLICATION_JSON : MediaType.APPLICATION_OCTET_STREAM;
		return ResponseEntity.ok()
			.contentType(type)
			.contentLength(file.bytes())
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment().filename("cctracer-entries-" + name).build().toString())
			.body(new InputStreamResource(file.stream()));
	}

	/**
	 * A UTC instant as the exports write every one: ISO-8601 with milliseconds
	 * ({@code 2026-03-01T10:00:05.000Z}, as the entry-level export), not the API's
	 * shortest form, which mixed {@code …21:05:00Z} and {@code …00:54.840Z} in one column
	 * (a user trial); {@code null} for {@code null}.
	 */
	static String millis(String iso) {
		return (iso == null) ? null : MILLIS.format(Instant.parse(iso));
	}

	private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
		.withZone(ZoneOffset.UTC);

}
