package dev.cctracer.web.admin;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JobOutcomes} (the verify report's own JSON is read in
 * {@code JobApiTests}).
 */
class JobOutcomesTests {

	@Test
	void aVerifyOrACompactionIsSaidInOneLine() {
		assertThat(JobOutcomes.summary("verify", "{\"equal\":true,\"files_compared\":43,\"files_not_compared\":0}"))
			.isEqualTo("Equal: 43 files compared.");
		assertThat(JobOutcomes.summary("verify",
				"{\"equal\":false,\"files_compared\":43,\"files_not_compared\":2,\"differing_files\":1}"))
			.isEqualTo("1 of 43 files differ, 2 not compared (the result lists them).");
		// a team's worker: equal on its own machine's files, not on every file
		assertThat(JobOutcomes.summary("verify", "{\"equal\":true,\"files_compared\":23,\"files_not_compared\":1171}"))
			.isEqualTo("Equal on the 23 files compared; 1,171 not compared (another machine's, not on the disk of the "
					+ "worker that ran it, changed or unreadable: the result says which).");
		assertThat(JobOutcomes.summary("verify", "{\"equal\":true,\"files_compared\":0,\"files_not_compared\":40}"))
			.startsWith("Nothing compared: 40 files not compared (");
		assertThat(JobOutcomes.summary("verify", "{\"equal\":true,\"files_compared\":1,\"files_not_compared\":0}"))
			.isEqualTo("Equal: 1 file compared.");
		assertThat(JobOutcomes.summary("archive", "{\"candidates\":0,\"converted\":0,\"orphans\":0}"))
			.isEqualTo("Nothing to compact: no small batch of facts quiet for long enough.");
		assertThat(JobOutcomes.summary("archive",
				"{\"candidates\":1,\"converted\":5,\"rows\":12345,\"bytes_in\":3000000,\"bytes_out\":2500000,\"orphans\":1}"))
			.isEqualTo("Compacted 5 batches (12,345 entries, 3.0 → 2.5 MB); 1 unrecorded batch files removed.");
		assertThat(JobOutcomes.summary("query", "{\"rows\":[]}")).isNull();
		assertThat(JobOutcomes.summary("verify", "not json")).isNull();
	}

}
