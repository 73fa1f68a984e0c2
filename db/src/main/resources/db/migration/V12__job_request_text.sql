-- What a job needs that may hold a secret, such as a search's text (a user may search for a key to
-- see where it leaked), kept here for the worker that runs the job and removed once the job stores
-- its result or its error: JobRunr keeps a job's arguments in its own tables and shows them in its dashboard, so
-- the arguments are ids and scopes only (the project's design rule: secrets are never written to logs or
-- job arguments).
ALTER TABLE job_request ADD COLUMN request_text VARCHAR(1000);
