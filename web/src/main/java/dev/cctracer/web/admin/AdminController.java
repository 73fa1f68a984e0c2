package dev.cctracer.web.admin;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.cctracer.shared.pricing.PriceTable;
import dev.cctracer.web.job.JobService;
import dev.cctracer.web.session.MessageService;
import dev.cctracer.web.session.SessionAnalysisService;
import dev.cctracer.web.system.PageController;
import dev.cctracer.web.usage.IndexedFiles;
import dev.cctracer.web.usage.UsageService;
import dev.cctracer.worker.ClaudeRoots;
import dev.cctracer.worker.IndexControl;
import dev.cctracer.worker.IngestReport;
import dev.cctracer.worker.PriceAdmin;
import dev.cctracer.worker.StorageHealth;
import dev.cctracer.worker.TracerProperties;

/**
 * The admin console: data dirs, the files table, the job queue with progress, and the
 * actions (rescan, rebuild and verify, convert to Parquet, clear caches), each answered
 * with its outcome.
 */
@Controller
@RequestMapping("/admin")
class AdminController implements PageController {

	private static final String VIEW_ADMIN_CONSOLE = "admin/adminConsole";

	private static final String REDIRECT_ADMIN = "redirect:/admin";

	private final ClaudeRoots roots;

	private final IndexedFiles files;

	private final JobService jobs;

	private final UsageService usage;

	private final MessageService messages;

	private final SessionAnalysisService analyses;

	private final IndexControl indexer;

	private final boolean ingestHere;

	private final JobRunrDashboard jobsDashboard;

	private final PriceAdmin prices;

	/** The data dir, where a recovery from a corrupt database is recorded. */
	private final Path recoveryFile;

	private final PriceTable table;

	private final ObjectProvider<StorageHealth> storage;

	AdminController(ClaudeRoots roots, IndexedFiles files, JobService jobs, UsageService usage, MessageService messages,
			SessionAnalysisService analyses, IndexControl indexer, TracerProperties properties,
			JobRunrDashboard jobsDashboard, PriceAdmin prices, PriceTable table,
			ObjectProvider<StorageHealth> storage) {
		this.storage = storage;
		this.prices = prices;
		this.table = table;
		this.jobsDashboard = jobsDashboard;
		this.ingestHere = properties.ingest().enabled();
		this.recoveryFile = (properties.dataDir() != null) ? properties.recoveryFile() : null;
		this.roots = roots;
		this.files = files;
		this.jobs = jobs;
		this.usage = usage;
		this.messages = messages;
		this.analyses = analyses;
		this.indexer = indexer;
	}

