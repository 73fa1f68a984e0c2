package dev.cctracer.web.usage;

import java.util.function.Supplier;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.cctracer.db.meta.MetaRepository;
import dev.cctracer.worker.DataChanged;
import dev.cctracer.worker.StorageRecovered;

/**
 * The read model's answers, cached per data version (bumped by every ingest commit) in
 * the {@link AnswerCache#USAGE} region: repeated requests cost a map lookup, and a commit
 * makes every older answer unreachable at once.
 */
@Component
public class VersionedAnswers {

	/**
	 * Other processes' commits are seen within this time; this process's at once (event).
	 */
	private static final long VERSION_CHECK_NANOS = 100_000_000L;

	private final MetaRepository meta;

	private final AnswerCache answers;

	/**
	 * When the data version was last read from the database (nanoTime); 0 forces a read.
	 */
	private volatile long versionCheckedAt;

	private volatile long version = -1;

	VersionedAnswers(MetaRepository meta, AnswerCache answers) {
		this.meta = meta;
		this.answers = answers;
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

	/** Drops every cached answer (admin console); returns how many there were. */
	public int clear() {
		return this.answers.clear(AnswerCache.USAGE);
	}

	/** An answer's key: what was asked, at which data version. */
	private record VersionedKey(long version, Object key) {

	}

}
