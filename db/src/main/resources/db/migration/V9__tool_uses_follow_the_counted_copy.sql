-- A response's tool calls count where its usage counts: each usage copy keeps the tool_use blocks of
-- its response's lines in its file, and a file's tool_uses holds those of its counted copies (moved
-- with the counted flag, like its tokens) plus those of its lines without usage. Before, every line's
-- tool calls counted in its own file, so a response copied into another file counted its calls twice
-- (a side question's subagent, agent-aside_question-*, repeats the session's earlier lines).
-- Portable SQL: runs on H2 2.x and PostgreSQL 15+.
ALTER TABLE usage_copy ADD COLUMN tool_uses BIGINT NOT NULL DEFAULT 0;
-- Every file on disk is read again from its start through the ingest's own reset (the one a replaced
-- file takes: its copies, rollups and errors removed, the dedup recomputed for its messages, a new
-- generation of its facts): a head fingerprint no file has forces it. A file gone before the next
-- scan is marked deleted as usual, keeping its totals (its tool_uses as they were counted).
UPDATE source_file SET head_fingerprint = 'recount-tool-uses', size_at_scan = -1, mtime_at_scan = -1
WHERE deleted = FALSE AND head_length > 0;
