package dev.cctracer.web.system;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.cctracer.db.file.SourceFileRepository;
import dev.cctracer.db.meta.MetaRepository;
import dev.cctracer.db.usage.UsageRollupRepository;
import dev.cctracer.shared.discovery.ClaudeDirs;

/**
 * Removes the generated demo dataset's files from the database, in one transaction under
 * the ingest lock: their rows of every table, what their rollups added to the global
 * buckets taken off, the data version bumped so that every cached answer is computed
 * again.
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
	 * it exists, its real path: roots are stored as real paths). A start without the demo
	 * asks once; with none of its files there, nothing is locked or written.
	 * @return how many files were removed (0: none was there, nothing changed)
	 */
	int remove(Path projects) {
		Set<String> roots = new LinkedHashSet<>();
		roots.add(projects.toAbsolutePath().normalize().toString());
		ClaudeDirs.existing(List.of(projects)).forEach((p) -> roots.add(p.toString()));
		if (this.files.idsUnder(roots).isEmpty()) {
			return 0;
		}
		Integer removed = this.tx.execute((status) -> {
			this.meta.lockIngest("demo removal");
			List<Long> ids = this.files.idsUnder(roots);
			// each file's rollups and what they added to the global buckets
			ids.forEach(this.rollups::deleteByFile);
			this.files.remove(ids);
			this.meta.bumpDataVersion();
			return ids.size();
		});
		return (removed != null) ? removed : 0;
	}

}
