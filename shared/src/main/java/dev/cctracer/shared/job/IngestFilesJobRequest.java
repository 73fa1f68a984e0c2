package dev.cctracer.shared.job;

import java.util.List;

import org.jobrunr.jobs.lambdas.JobRequest;

/**
 * Ingest the new complete lines of these files (ids of {@code source_file} rows).
 *
 * @param fileIds the files, at most a few hundred per job
 * @param label a short description for the dashboard (file count and bytes), never file
 * contents
 */
public record IngestFilesJobRequest(List<Long> fileIds, String label) implements JobRequest {

	@Override
	public Class<IngestFilesJobHandler> getJobRequestHandler() {
		return IngestFilesJobHandler.class;
	}

}
