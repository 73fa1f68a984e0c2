package dev.cctracer.web.export;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.stereotype.Service;

import dev.cctracer.shared.job.ExportJobRequest;
import dev.cctracer.web.job.JobService;
import dev.cctracer.web.usage.NotFoundException;
import dev.cctracer.worker.TracerProperties;
import dev.cctracer.web.usage.Period;

/**
 * The entry-level export jobs and their files under {@code <data-dir>/exports}, which the
 * worker prunes (the newest 20 of the last day are kept): an export asked for again after
 * its file was removed runs again, and a download opens its file before it answers, so a
 * prune after that cannot break it.
 */
@Service
class EntryExports {

	/**
	 * Re-runs of one export at one data version, each after the one before lost its file
	 * (at most one a prune): past this many, a re-run named by the clock's minute.
	 */
	static final int MAX_RERUNS = 64;

	private final JobService jobs;

	private final ObjectMapper json;

	private final Path dir;

	EntryExports(JobService jobs, ObjectMapper json, TracerProperties properties) {
		this.jobs = jobs;
		this.json = json;
		this.dir = properties.exportsDir();
	}

	/**
	 * The export job of {@code format}, {@code project} and {@code session} (either may
	 * be {@code null}: every one) for the current data version: the one already asked
	 * for, unless its file is gone, then one that writes it again (the same one for
	 * requests at the same time).
	 * @throws IOException when a job's stored result cannot be read
	 */
	JobService.VersionedJob start(String format, String project, String session, Period period) throws IOException {
		String question = format + ":" + project + ":" + session + ":" + period.from() + ":" + period.to();
		String label = "entry-level export (" + format + ((session != null) ? ", one session" : "")
				+ ((period.from() != null || period.to() != null) ? ", a time range" : "") + ")";
		ExportJobRequest request = new ExportJobRequest(format, project, session, period.from(), period.to());
		JobService.VersionedJob job = this.jobs.enqueueOnce("export", question, label, request);
		for (int again = 0; again < MAX_RERUNS && fileGone(job); again++) {
			job = this.jobs.enqueueOnce("export", question + ":after:" + job.id(), label, request);
		}
		if (fileGone(job)) {
			job = this.jobs.enqueueOnce("export", question + ":at:" + (System.currentTimeMillis() / 60_000), label,
					request);
		}
		return job;
	}

	/** Whether a finished export job's file is no longer in the exports dir. */
	private boolean fileGone(JobService.VersionedJob job) throws IOException {
		Optional<Path> path = (job.resultJson().isPresent()) ? path(job.resultJson().get()) : Optional.empty();
		return path.isPresent() && !Files.isRegularFile(path.get());
	}

	/** The export file a job's result names, if it names one inside the exports dir. */
	private Optional<Path> path(String resultJson) throws IOException {
		String file = this.json.readTree(resultJson).path("file").asText("");
		Path path = this.dir.resolve(file).normalize();
		return (!file.isEmpty() && path.startsWith(this.dir) && !path.equals(this.dir)) ? Optional.of(path)
				: Optional.empty();
	}

	/**
	 * The file export job {@code id} wrote, opened.
	 * @param admin whether the asker has the admin login (an admin job is a 404 to
	 * others)
	 * @throws NotFoundException when the job is unknown or unfinished, wrote no file (a
	 * search, a query) or its file is gone
	 * @throws IOException when the file cannot be read
	 */
	Download open(String id, boolean admin) throws IOException {
		this.jobs.requireVisible(id, admin);
		Optional<Path> path = path(this.jobs.resultJson(id, "file"));
		if (path.isEmpty()) {
			// a finished job of another kind: its result is JSON
			throw new NotFoundException(
					"job " + id + " wrote no file to download; its result is at /api/jobs/" + id + "/result");
		}
		try {
			FileChannel channel = FileChannel.open(path.get(), StandardOpenOption.READ);
			return new Download(path.get().getFileName().toString(), channel.size(), channel);
		}
		catch (NoSuchFileException ex) {
			throw new NotFoundException("the export file of job " + id + " is gone");
		}
	}

	/**
	 * An open export file: its name, its size in bytes and a channel to read it (the
	 * response closes it).
	 */
	record Download(String name, long bytes, FileChannel channel) {

		InputStream stream() {
			return Channels.newInputStream(this.channel);
		}

	}

}
