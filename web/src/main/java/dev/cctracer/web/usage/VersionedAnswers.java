package dev.cctracer.web.usage;

import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import dev.cctracer.db.meta.MetaRepository;
import dev.cctracer.worker.DataChanged;
import dev.cctracer.worker.StorageRecovered;

/**
 * The read model's answers, cached per data version (bumped by every ingest commit) in
 * the {@link AnswerCache#USAGE} region: repeated requests cost a map lookup, and a commit
 * makes every older answer unreachable at once. The list endpoints' answers are kept
 * serialised too ({@link #json}, the {@link AnswerCache#JSON} region): a repeated request
 * then costs neither a transaction, nor building its DTOs, nor Jackson and the redaction
 * of every string it writes.
 */
@Component
public class VersionedAnswers {

	/**
	 * Other processes' commits are seen within this time; this process's at once (event).
	 */
	private static final long VERSION_CHECK_NANOS = 100_000_000L;

	private final MetaRepository meta;

	private final AnswerCache answers;

	private final ObjectMapper json;

	/**
	 * When the data version was last read from the database (nanoTime); 0 forces a read.
	 */
	private volatile long versionCheckedAt;

	private volatile long version = -1;

	VersionedAnswers(MetaRepository meta, AnswerCache answers, ObjectMapper json) {
		this.meta = meta;
		this.answers = answers;
		this.json = json;
	}

	@EventListener({ DataChanged.class, StorageRecovered.class })
	void onDataChanged() {
		this.versionCheckedAt = 0;
	}

	/**
	 * The data version (changes with every commit of new data), read from the database at
	 * most every 100 ms.
	 */
	public long dataVersion() {
		long now = System.nanoTime();
		if (this.versionCheckedAt == 0 || now - this.versionCheckedAt > VERSION_CHECK_NANOS) {
			this.versionCheckedAt = 0;
			this.version = this.meta.dataVersion();
			this.versionCheckedAt = Math.max(1, now);
		}
		return this.version;
	}

	/**
	 * The answer to {@code key} at the current data version, computed once.
	 * @param key what was asked (equals and hashCode by value)
	 */
	<T> T get(Object key, Supplier<T> compute) {
		return this.answers.get(AnswerCache.USAGE, new VersionedKey(dataVersion(), key), compute);
	}

	/**
	 * The answer to {@code key} at the current data version as a JSON response: computed
	 * (by a caller's transactional service) and serialised with the app's
	 * {@code ObjectMapper} (snake_case, redacting) once, then sent as the same bytes,
	 * with their length.
	 * @param key what was asked (equals and hashCode by value), every parameter the
	 * answer depends on
	 */
	public ResponseEntity<byte[]> json(Object key, Supplier<?> compute) {
		return expiringJson(key, () -> Expiring.untilDataChanges(compute.get()));
	}

	/**
	 * {@link #json} of an answer that also changes with the clock: kept until the instant
	 * it names, then computed again.
	 */
	public ResponseEntity<byte[]> expiringJson(Object key, Supplier<? extends Expiring<?>> compute) {
		JsonAnswer answer = this.answers.get(AnswerCache.JSON, new VersionedKey(dataVersion(), key),
				(JsonAnswer a) -> System.currentTimeMillis() < a.until(), () -> {
					Expiring<?> computed = compute.get();
					return new JsonAnswer(write(computed.value()), computed.until());
				});
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(answer.body());
	}

	private byte[] write(Object value) {
		try {
			return this.json.writeValueAsBytes(value);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Drops every cached answer (admin console); returns how many there were. */
	public int clear() {
		return this.answers.clear(AnswerCache.USAGE) + this.answers.clear(AnswerCache.JSON);
	}

	/** An answer's key: what was asked, at which data version. */
	private record VersionedKey(long version, Object key) {

	}

	/** An answer as sent, and until when it holds (epoch milliseconds). */
	private record JsonAnswer(byte[] body, long until) implements AnswerCache.Weighed {

		@Override
		public int weight() {
			return this.body.length + 64;
		}

	}

}
