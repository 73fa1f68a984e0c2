package dev.cctracer.web.api;

import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.cctracer.db.meta.MetaRepository;
import dev.cctracer.web.usage.Dtos.IndexStatusDto;
import dev.cctracer.db.facts.FileFactsRepository;
import dev.cctracer.worker.IndexControl;
import dev.cctracer.worker.ClaudeRoots;
import dev.cctracer.web.usage.Dtos;
import dev.cctracer.web.usage.UsageService;
import dev.cctracer.web.usage.UsageService;

/**
 * What the index holds and how clean the input was.
 */
@RestController
class IndexApiController {

	private final UsageService usage;

	private final MetaRepository meta;

	private final ClaudeRoots roots;

	private final IndexControl index;

	private final FileFactsRepository facts;

	IndexApiController(UsageService usage, MetaRepository meta, ClaudeRoots roots, IndexControl index,
			FileFactsRepository facts) {
		this.index = index;
		this.facts = facts;
		this.usage = usage;
		this.meta = meta;
		this.roots = roots;
	}

	@GetMapping("/api/index/status")
	IndexStatusDto status() {
		Map<String, Long> s = this.usage.indexStatus();
		return new IndexStatusDto(this.roots.current().stream().map(Object::toString).toList(), s.get("known"),
				s.get("deleted"), s.get("pending"), s.get("bytes"),
				UsageService.iso(this.meta.getLong(MetaRepository.LAST_SCAN_AT).orElse(null)),
				this.meta.getLong(MetaRepository.LAST_SCAN_FILES).orElse(0L), s.get("lines"), s.get("invalid"),
				s.get("unknown"), s.get("overlong"), s.get("resets"), this.meta.dataVersion(), this.index.filesOpened(),
				s.get("archived"), s.get("parquet_bytes"), this.facts.unknownTypes(),
				this.index.lastProblems().stream().map((p) -> new Dtos.PathProblemDto(p.path(), p.reason())).toList(),
				s.get("api_errors"));
	}

}