	@GetMapping
	String console(@RequestParam(defaultValue = "1") int page, Model model) {
		if (page < 1) {
			throw new IllegalArgumentException("page must be 1 or more");
		}
		Map<String, Long> index = this.usage.indexCounts();
		var recent = this.jobs.recent(15);
		model.addAttribute("candidates", this.roots.candidates());
		model.addAttribute("roots", this.roots.current());
		model.addAttribute("index", index);
		// files the last scan could not index (not named by a session id, unreadable…)
		model.addAttribute("pathProblems", this.indexer.lastProblems());
		model.addAttribute("skippedFiles", this.files.withSkippedLines());
		model.addAttribute("files", this.files.page(page));
		model.addAttribute("filesPage", page);
		model.addAttribute("filesPages",
				Math.max(1, (index.get("known") + index.get("deleted") + IndexedFiles.PAGE - 1) / IndexedFiles.PAGE));
		model.addAttribute("jobs", recent);
		// what a finished verify or compaction found, said in the list
		Map<String, String> outcomes = new HashMap<>();
		for (JobService.JobStatusDto j : recent) {
			// a stored result read only for the kinds that have a line
			if ("succeeded".equals(j.state()) && j.kind() != null && JobOutcomes.KINDS.contains(j.kind())) {
				this.jobs.finishedResult(j.id(), j.kind())
					.map((json) -> JobOutcomes.summary(j.kind(), json))
					.ifPresent((line) -> outcomes.put(j.id(), line));
			}
		}
		model.addAttribute("jobOutcomes", outcomes);
		model.addAttribute("jobsActive", recent.stream().anyMatch(JobService.JobStatusDto::active));
		model.addAttribute("jobStats", this.jobs.stats());
		model.addAttribute("jobsDashboard", this.jobsDashboard.url());
		model.addAttribute("unknownModels", this.usage.unknownModels());
		model.addAttribute("recovery", recovery());
		StorageHealth guard = this.storage.getIfAvailable();
		model.addAttribute("storageRecovered", (guard != null) ? guard.lastRecovery().orElse(null) : null);
		model.addAttribute("priceVersion", this.table.version());
		model.addAttribute("pricesInForce", PriceCards.inForce(this.table, System.currentTimeMillis()));
		model.addAttribute("priceImport", this.prices.importStatus());
		model.addAttribute("pricesSetAside", this.prices.setAside());
		List<JsonNode> cards = this.prices.adminCards();
		model.addAttribute("priceCards", cards);
		// each card as lines to read, by model id
		model.addAttribute("priceCardLines", cards.stream()
			.collect(Collectors.toMap((c) -> c.path("id").asText(), PriceCards::describe, (a, b) -> a)));
		return VIEW_ADMIN_CONSOLE;
	}

	/**
	 * What the last recovery from a corrupt database recorded ({@code recovery.json}:
	 * when, why, where the old files are, what was lost), or {@code null}.
	 */
	private JsonNode recovery() {
		if (this.recoveryFile == null) {
			return null;
		}
		Path file = this.recoveryFile;
		try {
			return Files.isRegularFile(file) && Files.size(file) < 64 * 1024
					? new ObjectMapper().readTree(file.toFile()) : null;
		}
		catch (IOException ex) {
			return null;
		}
	}

	@PostMapping("/scan")
	String rescan(RedirectAttributes redirect) throws InterruptedException {
		if (!this.ingestHere) {
			this.jobs.requestRescan();
			redirect.addFlashAttribute("outcome", "This process does not ingest (web only): every worker was asked "
					+ "to scan its machine's files now (each looks every 2 s); their jobs show below and the totals "
					+ "follow.");
			return REDIRECT_ADMIN;
		}
		IngestReport report = this.indexer.scanAndIngest();
		redirect.addFlashAttribute("outcome",
				String.format(Locale.ROOT,
						"Rescan done in %d ms: %d files checked, %d read (%d bytes, %d lines), %d unchanged, "
								+ "%d truncated or replaced, %d deleted, %d failed.",
						report.millis(), report.files(), report.read(), report.bytes(), report.lines(),
						report.unchanged(), report.resets(), report.deleted(), report.failed()));
		return REDIRECT_ADMIN;
	}

	@PostMapping("/verify")
	String verify(RedirectAttributes redirect) {
		return queued(redirect, "Rebuild and verify", this.jobs.enqueueVerify());
	}

	@PostMapping("/archive")
	String archive(RedirectAttributes redirect) {
		return queued(redirect, "Compaction of the facts", this.jobs.enqueueArchive());
	}

	private static String queued(RedirectAttributes redirect, String what, String jobId) {
		redirect.addFlashAttribute("outcome", what + " queued as job " + jobId + "; follow it below.");
		redirect.addFlashAttribute("jobId", jobId);
		return REDIRECT_ADMIN;
	}

