package dev.cctracer.web.usage;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;

import dev.cctracer.web.usage.FileQueries.SessionRow;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Answers that change with the clock as well as with the data: a session's status holds
 * exactly until {@link UsageService#nextStatusChange}, and the answer cache computes an
 * answer again once it is no longer fresh.
 */
class ClockedAnswersTests {

	@Test
	void aStatusHoldsUntilItsNextChangeAndChangesThen() {
		long seen = 1_000_000_000L;
		for (boolean interrupted : new boolean[] { false, true }) {
			SessionRow row = row(seen, interrupted);
			for (long now = seen - 5_000; now < seen + 400_000; now += 1_000) {
				String status = UsageService.status(row, now);
				long next = UsageService.nextStatusChange(row, now);
				assertThat(next).isGreaterThan(now);
				if (next == Long.MAX_VALUE) {
					assertThat(status).isIn("completed", "interrupted");
					assertThat(UsageService.status(row, now + 86_400_000L)).isEqualTo(status);
				}
				else {
					assertThat(UsageService.status(row, next - 1)).isEqualTo(status);
					assertThat(UsageService.status(row, next)).isNotEqualTo(status);
				}
			}
		}
	}

	@Test
	void statusesOfFilesWrittenWithinOneSecondChangeAtOneInstant() {
		// 15,000 files generated (or restored) at once: their statuses must not move the
		// answer every millisecond
		long base = 1_700_000_000_000L;
		long now = base + 59_500;
		Set<Long> changes = new HashSet<>();
		Set<String> statuses = new HashSet<>();
		for (int ms = 1; ms < 1_000; ms++) {
			SessionRow row = row(base + ms, false);
			changes.add(UsageService.nextStatusChange(row, now));
			statuses.add(UsageService.status(row, now));
		}
		assertThat(changes).containsExactly(base + 61_000);
		assertThat(statuses).containsExactly("running");
		// at that instant all of them have moved on, together
		statuses.clear();
		for (int ms = 1; ms < 1_000; ms++) {
			statuses.add(UsageService.status(row(base + ms, false), base + 61_000));
			statuses.add(UsageService.status(row(base + ms, false), base + 60_999));
		}
		assertThat(statuses).containsExactlyInAnyOrder("running", "idle");
		assertThat(UsageService.status(row(base + 999, false), base + 60_999)).isEqualTo("running");
		assertThat(UsageService.status(row(base + 1, false), base + 61_000)).isEqualTo("idle");
	}

	@Test
	void anAnswerIsComputedAgainOnceItIsNoLongerFresh() {
		AnswerCache cache = new AnswerCache(new SimpleMeterRegistry());
		AtomicInteger computed = new AtomicInteger();
		for (int i = 0; i < 3; i++) {
			assertThat(cache.get(AnswerCache.JSON, "k", (String s) -> true, () -> "v" + computed.incrementAndGet()))
				.isEqualTo("v1");
		}
		assertThat(
				cache.get(AnswerCache.JSON, "k", (String s) -> !s.equals("v1"), () -> "v" + computed.incrementAndGet()))
			.isEqualTo("v2");
		assertThat(cache.get(AnswerCache.JSON, "k", (String s) -> true, () -> "v" + computed.incrementAndGet()))
			.isEqualTo("v2");
		assertThat(computed).hasValue(2);
	}

	@Test
	void aSessionIsJudgedByTheOlderOfItsLastWriteAndItsLastLoggedTime() {
		long now = 1_800_000_000_000L;
		// copied or restored: the file was written a second ago, its last line in June
		SessionRow copied = row(now - 1_000, now - 180L * 86_400_000L, false);
		assertThat(UsageService.status(copied, now)).isEqualTo("completed");
		assertThat(UsageService.nextStatusChange(copied, now)).isEqualTo(Long.MAX_VALUE);
		assertThat(UsageService.status(row(now - 1_000, now - 180L * 86_400_000L, true), now)).isEqualTo("interrupted");
		// finished ten minutes ago, given a title (a line without a timestamp) just now
		assertThat(UsageService.status(row(now - 2_000, now - 600_000, false), now)).isEqualTo("completed");
		// its last line two minutes ago: idle until five minutes after that line
		SessionRow paused = row(now - 1_000, now - 120_000, false);
		assertThat(UsageService.status(paused, now)).isEqualTo("idle");
		assertThat(UsageService.nextStatusChange(paused, now)).isEqualTo(now - 120_000 + 300_000);
		// live: a line stamped as it was written
		assertThat(UsageService.status(row(now - 5_000, now - 5_100, false), now)).isEqualTo("running");
		// no logged time at all: the last write decides, as before
		assertThat(UsageService.status(row(now - 5_000, null, false), now)).isEqualTo("running");
		assertThat(UsageService.status(row(now - 400_000, null, false), now)).isEqualTo("completed");
	}

	/** A live session's row: its last line stamped when its file was last written. */
	private static SessionRow row(long lastSeen, boolean interrupted) {
		return row(lastSeen, lastSeen, interrupted);
	}

	private static SessionRow row(long lastSeen, Long lastTs, boolean interrupted) {
		return new SessionRow("s", 1L, lastTs, 0, 0, 0, lastSeen, 0, interrupted, 0, Sums.ZERO, null, null, null, null,
				0);
	}

}
