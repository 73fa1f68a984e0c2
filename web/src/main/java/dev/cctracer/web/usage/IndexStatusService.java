package dev.cctracer.web.usage;

import java.util.Map;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.cctracer.db.facts.FileFactsRepository;
import dev.cctracer.db.meta.MetaRepository;
import dev.cctracer.web.usage.Dtos.IndexStatusDto;
import dev.cctracer.worker.ClaudeRoots;
import dev.cctracer.worker.IndexControl;

/**
 * What the index holds and how clean the input was, as it is now (never cached): files,
 * committed bytes, lines and skips, the last scan, the data version, the archive, entry
 * types not recognised and the paths that could not be indexed.
 */
@Service
@Transactional(readOnly = true)
public class IndexStatusService {

	private final FileQueries files;

	private final MetaRepository meta;

	private final FileFactsRepository facts;

	private final ClaudeRoots roots;

	private final IndexControl index;

	IndexStatusService(FileQueries files, MetaRepository meta, FileFactsRepository facts, ClaudeRoots roots,
			IndexControl index) {
		this.files = files;
		this.meta = meta;
		this.facts = facts;
		this.roots = roots;
		this.index = index;
	}

	/** The body of {@code GET /api/index/status}. */
	public IndexStatusDto status() {
		Map<String, Long> s = this.files.indexStatus();
		return new IndexStatusDto(this.roots.current().stream().map(this.roots::shown).toList(), s.get("known"),
				s.get("deleted"), s.get("pending"), s.get("bytes"),
				UsageService.iso(this.meta.getLong(MetaRepository.LAST_SCAN_AT).orElse(null)),
				this.meta.getLong(MetaRepository.LAST_SCAN_FILES).orElse(0L), s.get("lines"), s.get("invalid"),
				s.get("unknown"), s.get("overlong"), s.get("resets"), this.meta.dataVersion(), this.index.filesOpened(),
				s.get("archived"), s.get("parquet_bytes"), this.facts.unknownTypes(),
				this.index.lastProblems()
					.stream()
					.map((p) -> new Dtos.PathProblemDto(this.roots.shown(p.path()), p.reason()))
					.toList(),
				s.get("api_errors"));
	}

}
