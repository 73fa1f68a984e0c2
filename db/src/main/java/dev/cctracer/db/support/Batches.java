package dev.cctracer.db.support;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Splits what a statement takes into batches (an {@code IN} list, a job's files). */
public final class Batches {

	private Batches() {
	}

	/**
	 * The items in order, in lists of {@code size} (the last one shorter).
	 * @param size items per list, at least 1
	 */
	public static <T> List<List<T>> partition(Collection<T> items, int size) {
		List<List<T>> parts = new ArrayList<>();
		List<T> current = new ArrayList<>(Math.min(size, items.size()));
		for (T item : items) {
			current.add(item);
			if (current.size() == size) {
				parts.add(current);
				current = new ArrayList<>(size);
			}
		}
		if (!current.isEmpty()) {
			parts.add(current);
		}
		return parts;
	}

}
