-- Jobs this application issued (JobRunr keeps job state; this keeps what the API must answer after
-- JobRunr has purged a job: that it existed, its result or its error summary, never transcript text).
CREATE TABLE job_request (
  id VARCHAR(36) PRIMARY KEY,
  kind VARCHAR(32) NOT NULL,
  label VARCHAR(255) NOT NULL,
  created_at BIGINT NOT NULL,
  finished_at BIGINT,
  result_json VARCHAR(1000000),
  error VARCHAR(2000)
);
CREATE INDEX ix_job_request_created ON job_request (created_at);