	/**
	 * Adds or replaces a price card (USD per million tokens) from the console's form;
	 * stored costs are re-priced at once.
	 */
	@PostMapping("/prices")
	String putPrice(@RequestParam String id, @RequestParam(required = false) String effectiveFrom,
			@RequestParam(required = false) String input, @RequestParam(required = false) String output,
			@RequestParam(required = false) String cacheWrite5m, @RequestParam(required = false) String cacheWrite1h,
			@RequestParam(required = false) String cacheRead, @RequestParam(required = false) String fastMultiplier,
			RedirectAttributes redirect) throws InterruptedException {
		try {
			// numbers read here, so a typo ("1,5") is said in the console like any other
			ObjectNode card = PriceCards.card(id, effectiveFrom, number("input", input, true),
					number("output", output, true), number("cache write 5m", cacheWrite5m, false),
					number("cache write 1h", cacheWrite1h, false), number("cache read", cacheRead, false),
					number("fast multiplier", fastMultiplier, false));
			this.prices.putCard(card);
			redirect.addFlashAttribute("outcome", "Price card of " + card.path("id").asText()
					+ " saved; every stored cost was re-priced (table " + this.table.version() + ").");
		}
		catch (IllegalArgumentException ex) {
			redirect.addFlashAttribute("outcome", "Price card not saved: " + ex.getMessage());
			// the form shows what was typed, to be corrected (it had come back empty)
			Map<String, String> typed = new LinkedHashMap<>();
			String[][] fields = { { "id", id }, { "effectiveFrom", effectiveFrom }, { "input", input },
					{ "output", output }, { "cacheWrite5m", cacheWrite5m }, { "cacheWrite1h", cacheWrite1h },
					{ "cacheRead", cacheRead }, { "fastMultiplier", fastMultiplier } };
			for (String[] field : fields) {
				if (field[1] != null && !field[1].isEmpty()) {
					typed.put(field[0], field[1]);
				}
			}
			redirect.addFlashAttribute("priceForm", typed);
			// the page opens at the form, where the error is said
			return REDIRECT_ADMIN + "#price-form";
		}
		return REDIRECT_ADMIN;
	}

	/**
	 * A form field as a number: blank is {@code null} when optional.
	 * @throws IllegalArgumentException naming the field when it is missing or not a
	 * number (a dot for decimals)
	 */
	static BigDecimal number(String field, String value, boolean required) {
		if (value == null || value.isBlank()) {
			if (required) {
				throw new IllegalArgumentException(field + " is required (USD per million tokens)");
			}
			return null;
		}
		try {
			return new BigDecimal(value.strip());
		}
		catch (NumberFormatException ex) {
			String shown = value.strip();
			shown = (shown.length() > 20) ? shown.substring(0, 20) + "…" : shown;
			throw new IllegalArgumentException(
					field + " must be a number with a dot for decimals (e.g. 1.5), not '" + shown + "'");
		}
	}

	/** Removes a price card of the console. */
	@PostMapping("/prices/delete")
	String deletePrice(@RequestParam String id, RedirectAttributes redirect) throws InterruptedException {
		boolean removed = this.prices.removeCard(id);
		redirect.addFlashAttribute("outcome", removed ? "Price card of " + id + " removed; costs re-priced."
				: "No console price card of " + id + ".");
		return REDIRECT_ADMIN;
	}

	/** Reads the price import's source now. */
	@PostMapping("/prices/import")
	String importPrices(RedirectAttributes redirect) {
		PriceAdmin.ImportStatus status = this.prices.refreshImport();
		redirect.addFlashAttribute("outcome",
				(status.source() == null) ? "No price import is configured (cctracer.prices.import)."
						: (status.lastError() == null) ? "Price import read: " + status.models() + " Claude models."
								: "Price import failed, the last good prices stay: " + status.lastError());
		return REDIRECT_ADMIN;
	}

	@PostMapping("/caches/clear")
	String clearCaches(RedirectAttributes redirect) {
		int answers = this.usage.clearCaches();
		int indexes = this.messages.clearCaches();
		int analyses = this.analyses.clearCaches();
		redirect.addFlashAttribute("outcome", "Caches cleared: " + answers + " cached answers, " + indexes
				+ " message indexes and " + analyses + " session analyses dropped; they are rebuilt on next use.");
		return REDIRECT_ADMIN;
	}

}
