package dev.cctracer.web.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.cctracer.db.file.SourceFileRepository;
import dev.cctracer.db.meta.MetaRepository;
import dev.cctracer.db.usage.UsageRollupRepository;

/**
 * Removes the generated demo dataset's files from the database, in one transaction under
 * the ingest lock: their rows of every table, the global buckets rebuilt from what is
 * left, the data version bumped so that every cached answer is computed again.
 */
@Component
class DemoRemoval {

	private final TransactionTemplate tx;

	private final SourceFileRepository files;

	private final UsageRollupRepository rollups;

	private final MetaRepository meta;

	DemoRemoval(TransactionTemplate tx, SourceFileRepository files, UsageRollupRepository rollups,
			MetaRepository meta) {
		this.tx = tx;
		this.files = files;
		this.rollups = rollups;
		this.meta = meta;
	}

	/**
	 * Removes every file registered under {@code projects} (the path as given and, when
	 * it exists, its real path: roots are stored as real paths).
	 * @return how many files were removed (0: none was there, nothing changed)
	 */
	int remove(Path projects) {
		Set<String> roots = new LinkedHashSet<>();
		roots.add(projects.toAbsolutePath().normalize().toString());
		try {
			if (Files.exists(projects)) {
				roots.add(projects.toRealPath().toString());
			}
		}
		catch (IOException ex) {
			// the path as given is looked for
		}
		Integer removed = this.tx.execute((status) -> {
			this.meta.lockIngest("demo removal");
			int n = this.files.removeRoots(roots);
			if (n > 0) {
				this.rollups.rebuildFromCopies();
				this.meta.bumpDataVersion();
			}
			return n;
		});
		return (removed != null) ? removed : 0;
	}

}
