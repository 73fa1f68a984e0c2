package dev.cctracer.web.job;

import java.time.Instant;

import org.jobrunr.jobs.exceptions.IllegalJobThreadStateException;
import org.jobrunr.jobs.states.FailedState;
import org.junit.jupiter.api.Test;

import dev.cctracer.worker.StorageFault;
import dev.cctracer.worker.StoragePausedException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a failed job's status says of its failure ({@link JobService#failure}).
 */
class JobFailuresTests {

	@Test
	void aJobCutOffSaysWhatHappenedInWords() {
		FailedState orphan = new FailedState("Orphaned job",
				new IllegalJobThreadStateException("Job was too long in PROCESSING state without being updated."));
		assertThat(JobService.failure(orphan)).startsWith("the job was cut off: the process running it stopped")
			.endsWith("ask again to start it anew")
			.doesNotContain("PROCESSING");
	}

	@Test
	void aJobRefusedForAStorageFaultNamesTheFaultWithoutItsClass() {
		FailedState refused = new FailedState("refused",
				new StoragePausedException(new StorageFault("disk full on /data (0 MB free)", Instant.now(), 0)));
		assertThat(JobService.failure(refused)).isEqualTo(
				"refused while the storage is at fault: disk full on /data (0 MB free); ask again once it has recovered");
	}

	@Test
	void anyOtherFailureIsItsExceptionAndMessage() {
		FailedState failed = new FailedState("failed", new IllegalStateException("No space left on device"));
		assertThat(JobService.failure(failed)).isEqualTo("java.lang.IllegalStateException: No space left on device");
	}

}
