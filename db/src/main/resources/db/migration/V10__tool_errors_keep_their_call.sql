-- A failed tool result counts once per session: each tool_result block with is_error:true that names
-- its call (tool_use_id) is kept with its line, so that a session's count takes a call's failure once
-- (a side question's subagent, agent-aside_question-*, repeats the session's earlier lines, failed
-- results included). A file's tool_errors still counts every failed result of its lines.
-- Portable SQL: runs on H2 2.x and PostgreSQL 15+.
CREATE TABLE tool_error (
  file_id BIGINT NOT NULL,
  line_offset BIGINT NOT NULL,
  ts BIGINT,
  tool_use_id VARCHAR(128) NOT NULL
);
CREATE INDEX ix_tool_error_file ON tool_error (file_id);
-- Every file on disk is read again from its start through the ingest's own reset, as V9 does, so
-- that the failed results read before this version are kept too.
UPDATE source_file SET head_fingerprint = 'keep-tool-errors', size_at_scan = -1, mtime_at_scan = -1
WHERE deleted = FALSE AND head_length > 0;
