package dev.cctracer.web.usage;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.cache.Cache;
import org.springframework.cache.caffeine.CaffeineCache;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.cctracer.worker.StorageRecovered;

/**
 * The one cache of computed answers (Caffeine through Spring's cache abstraction), in
 * four regions: {@link #USAGE} (the read model's answers), {@link #JSON} (list endpoints'
 * answers as the bytes they are sent as), {@link #ANALYSES} (a session's tools, errors,
 * subagents…) and {@link #MESSAGES} (pages of a transcript's messages). Keys carry what
 * makes an answer current — the data version, or a file's committed state — so an answer
 * is never stale and old ones age out by size (an answer may ask for other answers while
 * it is computed, so it is computed outside the cache and then stored). An answer is
 * computed by one caller at a time: the others asking for the same key meanwhile wait for
 * its result. Without that, every commit under load had each busy client compute the same
 * answer at once — on the 4.4 GB calibrated set sixteen clients each summed every counted
 * copy for the blocks report, 220 s apiece. {@code cctracer_cache_requests_total{result}}
 * counts hits and misses.
 */
@Component
public class AnswerCache {

	/**
	 * The read model's answers (projects, sessions, daily, blocks…), per data version.
	 */
	public static final String USAGE = "usage";

	/**
	 * The list endpoints' answers serialised, per data version: bounded by their bytes
	 * ({@link #JSON_BYTES}), as pages of sessions can be large.
	 */
	public static final String JSON = "json";

	/** The bound of the {@link #JSON} region: bytes of JSON held at most. */
	static final long JSON_BYTES = 32L << 20;

	/** Session analyses, per data version. */
	public static final String ANALYSES = "analyses";

	/** Pages of messages, per file id, generation, committed offset and query. */
	public static final String MESSAGES = "messages";

	/**
	 * Storage recoveries of this process: an answer computed across one is not stored.
	 */
	private final AtomicLong recoveries = new AtomicLong();

	/** The regions by name, each bounded by its number of answers. */
	private final Map<String, Cache> regions = Map.of(USAGE, region(USAGE, 4096), JSON, jsonRegion(), ANALYSES,
			region(ANALYSES, 512), MESSAGES, region(MESSAGES, 256));

	/** Answers being computed, by region and key, for callers that ask meanwhile. */
	private final Map<InFlight, CompletableFuture<Object>> inFlight = new ConcurrentHashMap<>();

	private final Counter hits;

	private final Counter misses;

	AnswerCache(MeterRegistry meters) {
		this.hits = meters.counter("cctracer.cache.requests", "result", "hit");
		this.misses = meters.counter("cctracer.cache.requests", "result", "miss");
	}

	private static Cache region(String name, int maximumSize) {
		return new CaffeineCache(name, Caffeine.newBuilder().maximumSize(maximumSize).build(), false);
	}

	/** JSON answers ({@link Weighed}), weighed by their bytes. */
	private static Cache jsonRegion() {
		return new CaffeineCache(JSON,
				Caffeine.newBuilder()
					.maximumWeight(JSON_BYTES)
					.weigher((Object key, Object value) -> (value instanceof Weighed w) ? w.weight() : 1)
					.build(),
				false);
	}

	private Cache region(String name) {
		Cache cache = this.regions.get(name);
		if (cache == null) {
			throw new IllegalArgumentException("no cache region " + name);
		}
		return cache;
	}

	/**
	 * The answer for {@code key} in {@code region}, computed once while it is cached.
	 * @param key what makes the answer current (equals and hashCode by value)
	 */
	public <T> T get(String region, Object key, Supplier<T> compute) {
		return get(region, key, (T value) -> true, compute);
	}

	/**
	 * The answer for {@code key} in {@code region} while {@code fresh} holds for it:
	 * computed again, and replaced, once it does not (an answer that changes with the
	 * clock as well as with the data).
	 * @param key what makes the answer current (equals and hashCode by value)
	 */
	@SuppressWarnings("unchecked")
	public <T> T get(String region, Object key, Predicate<T> fresh, Supplier<T> compute) {
		Cache cache = region(region);
		Cache.ValueWrapper hit = cache.get(key);
		if (hit != null && fresh.test((T) hit.get())) {
			this.hits.increment();
			return (T) hit.get();
		}
		this.misses.increment();
		// computed outside the cache: an answer may itself ask for other answers, which a
		// computing Caffeine map does not allow
		return once(region, cache, key, compute);
	}

	/**
	 * Computes {@code key}'s answer and stores it, unless another caller is computing it
	 * already: then waits for that result (or its exception) instead.
	 */
	@SuppressWarnings("unchecked")
	private <T> T once(String region, Cache cache, Object key, Supplier<T> compute) {
		InFlight slot = new InFlight(region, key);
		CompletableFuture<Object> mine = new CompletableFuture<>();
		CompletableFuture<Object> running = this.inFlight.putIfAbsent(slot, mine);
		if (running != null) {
			try {
				return (T) running.join();
			}
			catch (CompletionException ex) {
				if (ex.getCause() instanceof RuntimeException cause) {
					throw cause;
				}
				throw ex;
			}
		}
		long generation = this.recoveries.get();
		try {
			T value = compute.get();
			if (value != null && this.recoveries.get() == generation) {
				cache.put(key, value);
			}
			mine.complete(value);
			return value;
		}
		catch (RuntimeException | Error ex) {
			mine.completeExceptionally(ex);
			throw ex;
		}
		finally {
			this.inFlight.remove(slot, mine);
		}
	}

	/**
	 * After a storage fault the database reopens at its last complete commit, so a data
	 * version may come back with other data behind it: every answer goes.
	 */
	@EventListener(StorageRecovered.class)
	void onStorageRecovered() {
		// an answer computed across the recovery is not stored either: it may hold the
		// data from before, under the version that comes back (a loaded CI run's
		// StorageFaultsIT kept the pre-fault totals until the next change)
		this.recoveries.incrementAndGet();
		this.regions.values().forEach(Cache::clear);
	}

	/** Drops every answer of a region (admin console); returns how many there were. */
	public int clear(String region) {
		Cache cache = region(region);
		int size = (int) ((com.github.benmanes.caffeine.cache.Cache<?, ?>) cache.getNativeCache()).estimatedSize();
		cache.clear();
		return size;
	}

	/** An answer being computed: its region and key. */
	private record InFlight(String region, Object key) {

	}

	/** A value of the {@link #JSON} region, which is bounded by the sum of weights. */
	interface Weighed {

		/** Its weight, about its size in bytes (at least 1). */
		int weight();

	}

}
