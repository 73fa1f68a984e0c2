package dev.cctracer.web.system;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.cctracer.worker.ingest.Indexer;
import dev.cctracer.worker.system.ClaudeRoots;

/**
 * The empty state's button: loads the generated demo dataset and indexes it, only while
 * no Claude Code transcript exists.
 */
@Controller
class DemoController implements PageController {

	private final DemoData demo;

	private final ClaudeRoots roots;

	private final Indexer indexer;

	DemoController(DemoData demo, ClaudeRoots roots, Indexer indexer) {
		this.demo = demo;
		this.roots = roots;
		this.indexer = indexer;
	}

	@PostMapping("/demo")
	String loadDemo(RedirectAttributes redirect) throws InterruptedException {
		if (this.roots.hasTranscripts()) {
			redirect.addFlashAttribute("notice", "Claude Code logs exist now; the demo dataset was not loaded.");
		}
		else {
			this.demo.load();
			this.indexer.scanAndIngest();
			redirect.addFlashAttribute("notice", "Demo dataset loaded and indexed.");
		}
		return "redirect:/";
	}

}
