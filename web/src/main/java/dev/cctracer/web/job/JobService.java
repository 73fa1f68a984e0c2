package dev.cctracer.web.job;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.context.JobDashboardProgressBar;
import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.storage.JobNotFoundException;
import org.jobrunr.storage.JobStats;
import org.jobrunr.storage.StorageProvider;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;

import dev.cctracer.db.job.JobRequestRepository;
import dev.cctracer.db.job.JobRequestRepository.JobRequestRow;
import dev.cctracer.db.meta.MetaRepository;
import dev.cctracer.shared.discovery.Ids;
import dev.cctracer.shared.job.ArchiveJobRequest;
import dev.cctracer.shared.job.ScanJobRequest;
import dev.cctracer.shared.job.VerifyJobRequest;
import dev.cctracer.web.system.JobServers;
import dev.cctracer.web.usage.NotFoundException;
import dev.cctracer.worker.StorageHealth;
import dev.cctracer.worker.StoragePausedException;

/**
 * Jobs as the API and the admin console see them: a job's status from JobRunr's storage
 * and the application's own record (which outlives JobRunr's purge), the recent jobs, and
 * the admin jobs (rebuild and verify, Parquet conversion), one per data version.
 */
@Service
public class JobService {

	/** Jobs of one question at one data version, at most (the last is reused). */
	private static final int MAX_ATTEMPTS = 100;

	/** Jobs of a chain {@link #recentResult} looks at per data version. */
	private static final int RECENT_HOPS = 3;

	private final StorageProvider storage;

	private final JobRequestRepository jobs;

	private final JobRequestScheduler scheduler;

	private final MetaRepository meta;

	private final PromptStart start;

	private final JobServers servers;

	private final ObjectProvider<StorageHealth> storageHealth;

	JobService(StorageProvider storage, JobRequestRepository jobs, JobRequestScheduler scheduler, MetaRepository meta,
			PromptStart start, JobServers servers, ObjectProvider<StorageHealth> storageHealth) {
		this.servers = servers;
		this.storageHealth = storageHealth;
		this.storage = storage;
		this.jobs = jobs;
		this.scheduler = scheduler;
		this.meta = meta;
		this.start = start;
	}

