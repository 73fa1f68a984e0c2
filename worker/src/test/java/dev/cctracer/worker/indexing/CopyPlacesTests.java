package dev.cctracer.worker.indexing;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CopyPlaces}: every file of every message its commits inserted, trusted only at
 * the data version its own commits reached, and not past its bound.
 */
class CopyPlacesTests {

	@Test
	void listsEveryFileOfAMessageAtTheVersionItIsCompleteFor() {
		CopyPlaces places = new CopyPlaces(5);
		assertThat(places.trusted(5)).isTrue();
		assertThat(places.filesOf(42)).isEmpty();
		// one commit 5 → 6: message 42 in files 1 and 2 (a resumed session), 0 in file 3
		places.committed(new long[] { 42, 42, 0, 7 }, new long[] { 1, 2, 3, 1 }, 5, 6);
		assertThat(places.trusted(5)).isFalse();
		assertThat(places.trusted(6)).isTrue();
		assertThat(places.filesOf(42)).containsExactlyInAnyOrder(1L, 2L);
		assertThat(places.filesOf(0)).containsExactly(3L);
		assertThat(places.filesOf(7)).containsExactly(1L);
		assertThat(places.filesOf(8)).isEmpty();
		// a third file, and a copy again in a file already listed
		places.committed(new long[] { 42, 42 }, new long[] { 9, 1 }, 6, 7);
		assertThat(places.filesOf(42)).containsExactlyInAnyOrder(1L, 2L, 9L);
		assertThat(places.size()).isEqualTo(3);
		// every hash once, for the known hashes after the bulk
		List<Long> hashes = new ArrayList<>();
		places.forEachHash(hashes::add, 10);
		assertThat(hashes).containsExactlyInAnyOrder(42L, 0L, 7L);
		assertThat(places.version()).isEqualTo(7);
	}

	@Test
	void keepsEveryPlaceWhileItGrows() {
		CopyPlaces places = new CopyPlaces(0);
		int n = 50_000;
		long[] hashes = new long[n];
		long[] files = new long[n];
		for (int i = 0; i < n; i++) {
			hashes[i] = (i + 1) * 0x9E3779B97F4A7C15L;
			files[i] = i % 97;
		}
		places.committed(hashes, files, 0, 1);
		assertThat(places.size()).isEqualTo(n);
		for (int i = 0; i < n; i++) {
			assertThat(places.filesOf(hashes[i])).containsExactly((long) (i % 97));
		}
	}

	@Test
	void isNotTrustedOnceAnotherWriterCommittedOrItIsFull() {
		CopyPlaces places = new CopyPlaces(5);
		// another writer moved the version to 6: this process's commit starts from 6
		places.committed(new long[] { 1 }, new long[] { 1 }, 6, 7);
		assertThat(places.trusted(7)).isFalse();
		assertThat(places.trusted(5)).isFalse();

		CopyPlaces small = new CopyPlaces(0, 2);
		small.committed(new long[] { 1, 2 }, new long[] { 1, 1 }, 0, 1);
		assertThat(small.trusted(1)).isTrue();
		// a new file for a known message still fits; a third message does not
		small.committed(new long[] { 2, 3 }, new long[] { 4, 4 }, 1, 2);
		assertThat(small.trusted(2)).isFalse();
	}

}
