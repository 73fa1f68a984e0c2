package dev.cctracer.worker.indexing;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import java.util.function.ObjLongConsumer;
import java.util.function.ToLongFunction;

import org.junit.jupiter.api.Test;

import dev.cctracer.db.usage.UsageCopyRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link KnownHashes}: trusted only at the data version it is complete for, and off for
 * good when it would grow too large or keeps going stale.
 */
class KnownHashesTests {

	private static final ToLongFunction<String> HASH = UsageCopyRepository::hash;

	private final AtomicInteger loads = new AtomicInteger();

	private ObjLongConsumer<LongConsumer> stored(String... ids) {
		return (consumer, limit) -> {
			this.loads.incrementAndGet();
			for (String id : ids) {
				consumer.accept(HASH.applyAsLong(id));
			}
		};
	}

	@Test
	void filtersOnlyAtTheVersionItIsCompleteFor() {
		KnownHashes known = new KnownHashes();
		Set<String> ids = Set.of("a", "b");
		// never loaded and a small batch: every id is looked up
		assertThat(known.mayExist(ids, 5, false, stored("a"), HASH)).isEqualTo(ids);
		assertThat(this.loads).hasValue(0);
		// a large batch loads it: only "a" is stored
		assertThat(known.mayExist(ids, 5, true, stored("a"), HASH)).containsExactly("a");
		// a commit from 5 to 6 inserted "b": complete at 6, no reload
		known.committed(new long[] { HASH.applyAsLong("b") }, 5, 6);
		assertThat(known.mayExist(Set.of("b", "c"), 6, true, stored(), HASH)).containsExactly("b");
		assertThat(this.loads).hasValue(1);
		// another writer moved the version to 7: not trusted by a small batch
		assertThat(known.mayExist(Set.of("c"), 7, false, stored(), HASH)).containsExactly("c");
		// this process's next commit starts from 7 (the set is at 6): it adds its hashes
		// but claims nothing
		known.committed(new long[] { HASH.applyAsLong("d") }, 7, 8);
		assertThat(known.mayExist(Set.of("c"), 8, false, stored(), HASH)).containsExactly("c");
		// a failed commit: not trusted even at the version it had
		assertThat(known.mayExist(Set.of("x", "y"), 8, true, stored("x"), HASH)).containsExactly("x");
		known.invalidate();
		assertThat(known.mayExist(Set.of("y"), 8, false, stored(), HASH)).containsExactly("y");
	}

	@Test
	void switchesOffWhenTooLargeAndAfterReloadsOtherWritersMadeStale() {
		KnownHashes tooLarge = new KnownHashes();
		ObjLongConsumer<LongConsumer> many = (consumer, limit) -> {
			for (long h = 1; h <= limit; h++) {
				consumer.accept(h);
			}
		};
		assertThat(tooLarge.mayExist(Set.of("a"), 1, true, many, HASH)).containsExactly("a");
		// off for good: no more loads
		assertThat(tooLarge.mayExist(Set.of("a"), 1, true, stored(), HASH)).containsExactly("a");
		assertThat(this.loads).hasValue(0);

		KnownHashes team = new KnownHashes();
		// each reload is made stale by another process's commit before it is used
		for (long version = 1; version <= 3; version++) {
			team.mayExist(Set.of("a"), version * 10, true, stored("z"), HASH);
		}
		assertThat(this.loads).hasValue(KnownHashes.MAX_STALE_RELOADS);
		assertThat(team.mayExist(Set.of("a"), 40, true, stored("z"), HASH)).containsExactly("a");
		assertThat(this.loads).hasValue(KnownHashes.MAX_STALE_RELOADS);
	}

	@Test
	void isTrustedAtTheVersionItWasSeededWith() {
		KnownHashes known = new KnownHashes();
		known.seed(stored("a", "b"), 9);
		assertThat(this.loads).hasValue(1);
		// complete at 9: only the seeded ids may exist, and nothing is reloaded
		assertThat(known.mayExist(Set.of("a", "c"), 9, true, stored("a", "c"), HASH)).containsExactly("a");
		assertThat(this.loads).hasValue(1);
		// not at another version
		assertThat(known.mayExist(Set.of("c"), 10, false, stored(), HASH)).containsExactly("c");
	}

}