	/**
	 * A job's status.
	 *
	 * @param state JobRunr's state in lower case ({@code enqueued}, {@code processing},
	 * {@code succeeded}, {@code failed}, …), or {@code gone}
	 * @param progress 0 to 100 (percent)
	 * @param createdAt when it was enqueued (UTC instant)
	 * @param waiting why an enqueued job has not started: no JobRunr server (a worker, or
	 * this process's own) has sent a heartbeat for a minute; absent otherwise
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record JobStatusDto(String id, String kind, String label, String state, int progress, String createdAt,
			String updatedAt, String resultUrl, String error, String waiting) {

		public JobStatusDto(String id, String kind, String label, String state, int progress, String createdAt,
				String updatedAt, String resultUrl, String error) {
			this(id, kind, label, state, progress, createdAt, updatedAt, resultUrl, error, null);
		}

		/** Whether the job may still change. */
		public boolean active() {
			return "enqueued".equals(this.state) || "processing".equals(this.state) || "scheduled".equals(this.state)
					|| "awaiting".equals(this.state);
		}

	}

	/**
	 * The status of a job.
	 * @throws NotFoundException for an id never seen
	 * @throws JobGoneException for a job past retention
	 */
	public JobStatusDto status(String id) {
		UUID uuid = parse(id);
		JobRequestRow row = this.jobs.find(uuid.toString()).orElse(null);
		Job job;
		try {
			job = this.storage.getJobById(uuid);
		}
		catch (JobNotFoundException ex) {
			if (row == null) {
				throw new NotFoundException("no job " + id);
			}
			if (row.resultJson() != null || row.error() != null) {
				// purged by JobRunr; the outcome is still on record
				return new JobStatusDto(row.id(), row.kind(), row.label(),
						(row.error() != null) ? "failed" : "succeeded", 100, iso(row.createdAt()),
						iso(row.finishedAt()), (row.resultJson() != null) ? "/api/jobs/" + row.id() + "/result" : null,
						row.error());
			}
			throw new JobGoneException(id);
		}
		StateName state = job.getState();
		JobDashboardProgressBar bar = JobDashboardProgressBar.get(job);
		int progress = (state == StateName.SUCCEEDED) ? 100 : (bar != null) ? bar.getProgressAsPercentage() : 0;
		String error = null;
		if (state == StateName.FAILED) {
			error = (row != null && row.error() != null) ? row.error()
					: job.getLastJobStateOfType(FailedState.class).map(JobService::failure).orElse("failed");
		}
		boolean hasResult = row != null && row.resultJson() != null;
		return new JobStatusDto(job.getId().toString(), (row != null) ? row.kind() : null,
				(row != null) ? row.label() : job.getJobName(), state.name().toLowerCase(Locale.ROOT), progress,
				job.getCreatedAt().toString(), job.getUpdatedAt().toString(),
				hasResult ? "/api/jobs/" + job.getId() + "/result" : null, error,
				(state == StateName.ENQUEUED) ? this.servers.waiting() : null);
	}

	/**
	 * What a failed state says: its exception's type and message; for a job JobRunr found
	 * orphaned (still processing when its server stopped: a storage fault, a killed
	 * process), what happened in words, since the job could not record its own failure (a
	 * fault trial's export that filled the disk read "Job was too long in PROCESSING
	 * state without being updated"); for a job refused while the storage was at fault,
	 * that fault and what to do.
	 */
	static String failure(FailedState failed) {
		if (failed.getExceptionType() != null && failed.getExceptionType().endsWith("IllegalJobThreadStateException")) {
			return "the job was cut off: the process running it stopped, or its storage failed, before it "
					+ "could finish or say why; ask again to start it anew";
		}
		if (StoragePausedException.class.getName().equals(failed.getExceptionType())) {
			return failed.getExceptionMessage() + "; ask again once it has recovered";
		}
		return failed.getExceptionType() + ": " + failed.getExceptionMessage();
	}

	/**
	 * The result of a finished job, as the JSON text the job wrote.
	 * @param missing what the job lacks, for the error ({@code "result"}, {@code "file"})
	 * @throws Ids.InvalidIdException for a malformed id
	 * @throws NotFoundException when no job has this id or it has no result (yet, or it
	 * failed)
	 */
	public String resultJson(String id, String missing) {
		JobRequestRow row = this.jobs.find(parse(id).toString())
			.orElseThrow(() -> new NotFoundException("no job " + id));
		if (row.resultJson() == null) {
			throw new NotFoundException(
					"job " + id + " has no " + missing + ((row.error() != null) ? " (it failed)" : " yet"));
		}
		return row.resultJson();
	}

	/**
	 * The result of a finished job of {@code kind}, if {@code id} names one (a malformed
	 * id, an unknown job, one of another kind or one still running: empty).
	 */
	public Optional<String> finishedResult(String id, String kind) {
		UUID uuid;
		try {
			uuid = parse(id);
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
		return this.jobs.find(uuid.toString())
			.filter((row) -> kind.equals(row.kind()) && row.resultJson() != null)
			.map(JobRequestRow::resultJson);
	}

	/** The most recently requested jobs, newest first, with their status. */
	public List<JobStatusDto> recent(int limit) {
		List<JobStatusDto> result = new ArrayList<>();
		for (JobRequestRow row : this.jobs.findRecent(limit)) {
			try {
				result.add(status(row.id()));
			}
			catch (JobGoneException ex) {
				result.add(new JobStatusDto(row.id(), row.kind(), row.label(), "gone", 0, iso(row.createdAt()), null,
						null, null));
			}
		}
		return result;
	}

	/** JobRunr's counts per state. */
	public JobStats stats() {
		return this.storage.getJobStats();
	}

	/**
	 * A job for one question at the current data version.
	 *
	 * @param id the job id (a name-based UUID of kind, question and data version)
	 * @param version the data version it answers for
	 * @param resultJson its stored result, if it has finished
	 */
	public record VersionedJob(String id, long version, Optional<String> resultJson) {

		/** Where its state is polled. */
		public String statusUrl() {
			return JobService.statusUrl(this.id);
		}

	}

	/**
	 * The job that answers {@code question} of {@code kind} at the current data version,
	 * enqueued once: the same question at the same version is the same job (JobRunr
	 * ignores an id it already knows, even a finished one), a new version a new job. A
	 * finished job's result is returned instead of enqueuing anything. A job that failed
	 * for good (its retries spent) is not the answer: asking again starts a new job, so a
	 * transient fault, or a setting raised and the process restarted, is not stuck with
	 * the old failure until the data changes ({@link #current}). While the data dir's
	 * storage is at fault no new job is recorded or enqueued (its work would be refused):
	 * a finished job's result is still the answer.
	 * @param label what the console's job list says, before {@code ", data version N"}
	 * @throws StoragePausedException when the answer needs a new job while the storage is
	 * at fault (the API's 503 {@code Storage fault})
	 */
	public VersionedJob enqueueOnce(String kind, String question, String label, JobRequest request) {
		return enqueueOnce(kind, question, label, request, null);
	}

	/**
	 * {@link #enqueueOnce(String, String, String, JobRequest)} with a text the job reads
	 * from its {@code job_request} row, not from its JobRunr arguments (which JobRunr
	 * stores and shows in its dashboard): what may hold a secret, such as a search's
	 * text.
	 * @param requestText at most 1,000 characters, or {@code null}
	 */
	public VersionedJob enqueueOnce(String kind, String question, String label, JobRequest request,
			String requestText) {
		long version = this.meta.dataVersion();
		UUID id = current(kind, question, version);
		Optional<String> result = this.jobs.find(id.toString()).map((row) -> row.resultJson());
		if (result.isEmpty()) {
			// no job recorded or enqueued while the storage is at fault: its work
			// would be refused (a trial's export failed later with the ingest's
			// pause as its error)
			StorageHealth health = this.storageHealth.getIfAvailable();
			if (health != null) {
				health.checkWritable();
			}
			this.jobs.insertIfAbsent(id.toString(), kind, label + ", data version " + version,
					System.currentTimeMillis(), requestText);
			this.scheduler.enqueue(id, request);
			this.start.now();
		}
		return new VersionedJob(id.toString(), version, result);
	}

	/**
	 * A heavy answer as the API gives it ({@link #enqueueOnce}): 200 with the result
	 * computed for the current data version (its job id in {@code X-Job-Id}), else 202
	 * with {@code Location}, {@code job_id} and {@code status_url} of the job computing
	 * it.
	 */
	public ResponseEntity<?> answerOrStart(String kind, String question, String label, JobRequest request) {
		return answerOrStart(kind, question, label, request, null);
	}

	/**
	 * {@link #answerOrStart(String, String, String, JobRequest)} with a text kept out of
	 * the job's arguments
	 * ({@link #enqueueOnce(String, String, String, JobRequest, String)}).
	 */
	public ResponseEntity<?> answerOrStart(String kind, String question, String label, JobRequest request,
			String requestText) {
		VersionedJob job = enqueueOnce(kind, question, label, request, requestText);
		if (job.resultJson().isPresent()) {
			return ResponseEntity.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.header("X-Job-Id", job.id())
				.body(job.resultJson().get());
		}
		return accepted(job.id());
	}

	/**
	 * The answer of an endpoint that started (or found) job {@code id}: {@code 202} with
	 * {@code {"job_id", "status_url"}} and {@code Location} naming the status, as
	 * {@link AnswersWithJob} describes it.
	 */
	public static ResponseEntity<Map<String, String>> accepted(String id) {
		String url = statusUrl(id);
		return ResponseEntity.accepted().location(URI.create(url)).body(Map.of("job_id", id, "status_url", url));
	}

	/** Where job {@code id}'s state is polled. */
	static String statusUrl(String id) {
		return "/api/jobs/" + id;
	}

	/**
	 * The newest result of {@code question} of {@code kind} computed for one of the last
	 * {@code versions} data versions (the current one included; a version's job or one of
	 * the first {@value #RECENT_HOPS} of its chain after failures), without starting
	 * anything: what a page shows while the data grows faster than a job ends (a live
	 * session appends every few seconds, and each append is a new data version).
	 * @return the result and the data version it was computed for
	 */
	public Optional<VersionedResult> recentResult(String kind, String question, int versions) {
		long now = this.meta.dataVersion();
		Map<String, Long> ids = recentIds(kind, question, versions, now);
		return this.jobs.findFinished(List.copyOf(ids.keySet()))
			.stream()
			.max(Comparator.comparingLong((JobRequestRow row) -> ids.get(row.id())))
			.map((row) -> new VersionedResult(ids.get(row.id()), row.resultJson(), ids.get(row.id()) == now,
					row.finishedAt()));
	}

	/**
	 * Whether {@code id} is the job of {@code question} of {@code kind} at one of the
	 * last {@code versions} data versions (or one of the first retries of its chain): ids
	 * are derived from the question, so a job of another question never passes.
	 */
	public boolean isJobOf(String kind, String question, String id, int versions) {
		return recentIds(kind, question, versions, this.meta.dataVersion()).containsKey(id);
	}

	/**
	 * The ids of the recent jobs of a question, with their data versions, back from
	 * {@code version} (the current one).
	 */
	private static Map<String, Long> recentIds(String kind, String question, int versions, long version) {
		Map<String, Long> ids = new HashMap<>();
		for (long v = version; v > version - versions && v >= 0; v--) {
			// each version's job and the first retries of its chain (as current() walks
			// it)
			UUID id = UUID.nameUUIDFromBytes((kind + ":" + question + ":" + v).getBytes(StandardCharsets.UTF_8));
			for (int hop = 0; hop < RECENT_HOPS; hop++) {
				ids.put(id.toString(), v);
				id = UUID.nameUUIDFromBytes((id + ":again").getBytes(StandardCharsets.UTF_8));
			}
		}
		return ids;
	}

	/**
	 * A job's result and the data version it was computed for.
	 *
	 * @param version the data version
	 * @param resultJson the JSON text the job wrote
	 * @param current whether {@code version} is the current data version
	 * @param finishedAt when the job ended (epoch milliseconds, UTC), {@code null} if not
	 * recorded
	 */
	public record VersionedResult(long version, String resultJson, boolean current, Long finishedAt) {

	}

	/**
	 * The id of the job for a question at a data version: a name-based UUID of the three,
	 * or, when that job failed for good, the next of a chain of ids each derived from the
	 * one before (so concurrent askers agree on it), the first not failed for good.
	 */
	private UUID current(String kind, String question, long version) {
		UUID id = UUID.nameUUIDFromBytes((kind + ":" + question + ":" + version).getBytes(StandardCharsets.UTF_8));
		for (int hops = 0; hops < MAX_ATTEMPTS && failedForGood(id); hops++) {
			id = UUID.nameUUIDFromBytes((id + ":again").getBytes(StandardCharsets.UTF_8));
		}
		return id;
	}

	/**
	 * Whether a job has no result and JobRunr will not run it again (failed with its
	 * retries spent, whether or not it stored an error; or purged after storing one)
	 */
	private boolean failedForGood(UUID id) {
		JobRequestRow row = this.jobs.find(id.toString()).orElse(null);
		if (row == null || row.resultJson() != null) {
			return false;
		}
		// with or without an error of its own on record: a job cut off (its process
		// stopped, or its storage failed, as it ran) recorded none, and JobRunr failed it
		// as an orphan; asked again, the same failed job came back (a fault trial)
		try {
			return this.storage.getJobById(id).getState() == StateName.FAILED;
		}
		catch (JobNotFoundException ex) {
			// purged after it failed; a job not stored yet (enqueued a moment ago) has no
			// error on record and is not failed
			return row.error() != null;
		}
	}

	/**
	 * Asks every worker to scan its own machine's files now (a web-only process's "Rescan
	 * now"): counts the request ({@link MetaRepository#RESCANS_ASKED}, which each worker
	 * of several looks at every 2 s) and enqueues a scan job, which one worker takes (a
	 * lone worker not started with {@code cctracer.ingest.startup=jobs} looks at no
	 * count) and which the admin console's jobs table shows.
	 */
	public void requestRescan() {
		this.meta.increment(MetaRepository.RESCANS_ASKED);
		this.scheduler.enqueue(new ScanJobRequest("admin"));
	}

	/**
	 * The kinds of job only the admin starts ({@link #enqueueVerify},
	 * {@link #enqueueArchive}): polled with the admin login only.
	 */
	public static final Set<String> ADMIN_KINDS = Set.of("verify", "archive");

	/**
	 * Refuses an admin job ({@link #ADMIN_KINDS}) to anyone but the admin, before
	 * anything else is said of it (its state, its retention, whether it has a result or a
	 * file): their ids follow from the data version, which {@code /health} shows, and a
	 * verify's result lists every file. To anyone else such a job does not exist.
	 * @param admin whether the asker has the admin login
	 * @throws Ids.InvalidIdException for a malformed id
	 * @throws NotFoundException for an admin job asked by someone else
	 */
	public void requireVisible(String id, boolean admin) {
		if (!admin
				&& this.jobs.find(parse(id).toString()).map((row) -> ADMIN_KINDS.contains(row.kind())).orElse(false)) {
			throw new NotFoundException("no job " + id);
		}
	}

	/** The rebuild-and-verify job for the current data version (enqueued once). */
	public String enqueueVerify() {
		return enqueueOnce("verify", "", "rebuild and verify", new VerifyJobRequest("admin")).id();
	}

	/**
	 * The compaction of the facts (small Parquet batches merged) for the current data
	 * version.
	 */
	public String enqueueArchive() {
		return enqueueOnce("archive", "", "compact the facts (Parquet)", new ArchiveJobRequest("admin")).id();
	}

	/** A job id as a UUID; a malformed one is an invalid id (400). */
	public static UUID parse(String id) {
		try {
			return UUID.fromString(id);
		}
		catch (IllegalArgumentException ex) {
			throw new Ids.InvalidIdException("job", id);
		}
	}

	private static String iso(Long epochMillis) {
		return (epochMillis == null) ? null : Instant.ofEpochMilli(epochMillis).toString();
	}

	/** A job that existed but whose state and result are past retention. */
	public static final class JobGoneException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		JobGoneException(String id) {
			super("job " + id + " is past retention; run it again");
		}

	}

}
