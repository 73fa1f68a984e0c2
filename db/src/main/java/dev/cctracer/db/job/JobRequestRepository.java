package dev.cctracer.db.job;

import java.util.List;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.cctracer.db.support.RecordRowMapper;

/**
 * The {@code job_request} table: jobs the application issued, with their results (and,
 * until then, the text a job needs that must not be a JobRunr argument).
 */
@Repository
public class JobRequestRepository {

	/**
	 * A job the application issued.
	 *
	 * @param id the JobRunr job id
	 * @param kind what it does (verify, query, export …)
	 * @param label a short description without transcript text
	 * @param createdAt when it was requested (epoch ms)
	 * @param finishedAt when its result or error was stored, or {@code null}
	 * @param resultJson its result as JSON, or {@code null}
	 * @param error an error summary, or {@code null}
	 */
	public record JobRequestRow(String id, String kind, String label, long createdAt, Long finishedAt,
			String resultJson, String error) {

	}

	private final JdbcClient jdbc;

	public JobRequestRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Records a job unless it is already recorded (the same request gets the same id),
	 * with the text it needs that must not be a JobRunr job argument.
	 * @param requestText what the job reads back ({@link #requestText}) until it stores
	 * its result, e.g. a search's text (at most 1,000 characters), or {@code null}
	 */
	public void insertIfAbsent(String id, String kind, String label, long now, String requestText) {
		if (find(id).isPresent()) {
			if (requestText != null) {
				// a job not finished, queued by a version that passed the text as its
				// argument, or whose text a failed insert lost: this run reads it here
				this.jdbc
					.sql("UPDATE job_request SET request_text = COALESCE(request_text, :text) "
							+ "WHERE id = :id AND finished_at IS NULL")
					.param("text", requestText)
					.param("id", id)
					.update();
			}
			return;
		}
		try {
			this.jdbc
				.sql("INSERT INTO job_request (id, kind, label, created_at, request_text) "
						+ "VALUES (:id, :kind, :label, :now, :text)")
				.param("id", id)
				.param("kind", kind)
				.param("label", label)
				.param("now", now)
				.param("text", requestText)
				.update();
		}
		catch (DuplicateKeyException ex) {
			// recorded by a concurrent request
		}
	}

	/**
	 * The text a job was recorded with
	 * ({@link #insertIfAbsent(String, String, String, long, String)}), while it has not
	 * stored a result.
	 */
	public Optional<String> requestText(String id) {
		return this.jdbc.sql("SELECT request_text FROM job_request WHERE id = :id AND request_text IS NOT NULL")
			.param("id", id)
			.query(String.class)
			.optional();
	}

	public Optional<JobRequestRow> find(String id) {
		return this.jdbc.sql("""
				SELECT id, kind, label, created_at, finished_at, result_json, error FROM job_request WHERE id = :id
				""").param("id", id).query(RecordRowMapper.of(JobRequestRow.class)).optional();
	}

	/**
	 * The jobs of these ids that stored a result (in no particular order); an empty list
	 * for no ids.
	 */
	public List<JobRequestRow> findFinished(List<String> ids) {
		if (ids.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql("""
				SELECT id, kind, label, created_at, finished_at, result_json, error FROM job_request
				WHERE id IN (:ids) AND result_json IS NOT NULL
				""").param("ids", ids).query(RecordRowMapper.of(JobRequestRow.class)).list();
	}

	/** The most recently requested jobs, newest first. */
	public List<JobRequestRow> findRecent(int limit) {
		return this.jdbc.sql("""
				SELECT id, kind, label, created_at, finished_at, NULL AS result_json, error FROM job_request
				ORDER BY created_at DESC, id LIMIT :limit
				""").param("limit", limit).query(RecordRowMapper.of(JobRequestRow.class)).list();
	}

	public void saveResult(String id, String resultJson, long now) {
		// the text the job needed goes with its result
		this.jdbc
			.sql("UPDATE job_request SET result_json = :r, error = NULL, finished_at = :now, request_text = NULL "
					+ "WHERE id = :id")
			.param("r", resultJson)
			.param("now", now)
			.param("id", id)
			.update();
	}

	public void saveError(String id, String error, long now) {
		String summary = (error == null) ? "failed" : (error.length() > 2000 ? error.substring(0, 2000) : error);
		// and with its error: the same question again is a new job with its own row
		this.jdbc.sql("UPDATE job_request SET error = :e, finished_at = :now, request_text = NULL WHERE id = :id")
			.param("e", summary)
			.param("now", now)
			.param("id", id)
			.update();
	}

}
