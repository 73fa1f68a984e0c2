package dev.cctracer.worker;

import java.util.List;
import java.util.Objects;

import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.filters.JobServerFilter;
import org.jobrunr.server.BackgroundJobServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import dev.cctracer.shared.log.Causes;
import dev.cctracer.shared.log.LogText;
import dev.cctracer.shared.transcript.Redactor;

/**
 * One WARN line for each failed run of a job, in place of JobRunr's own report (an ERROR
 * with the whole stack trace, which {@code application.properties} turns off:
 * {@code logging.level.org.jobrunr.server.BackgroundJobPerformer=off}): the job's name
 * and id and the type and message of what failed (wrappers without a message of their own
 * unwrapped), redacted and cut to one line. The job's error, as the API gives it
 * ({@code GET /api/jobs/{id}}), says the same. A JobRunr server filter, added to the
 * background job server of this process when it has one (JobRunr's own filters, its
 * retries among them, stay).
 */
@Component
class JobFailureLog implements JobServerFilter {

	private static final Logger log = LoggerFactory.getLogger(JobFailureLog.class);

	JobFailureLog(ObjectProvider<BackgroundJobServer> server) {
		server.ifAvailable((s) -> s.setJobFilters(List.of(this)));
	}

	@Override
	public void onProcessingFailed(Job job, Exception e) {
		// a wrapper without a message of its own (JobRunr's reflective call, or one made
		// from its cause) says no more than the cause
		List<Throwable> chain = Causes.chain(e);
		Throwable cause = e;
		for (int i = 0; i + 1 < chain.size() && (cause.getMessage() == null
				|| Objects.equals(cause.getMessage(), chain.get(i + 1).toString())); i++) {
			cause = chain.get(i + 1);
		}
		log.warn("job '{}' ({}) failed: {}: {}", LogText.safe(job.getJobName()), job.getId(),
				cause.getClass().getSimpleName(), LogText.safe(Redactor.redact(String.valueOf(cause.getMessage()))));
	}

	@Override
	public void onFailedAfterRetries(Job job) {
		log.warn("job '{}' ({}) failed after its last retry", LogText.safe(job.getJobName()), job.getId());
	}

}
