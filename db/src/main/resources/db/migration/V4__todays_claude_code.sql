-- Claude Code of 2026: web-search fees, estimated prices, API errors, titles and unknown entry types by
-- name. Portable SQL: runs on H2 2.x and PostgreSQL 15+.
ALTER TABLE usage_copy ADD COLUMN web_searches BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_copy ADD COLUMN cost_web_search BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_copy ADD COLUMN estimated BOOLEAN NOT NULL DEFAULT FALSE;
-- inference_geo where it selects a data-residency price ('us'), else NULL
ALTER TABLE usage_copy ADD COLUMN inference_geo VARCHAR(32);

ALTER TABLE usage_rollup ADD COLUMN web_searches BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_rollup ADD COLUMN cost_web_search BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_rollup ADD COLUMN estimated_messages BIGINT NOT NULL DEFAULT 0;

ALTER TABLE source_file ADD COLUMN web_searches BIGINT NOT NULL DEFAULT 0;
ALTER TABLE source_file ADD COLUMN cost_web_search BIGINT NOT NULL DEFAULT 0;
ALTER TABLE source_file ADD COLUMN estimated_messages BIGINT NOT NULL DEFAULT 0;
ALTER TABLE source_file ADD COLUMN api_errors BIGINT NOT NULL DEFAULT 0;
-- the last custom-title, ai-title and agent-name of the file
ALTER TABLE source_file ADD COLUMN custom_title VARCHAR(500);
ALTER TABLE source_file ADD COLUMN ai_title VARCHAR(500);
ALTER TABLE source_file ADD COLUMN agent_name VARCHAR(500);
-- a subagent's *.meta.json beside its transcript: agentType and description
ALTER TABLE source_file ADD COLUMN agent_type VARCHAR(128);
ALTER TABLE source_file ADD COLUMN agent_description VARCHAR(1000);

-- API errors Claude Code logged (isApiErrorMessage): errors of their session, never messages or costs.
CREATE TABLE api_error (
  file_id BIGINT NOT NULL,
  line_offset BIGINT NOT NULL,
  ts BIGINT,
  kind VARCHAR(32) NOT NULL,
  text VARCHAR(1000),
  PRIMARY KEY (file_id, line_offset)
);

-- Lines of entry types this version does not know, by the type's name.
CREATE TABLE unknown_entry_type (
  file_id BIGINT NOT NULL,
  type_name VARCHAR(64) NOT NULL,
  lines BIGINT NOT NULL,
  PRIMARY KEY (file_id, type_name)
);

-- The counting rules changed (<synthetic> lines are no longer messages, web searches are billed,
-- titles and errors are kept): every file on disk is read again from its start. A deleted file
-- cannot be read again; it keeps its copies, less the <synthetic> ones, and its totals are rebuilt
-- by the re-pricing that the cleared fingerprint forces.
DELETE FROM usage_copy WHERE model = '<synthetic>'
  OR file_id IN (SELECT id FROM source_file WHERE deleted = FALSE);
DELETE FROM usage_rollup WHERE file_id IN (SELECT id FROM source_file WHERE deleted = FALSE);
DELETE FROM parquet_file;
UPDATE source_file SET committed_offset = 0, generation = generation + 1, size_at_scan = -1, mtime_at_scan = -1,
  lines = 0, invalid_lines = 0, unknown_type_lines = 0, overlong_lines = 0, usage_lines = 0, tool_uses = 0,
  tool_errors = 0, summaries = 0, first_ts = NULL, last_ts = NULL, messages = 0, input_tokens = 0,
  output_tokens = 0, cache_write_5m = 0, cache_write_1h = 0, cache_read = 0, cost_input = 0, cost_output = 0,
  cost_cache_write = 0, cost_cache_read = 0, cost_logged = 0, cost_calc_of_logged = 0, unpriced_messages = 0
WHERE deleted = FALSE;
UPDATE app_meta SET text_value = NULL WHERE name = 'price_fingerprint';
UPDATE app_meta SET long_value = long_value + 1 WHERE name = 'data_version' AND EXISTS (SELECT 1 FROM source_file);
