package dev.cctracer.web.system;

import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import org.springframework.jdbc.CannotGetJdbcConnectionException;

import dev.cctracer.worker.StorageFault;
import dev.cctracer.worker.StorageHealth;
import dev.cctracer.worker.StoragePausedException;
import dev.cctracer.worker.StorageRecovered;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which failures are a 503 and what it says: a storage fault the guard names, and no
 * database connection within the pool's wait though the guard names none (a trial's
 * frozen H2 server made two API answers 500 "Internal error").
 */
class UnavailableTests {

	private static final Exception NO_CONNECTION = new CannotGetJdbcConnectionException(
			"Failed to obtain JDBC Connection", new SQLTransientConnectionException(
					"HikariPool-1 - Connection is not available, request timed out after 30001ms (total=16, active=16)"));

	@Test
	void noConnectionWithinThePoolsWaitIsA503EvenWithoutAFault() {
		assertThat(Unavailable.of(NO_CONNECTION, guard(null))).hasValueSatisfying((u) -> {
			assertThat(u.title()).isEqualTo("Database unavailable");
			assertThat(u.detail()).isEqualTo("no database connection within the pool's wait; try again shortly");
		});
		assertThat(Unavailable.of(NO_CONNECTION, null)).isPresent();
	}

	@Test
	void aNamedFaultComesFirstAndOtherFailuresAreNone() {
		StorageFault fault = new StorageFault("disk full on /data (0 MB free)", Instant.now(), 0);
		assertThat(Unavailable.of(NO_CONNECTION, guard(fault))).hasValueSatisfying((u) -> {
			assertThat(u.title()).isEqualTo("Storage fault");
			assertThat(u.detail()).isEqualTo(
					"disk full on /data (0 MB free); the app recovers by itself once it is fixed, without a restart");
		});
		assertThat(Unavailable.of(new IllegalStateException("a bug"), guard(null))).isEmpty();
	}

	@Test
	void workRefusedForAFaultIsA503NamingItEvenOnceTheGuardNamesNoneAnyMore() {
		StorageFault fault = new StorageFault("data dir not writable: /data", Instant.now(), 0);
		Exception refused = new IllegalStateException("job failed", new StoragePausedException(fault));
		assertThat(Unavailable.of(refused, guard(null))).hasValueSatisfying((u) -> {
			assertThat(u.title()).isEqualTo("Storage fault");
			assertThat(u.detail()).startsWith("data dir not writable: /data; the app recovers by itself");
		});
		assertThat(Unavailable.of(refused, null)).isPresent();
	}

	/** A guard that names {@code fault} (or none) whatever failed. */
	private static StorageHealth guard(StorageFault fault) {
		return new StorageHealth() {

			@Override
			public Optional<StorageFault> fault() {
				return Optional.ofNullable(fault);
			}

			@Override
			public Optional<StorageRecovered> lastRecovery() {
				return Optional.empty();
			}

			@Override
			public Optional<StorageFault> failed(Throwable failure) {
				return fault();
			}

		};
	}

}
